"""The search index follows the database through the change log, whatever crashes."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from osezia.academie import services as academie
from osezia.catalogue import services as catalogue
from osezia.catalogue.models import Solution
from osezia.recherche import services as recherche
from osezia.recherche.models import ChangementIndex
from tests.academie.conftest import training
from tests.catalogue.conftest import make_line, siren

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def found(text="", doc_type="solution") -> list[str]:
    hits = recherche.search(text, recherche.Filters(type=doc_type), limit=100).hits
    return sorted(hit.doc_id.split(":", 1)[1] for hit in hits)


def write(tmp_path, lines, name="catalogue.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    return path


def published(fournisseur, operator, user, **line):
    solution = catalogue.save_draft(fournisseur, make_line(**line), user, submit_now=True)
    return catalogue.publish(solution.version_en_cours, operator)


@pytest.fixture
def provider(make_user):
    user = make_user()
    return catalogue.register_provider(user, "Essai Logiciels (fictif)", siren(1)), user


@pytest.fixture(autouse=True)
def _worker_keeps_the_test_connection(monkeypatch):
    """The real worker closes connections it finds in a transaction: the test's own."""
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )


def run_worker():
    call_command(
        "db_worker", batch=True, interval=0, startup_delay=False, reload=False, verbosity=0
    )


def test_a_withdrawn_solution_whose_task_never_ran_leaves_the_results_at_the_next_apply(
    db, empty_index, operator, provider, django_capture_on_commit_callbacks
):
    fournisseur, user = provider
    with django_capture_on_commit_callbacks(execute=False):  # no task ever runs
        published(fournisseur, operator, user)
    recherche.apply_pending()
    assert found("devis") == ["devis-express"]
    with django_capture_on_commit_callbacks(execute=False):  # the removal task is lost
        catalogue.withdraw(Solution.objects.get(), user)
    assert found("devis") == ["devis-express"]  # the index lags behind the database…
    assert ChangementIndex.objects.filter(cle="devis-express").exists()  # …and knows it
    out = StringIO()
    call_command("apply_index_changes", stdout=out)
    assert "1 changement(s) appliqué(s)" in out.getvalue()
    assert found("devis") == [] and not ChangementIndex.objects.exists()
    page = Client().get("/catalogue/?q=devis").content.decode()
    assert "Devis Express" not in page


def test_an_import_killed_half_way_is_finished_by_the_next_run(
    db, empty_index, tmp_path, monkeypatch
):
    lines = [make_line(id_externe=f"sol-{i}", nom=f"Outil numéro {i}") for i in range(5)]
    path = write(tmp_path, lines)
    real = catalogue.read_lines

    def killed_after_three(source):
        for n, line in enumerate(real(source)):
            if n == 3:
                raise KeyboardInterrupt  # the operator's Ctrl-C, or the process killed
            yield line

    monkeypatch.setattr(catalogue, "read_lines", killed_after_three)
    monkeypatch.setattr("osezia.catalogue.services.imports.BATCH", 2)
    with pytest.raises(KeyboardInterrupt):
        call_command("import_catalogue", str(path), stdout=StringIO(), stderr=StringIO())
    monkeypatch.undo()
    # The first batch was committed with its change log; the line read after it was not.
    assert Solution.objects.count() == 2 and found() == []  # stored, not yet searchable
    assert ChangementIndex.objects.count() == 2
    out = StringIO()
    call_command("import_catalogue", str(path), stdout=out, stderr=StringIO())
    assert "2 inchangée(s)" in out.getvalue()  # the re-run counts them as unchanged…
    assert found() == [f"sol-{i}" for i in range(5)]  # …and still makes them searchable
    assert not ChangementIndex.objects.exists()


