import copy
from datetime import date, timedelta
from pathlib import Path

import pytest

from osezia.academie import services
from osezia.academie.lheo import Lu
from osezia.recherche import services as recherche

DATA = Path(__file__).resolve().parent / "data"
SOON = date.today() + timedelta(days=30)

TRAINING = {
    "reference": "T-001",
    "intitule": "Rédiger devis et courriels avec l'IA générative",
    "objectifs": "Gagner du temps sur les écrits du quotidien avec un assistant conversationnel.",
    "resultats_attendus": "Une bibliothèque de consignes prête à l'emploi.",
    "contenu": "Consignes efficaces ; devis ; courriels ; relecture.",
    "certifiante": False,
    "certification": None,
    "niveau_entree": "1",
    "familles": ["REDACTION"],
    "organisme": {
        "siret": "73282932000074",
        "numero_activite": "84691234569",
        "nom": "Centre d'essai des compétences",
        "raison_sociale": "CEC",
        "adresse": "8 rue de la République",
        "code_postal": "69002",
        "ville": "Lyon",
    },
    "actions": [
        {
            "reference": "T-001-LYON",
            "publics": ["SALARIE", "DIRIGEANT"],
            "modalite": "presentiel",
            "lieu": {"adresse": "8 rue de la République", "code_postal": "69002", "ville": "Lyon"},
            "duree_heures": 14,
            "prix_ttc_centimes": 118000,
            "financements": ["OPCO"],
            "rythme": "Deux jours consécutifs",
            "conditions": "Savoir utiliser un ordinateur.",
            "sessions": [
                {"reference": "S1", "debut": SOON.isoformat(), "fin": SOON.isoformat(), "places": 2}
            ],
        }
    ],
}


def training(**overrides) -> dict:
    data = copy.deepcopy(TRAINING)
    data.update(overrides)
    return data


def store(*items: dict, reindex: bool = True):
    report = services.import_trainings(
        (Lu(i, f"/formation[{i}]", copy.deepcopy(d)) for i, d in enumerate(items, 1)), "test"
    )
    assert not report.errors, report.errors
    if reindex:
        recherche.rebuild("formation")
    return report


@pytest.fixture
def session_lyon(db):
    store(training(), reindex=False)
    from osezia.academie.models import Session

    return Session.objects.get(reference="S1")


@pytest.fixture
def learner(make_user):
    def make(public="SALARIE", departement="69", **kwargs):
        user = make_user(**kwargs)
        services.set_profile(user, public, departement)
        return user

    return make


def start(*sessions) -> None:
    """The sessions have begun (yesterday): completions may now be recorded."""
    from osezia.academie.models import Session

    yesterday = date.today() - timedelta(days=1)
    Session.objects.filter(pk__in=[s.pk for s in sessions]).update(debut=yesterday, fin=yesterday)


def wait_quiz(seconds: int) -> None:
    """As if the learners had waited: every stored quiz attempt moves `seconds` back in time."""
    from django.db.models import F

    from osezia.academie.models import TentativeQuiz

    TentativeQuiz.objects.update(cree_le=F("cree_le") - timedelta(seconds=seconds))


# A tutorial with a three-question quiz (answers 1, 0, 2), shared by the quiz tests.
PREMIERS_PAS = {
    "slug": "premiers-pas",
    "titre": "Premiers pas",
    "resume": "Découvrir l'IA.",
    "contenu": "Texte.",
    "minutes": 5,
    "niveau": "debutant",
    "publics": ["DIRIGEANT"],
    "familles": [],
    "quiz": [
        {"question": "Q1 ?", "choix": ["a", "b"], "reponse": 1},
        {"question": "Q2 ?", "choix": ["a", "b"], "reponse": 0},
        {"question": "Q3 ?", "choix": ["a", "b", "c"], "reponse": 2},
    ],
}
