"""The LHEO import by batches: a re-import of the same file writes nothing and says so, a few
queries per batch, a training the database refuses reported alone."""

import io

from django.core.management import call_command
from django.db import IntegrityError

from osezia.academie import services
from osezia.academie.lheo import Lu
from osezia.academie.models import Action, Formation, Session
from osezia.academie.services import trainings
from osezia.recherche.models import ChangementIndex
from tests.academie.conftest import DATA, training


def items(*data):
    return [Lu(i, f"/formation[{i}]", d) for i, d in enumerate(data, 1)]


def offer(count):
    return [training(reference=f"T-{i:03d}") for i in range(count)]


def test_importing_the_same_file_again_changes_nothing_and_says_so(db, empty_index, tmp_path):
    path = tmp_path / "offre.xml"
    path.write_bytes((DATA / "offre_exemple.xml").read_bytes())
    call_command("import_lheo", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    stamps = dict(Formation.objects.values_list("reference", "modifie_le"))
    sessions = list(Session.objects.values_list("pk", "places", "etat_recrutement"))
    out = io.StringIO()
    call_command("import_lheo", str(path), stdout=out, stderr=io.StringIO())
    assert "0 formation(s) ont été créées, 0 mise(s) à jour, 2 inchangée(s)" in out.getvalue()
    assert "Index de recherche à jour (0 formation(s) modifiée(s))" in out.getvalue()
    assert dict(Formation.objects.values_list("reference", "modifie_le")) == stamps
    assert list(Session.objects.values_list("pk", "places", "etat_recrutement")) == sessions
    assert not ChangementIndex.objects.exists()


def test_an_import_costs_a_few_queries_per_batch(db, empty_index, django_assert_max_num_queries):
    with django_assert_max_num_queries(40):  # 30 trainings, one batch, the index finished
        report = services.import_trainings(items(*offer(30)), "test")
    assert report.created == 30 and not report.errors
    assert (Action.objects.count(), Session.objects.count()) == (30, 30)
    with django_assert_max_num_queries(10):
        again = services.import_trainings(items(*offer(30)), "test")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 30)


def test_a_changed_training_is_updated_and_the_others_left_alone(db, empty_index):
    services.import_trainings(items(*offer(3)), "test")
    changed = offer(3)
    changed[1]["intitule"] = "Rédiger ses devis avec l'IA"
    changed[2]["actions"][0]["sessions"][0]["places"] = 20
    report = services.import_trainings(items(*changed), "test")
    assert (report.created, report.updated, report.unchanged) == (0, 2, 1)
    assert sorted(report.keys) == ["T-001", "T-002"]
    assert Formation.objects.get(reference="T-001").intitule == "Rédiger ses devis avec l'IA"
    assert Session.objects.get(action__formation__reference="T-002").places == 20


def test_a_session_kept_for_its_learner_does_not_make_the_training_changed(
    db, empty_index, learner
):
    services.import_trainings(items(training()), "test")
    session = Session.objects.get(reference="S1")
    services.enrol(learner(), session.pk)
    moved = training()
    moved["actions"][0]["sessions"][0]["reference"] = "S2"
    assert services.import_trainings(items(moved), "test").updated == 1
    session.refresh_from_db()
    assert session.etat_recrutement == Session.EtatRecrutement.FERME  # kept, closed
    again = services.import_trainings(items(moved), "test")
    assert (again.updated, again.unchanged) == (0, 1)


def test_a_training_the_database_refuses_is_reported_alone(db, empty_index, monkeypatch):
    def refused_batch(*args, **kwargs):
        raise IntegrityError("lot refusé")

    real = trainings.fill_from_waiting_list

    def fill(session):
        if session.action.formation.reference == "T-001":
            raise IntegrityError("formation refusée")
        return real(session)

    monkeypatch.setattr(trainings, "_store_batch", refused_batch)
    monkeypatch.setattr(trainings, "fill_from_waiting_list", fill)
    report = services.import_trainings(items(*offer(3)), "test")
    assert (report.created, report.rejected) == (2, 1)
    assert report.errors == [("/formation[2]", "enregistrement refusé par la base de données")]
    assert sorted(Formation.objects.values_list("reference", flat=True)) == ["T-000", "T-002"]


def test_errors_stay_in_the_order_of_the_file_across_batches(db, empty_index, monkeypatch):
    monkeypatch.setattr(trainings, "BATCH", 2)
    data = offer(5)
    data[1]["intitule"] = ""
    data[4]["organisme"] = {**data[4]["organisme"], "siret": "73282932000082"}
    services.import_trainings(items(training(reference="T-004")), "test")
    report = services.import_trainings(items(*data), "test")
    assert [path for path, _ in report.errors] == [
        "/formation[2]/intitule-formation",
        "/formation[5]",
    ]
    assert "autre organisme" in report.errors[1][1]
    assert (report.created, report.rejected) == (3, 2)