def test_an_lheo_import_logs_each_batch_in_its_transaction(db, empty_index, monkeypatch):
    from osezia.academie.lheo import Lu

    monkeypatch.setattr("osezia.academie.services.trainings.BATCH", 2)

    def killed_after_one():
        yield Lu(1, "/formation[1]", training())
        yield Lu(2, "/formation[2]", training(reference="T-002"))
        yield Lu(3, "/formation[3]", training(reference="T-003"))  # read, never written
        raise RuntimeError("processus tué")

    with pytest.raises(RuntimeError):
        academie.import_trainings(killed_after_one(), "test")
    assert found(doc_type="formation") == []
    recherche.apply_pending()
    assert found("devis", doc_type="formation") == ["T-001", "T-002"]


def test_a_crash_while_applying_leaves_the_log_for_the_next_run(
    db, empty_index, operator, provider, monkeypatch
):
    fournisseur, user = provider
    published(fournisseur, operator, user)
    from osezia.catalogue import indexation

    def broken(keys):
        raise MemoryError("worker tué pendant l'indexation")

    monkeypatch.setattr(indexation, "documents_for", broken)
    with pytest.raises(MemoryError):
        recherche.apply_pending()
    assert ChangementIndex.objects.count() == 1 and found() == []
    monkeypatch.undo()
    assert recherche.apply_pending() == 1
    assert found("devis") == ["devis-express"] and not ChangementIndex.objects.exists()


def test_a_change_marked_while_applying_stays_for_the_next_round(
    db, empty_index, operator, provider, monkeypatch
):
    fournisseur, user = provider
    published(fournisseur, operator, user)
    from osezia.catalogue import indexation

    real = indexation.documents_for
    calls = []

    def concurrent_change(keys):
        data = real(keys)
        if not calls:  # another transaction renames it while the applier works
            calls.append(keys)
            published(fournisseur, operator, user, nom="Devis Turbo")
        return data

    monkeypatch.setattr(indexation, "documents_for", concurrent_change)
    recherche.apply_pending(batch=1)
    # The first round indexed the old name; the row of the rename was not deleted with it,
    # so the second round indexed the new one.
    hits = recherche.search("turbo", recherche.Filters(type="solution")).hits
    assert [h.fields["nom"] for h in hits] == ["Devis Turbo"]
    assert not ChangementIndex.objects.exists()


def test_a_saved_tutorial_is_logged_then_searchable(db, empty_index):
    academie.save_tutoriel(
        {
            "slug": "premiers-pas",
            "titre": "Premiers pas avec l'IA",
            "resume": "Découvrir l'IA en dix minutes.",
            "contenu": "Un outil.",
            "minutes": 10,
            "niveau": "debutant",
            "publics": ["SALARIE"],
            "familles": [],
            "quiz": [{"question": "Vérifier ?", "choix": ["Oui", "Non"], "reponse": 0}],
        }
    )
    assert list(ChangementIndex.objects.values_list("type_document", "cle")) == [
        ("tutoriel", "premiers-pas")
    ]
    recherche.apply_pending()
    assert found(doc_type="tutoriel") == ["premiers-pas"]


def test_mark_changed_refuses_an_unknown_type(db):
    with pytest.raises(ValueError):
        recherche.mark_changed("inconnu", ["x"])
    assert recherche.mark_changed("solution", ["", None]) == 0
    assert not ChangementIndex.objects.exists()


