"""Rows inserted many at once (`socle.ecriture.insert_rows`) are stored as `bulk_create`
stores them: JSON, dates, defaults and automatic dates included."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from osezia.academie.models import Action, Formation, OrganismeFormation, Session
from osezia.socle.ecriture import insert_rows


@pytest.fixture
def action(db):
    organisme = OrganismeFormation.objects.create(siret="73282932000074", nom="Centre")
    formation = Formation.objects.create(
        reference="F-1", organisme=organisme, intitule="IA", objectifs="o", contenu="c"
    )
    return Action.objects.create(
        formation=formation, reference="A", publics=["SALARIE"], modalite="presentiel"
    )


def test_rows_are_stored_with_their_types_and_defaults(action):
    organisme = action.formation.organisme
    sent = insert_rows(
        Formation,
        [
            {
                "reference": "F-2",
                "organisme_id": organisme.pk,
                "intitule": "Rédiger avec l'IA",
                "objectifs": "Écrire",
                "contenu": "Contenu",
                "familles": ["REDACTION"],
                "lheo": {"code-FORMACODE": ["31054"]},
            }
        ],
    )
    insert_rows(
        Session,
        [
            {"action_id": action.pk, "reference": "S1", "debut": date(2027, 3, 1), "places": 8},
            {"action_id": action.pk, "reference": "S2"},
        ],
    )
    formation = Formation.objects.get(reference="F-2")
    assert sent == 1
    assert formation.familles == ["REDACTION"] and formation.lheo == {"code-FORMACODE": ["31054"]}
    assert formation.publiee is True and formation.niveau_entree == "0"  # the defaults
    assert formation.cree_le is not None and formation.modifie_le is not None
    first, second = Session.objects.filter(action=action).order_by("reference")
    assert (first.debut, first.places, first.places_prises) == (date(2027, 3, 1), 8, 0)
    assert (second.debut, second.places, second.etat_recrutement) == (None, None, "ouvert")


def test_a_refused_row_is_the_database_s_error_in_the_caller_s_transaction(action):
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows(Session, [{"action_id": action.pk, "reference": "S1"}] * 2)  # unique
    assert not Session.objects.exists()
