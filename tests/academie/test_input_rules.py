"""Crafted input to the Académie (learner profile, LHEO file, normalized format, API): the
platform's one text rule with its French message, never a 500, nothing stored."""

import io

import pytest
from django.test import Client

from osezia.academie import services
from osezia.academie.lheo import Lu
from osezia.academie.models import Formation, ProfilApprenant
from osezia.socle.validation import MESSAGE
from tests.academie.conftest import start, store, training
from tests.comptes.factories import PASSWORD


@pytest.mark.parametrize("prenom", ["Léa\x00", "Lé\x1ba", "Léa\u0090"])
def test_the_profile_page_refuses_control_characters(make_user, prenom):
    client = Client()
    client.login(email=make_user().email, password=PASSWORD)
    response = client.post(
        "/academie/profil/",
        {"prenom": prenom, "nom": "Fabre", "public": "SALARIE", "departement": "69"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["prenom"] == [MESSAGE]
    assert not ProfilApprenant.objects.exists()


@pytest.mark.parametrize("prenom", ["Léa\x00", "L\ud800a", "Léa\nBis"])
def test_the_profile_api_refuses_control_characters(make_user, prenom):
    client = Client()
    client.force_login(make_user())
    response = client.put(
        "/api/v1/academie/profil",
        {"public": "SALARIE", "departement": "69", "prenom": prenom},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "caractères non autorisés" in response.json()["detail"]
    assert not ProfilApprenant.objects.exists()


def test_the_profile_service_refuses_them_too(make_user):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.set_profile(make_user(), "SALARIE", "69\x00", "Léa")
    assert error.value.message_dict == {"departement": [MESSAGE]}


@pytest.mark.parametrize(
    "path, change",
    [
        ("/formation[1]/intitule", {"intitule": "Rédiger\x00 avec l'IA"}),
        (
            "/formation[1]/organisme/ville",
            {"organisme": {**training()["organisme"], "ville": "Ly\x7fon"}},
        ),
        ("/formation[1]/contenu", {"contenu": "Consignes \ud83d"}),
    ],
)
def test_the_normalized_format_refuses_a_training_with_control_characters(db, path, change):
    report = services.import_trainings([Lu(1, "/formation[1]", training(**change))], "test")
    assert report.rejected == 1 and (path, MESSAGE) in report.errors
    assert not Formation.objects.exists()


def test_an_lheo_file_with_a_c1_character_reference_is_refused(db):
    store(training(), reindex=False)
    buffer = io.BytesIO()
    services.export_lheo(buffer)
    xml = buffer.getvalue().replace(b"<intitule-formation>", b"<intitule-formation>A&#x9b;B ", 1)
    Formation.objects.all().delete()
    report = services.import_lheo(io.BytesIO(xml))
    assert report.rejected == 1 and report.created == 0
    assert any(message == MESSAGE for _, message in report.errors)
    # Line breaks in LHEO texts are ordinary and accepted.
    xml = buffer.getvalue().replace(b"<intitule-formation>", b"<intitule-formation>\nA ", 1)
    assert services.import_lheo(io.BytesIO(xml)).created == 1


def test_a_tutorial_with_control_characters_is_refused(db):
    from django.core.exceptions import ValidationError

    tutorial = {
        "slug": "premiers-pas",
        "titre": "Premiers pas",
        "resume": "Découvrir l'IA",
        "contenu": "Texte",
        "minutes": 5,
        "niveau": "debutant",
        "publics": ["SALARIE"],
        "familles": [],
        "quiz": [{"question": "Q\x00 ?", "choix": ["a", "b"], "reponse": 0}],
    }
    with pytest.raises(ValidationError, match="quiz/0/question"):
        services.save_tutoriel(tutorial)


def test_a_declared_participant_with_control_characters_is_looked_up_nowhere(
    session_lyon, make_user
):
    from django.core.exceptions import ValidationError

    trainer = make_user()
    session_lyon.action.formation.organisme.membres.add(trainer)
    start(session_lyon)
    session_lyon.refresh_from_db()
    with pytest.raises(ValidationError, match="aucun apprenant"):
        services.record_attendance(trainer, session_lyon, "lea\x00@example.fr", "ABC\x00")