def test_a_stale_running_task_is_reclaimed_and_the_index_ends_up_right(
    db, empty_index, operator, provider, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DB_TASKS
    fournisseur, user = provider
    published(fournisseur, operator, user)
    recherche.apply_pending()
    DBTaskResult.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        catalogue.withdraw(Solution.objects.get(), user)
    # The withdrawal also e-mails the operators; the index task is the one that matters here.
    DBTaskResult.objects.exclude(task_path__endswith="apply_changes").delete()
    task = DBTaskResult.objects.get()
    # The worker claimed it, then was killed (OOM, deploy…): RUNNING forever.
    DBTaskResult.objects.filter(pk=task.pk).update(
        status="RUNNING", started_at=timezone.now() - timedelta(hours=1), worker_ids=["mort"]
    )
    recent = DBTaskResult.objects.create(
        task_path=task.task_path,
        args_kwargs={"args": [], "kwargs": {}},
        backend_name=task.backend_name,
        queue_name=task.queue_name,
        run_after=task.run_after,
        status="RUNNING",
        started_at=timezone.now() - timedelta(minutes=2),
        worker_ids=["vivant"],
    )
    given_up = DBTaskResult.objects.create(
        task_path="osezia.catalogue.tasks.send_contact_email",
        args_kwargs={"args": [1], "kwargs": {}},
        backend_name=task.backend_name,
        queue_name=task.queue_name,
        run_after=task.run_after,
        status="RUNNING",
        started_at=timezone.now() - timedelta(hours=2),
        worker_ids=["a", "b", "c"],
    )
    run_worker()  # a new worker alone never looks at RUNNING tasks
    assert found("devis") == ["devis-express"]
    out = StringIO()
    call_command("reclaim_stale_tasks", after=900, stdout=out)
    assert "1 tâche(s) remise(s) en file, 1 abandonnée(s)" in out.getvalue()
    task.refresh_from_db()
    recent.refresh_from_db()
    given_up.refresh_from_db()
    assert task.status == "READY" and recent.status == "RUNNING" and given_up.status == "FAILED"
    run_worker()
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL" and task.worker_ids[0] == "mort"
    assert found("devis") == [] and not ChangementIndex.objects.exists()


def test_reclaim_asks_for_the_applier_when_changes_are_pending(
    db, empty_index, settings, operator, provider, django_capture_on_commit_callbacks
):
    settings.TASKS = DB_TASKS
    fournisseur, user = provider
    with django_capture_on_commit_callbacks(execute=False):  # the process died after commit
        published(fournisseur, operator, user)
    assert not DBTaskResult.objects.exists()
    report = recherche.reclaim_stale_tasks(900)
    assert report.apply_scheduled and report.requeued == []
    run_worker()
    assert found("devis") == ["devis-express"]


def test_reclaim_command_checks_its_options(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="au moins 60"):
        call_command("reclaim_stale_tasks", after=5, stdout=StringIO())


def test_the_applier_reads_a_batch_of_documents_in_a_few_queries(
    db, empty_index, tmp_path, django_assert_max_num_queries
):
    from osezia.academie.lheo import Lu

    lines = [make_line(id_externe=f"sol-{i}", nom=f"Outil numéro {i}") for i in range(40)]
    catalogue.import_lines((n, line, None) for n, line in enumerate(lines, 1))
    academie.import_trainings(
        (Lu(i, f"/formation[{i}]", training(reference=f"T-{i}")) for i in range(1, 41)), "test"
    )
    assert found(doc_type="formation") == sorted(f"T-{i}" for i in range(1, 41))
    assert len(found()) == 40
    recherche.mark_changed("solution", [f"sol-{i}" for i in range(40)] + ["inconnue"])
    recherche.mark_changed("formation", [f"T-{i}" for i in range(1, 41)])
    # 81 documents: the log read and deleted, solutions in one query, trainings in four.
    with django_assert_max_num_queries(12):
        assert recherche.apply_pending() == 81
    assert len(found()) == 40 and not ChangementIndex.objects.exists()


def test_a_burst_of_changes_enqueues_one_applier_task(
    db, settings, django_capture_on_commit_callbacks
):
    from django.db import transaction

    settings.TASKS = DB_TASKS
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            recherche.mark_changed("solution", ["a"])
            recherche.mark_changed("tutoriel", ["b", "c"])
        recherche.mark_changed("solution", ["d"])
    assert ChangementIndex.objects.count() == 4
    assert DBTaskResult.objects.filter(task_path__endswith="apply_changes").count() == 1
    DBTaskResult.objects.update(status="RUNNING", started_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        recherche.mark_changed("solution", ["e"])  # the running one may have read the log
    assert DBTaskResult.objects.filter(status="READY").count() == 1
