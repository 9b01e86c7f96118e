"""A session's recruitment state is stored by name; LHEO's 1/2/3 live only at the LHEO boundary,
and the migration converts existing rows both ways."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from osezia.academie import format as fmt
from osezia.academie.models import Session

BEFORE = [("academie", "0002_tentative_quiz")]
AFTER = [("academie", "0003_etat_recrutement_nomme")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite cannot alter a table inside the test's transaction; runs on PostgreSQL",
)
@pytest.mark.django_db
def test_migration_names_the_stored_states_and_restores_them():
    apps = _migrate(BEFORE)
    Organisme = apps.get_model("academie", "OrganismeFormation")
    Formation = apps.get_model("academie", "Formation")
    Action = apps.get_model("academie", "Action")
    OldSession = apps.get_model("academie", "Session")
    organisme = Organisme.objects.create(
        siret="90341527100019", numero_activite="11755123456", nom="O"
    )
    formation = Formation.objects.create(
        reference="F-1", organisme=organisme, intitule="F", objectifs="o", contenu="c"
    )
    action = Action.objects.create(formation=formation, reference="A-1", modalite="distance")
    for reference, etat in (("S1", "1"), ("S2", "2"), ("S3", "3")):
        OldSession.objects.create(action=action, reference=reference, etat_recrutement=etat)
    with connection.cursor() as cursor:  # check the deferred foreign keys before altering
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    apps = _migrate(AFTER)
    states = dict(
        apps.get_model("academie", "Session").objects.values_list("reference", "etat_recrutement")
    )
    assert states == {"S1": "ouvert", "S2": "ferme", "S3": "suspendu"}

    apps = _migrate(BEFORE)
    states = dict(
        apps.get_model("academie", "Session").objects.values_list("reference", "etat_recrutement")
    )
    assert states == {"S1": "1", "S2": "2", "S3": "3"}
    _migrate(AFTER)


def test_lheo_codes_are_read_as_named_states():
    problems = fmt.Problems(prefix="")
    cleaned = fmt.check_session(problems, {"reference": "S1", "etat_recrutement": "3"}, "/s")
    assert cleaned["etat_recrutement"] == Session.EtatRecrutement.SUSPENDU
    cleaned = fmt.check_session(problems, {"reference": "S2", "etat_recrutement": "ferme"}, "/s")
    assert cleaned["etat_recrutement"] == Session.EtatRecrutement.FERME
    assert not [p for p in problems.items if "etat" in p[0]]
    fmt.check_session(problems, {"reference": "S3", "etat_recrutement": "7"}, "/s")
    assert [p for p in problems.items if "etat" in p[0]] == [
        ("/s/etat-recrutement", "état de recrutement inconnu « 7 »")
    ]


@pytest.mark.django_db
def test_an_unknown_state_is_refused_with_a_french_message():
    session = Session(reference="S", etat_recrutement="2")
    with pytest.raises(ValidationError) as error:
        session.validate_constraints()
    assert "valeurs possibles : ouvert, ferme, suspendu" in str(error.value)
