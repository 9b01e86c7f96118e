"""A missing or locked search index degrades the pages; it never takes them down."""

import json
import shutil
from io import StringIO

import pytest
import tantivy
from django.core.management import call_command
from django.test import Client
from django_tasks_db.models import DBTaskResult

from osezia.catalogue import services as catalogue
from osezia.catalogue.models import Solution
from osezia.recherche import services as recherche
from osezia.recherche.models import ChangementIndex
from tests.academie.conftest import store, training
from tests.catalogue.conftest import make_line
from tests.html import assert_valid_html

NOTICE = "La recherche est momentanément indisponible"
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
SEARCH_PAGES = [
    "/catalogue/",
    "/catalogue/?q=devis",
    "/academie/formations/",
    "/academie/tutoriels/",
]
SEARCH_ENDPOINTS = [
    "/api/v1/catalogue/solutions?q=devis",
    "/api/v1/academie/formations",
    "/api/v1/academie/tutoriels",
]


@pytest.fixture
def content(db, empty_index, tmp_path, settings):
    settings.TASKS = DB_TASKS
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps(make_line()), encoding="utf-8")
    catalogue.import_lines(catalogue.read_lines(path))
    store(training())
    recherche.rebuild()
    assert recherche.search("devis").count == 2


@pytest.fixture
def index_removed(content, settings):
    """The index folder is gone (a new server, a wiped volume, an operator's mistake)."""
    shutil.rmtree(settings.SEARCH_INDEX_DIR)


def rebuild_tasks() -> int:
    return DBTaskResult.objects.filter(task_path__endswith="rebuild_index").count()


def test_list_pages_show_a_notice_with_503_and_retry_after(index_removed):
    for url in SEARCH_PAGES:
        page = Client().get(url)
        assert page.status_code == 503, url
        assert page["Retry-After"] == str(recherche.RETRY_AFTER)
        html = page.content.decode()
        assert_valid_html(html)
        assert NOTICE in html and "fr-alert" in html, url
        # Never « nothing matches » nor counts made up from an unreadable index.
        assert "ne correspond" not in html and "0 solution" not in html, url
        assert "0 formation" not in html and "0 tutoriel" not in html, url
        assert "(0)</label>" not in html, url  # no filter claiming that nothing is there


def test_the_academie_home_stays_up_without_its_counts(index_removed):
    page = Client().get("/academie/")
    html = page.content.decode()
    assert page.status_code == 200 and "momentanément indisponible" in html
    assert_valid_html(html)
    assert "1 formation" not in html  # no count made up from an unreadable index
    assert "Rechercher une formation" in html  # the rest of the page is served


def test_search_endpoints_answer_503_in_french_with_retry_after(index_removed):
    for url in SEARCH_ENDPOINTS:
        answer = Client().get(url)
        assert answer.status_code == 503, url
        assert answer["Retry-After"] == str(recherche.RETRY_AFTER)
        body = answer.json()
        assert body["detail"].startswith(NOTICE) and body["erreurs"] == []


def test_a_missing_index_asks_for_one_rebuild_then_the_pages_come_back(
    index_removed, django_capture_on_commit_callbacks
):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):  # requests run in autocommit
        for _ in range(3):
            for url in SEARCH_PAGES:
                client.get(url)
    assert rebuild_tasks() == 1  # debounced in the shared cache, not one per request
    task = DBTaskResult.objects.get(task_path__endswith="rebuild_index")
    task.task.call()  # what the worker does
    page = client.get("/catalogue/?q=devis")
    assert page.status_code == 200 and "Devis Express" in page.content.decode()
    assert client.get("/api/v1/academie/formations").json()["count"] == 1


def test_the_diagnostic_results_and_pdf_stay_up_without_the_recommendations(
    index_removed, admin_a, company_a, questionnaire
):
    from osezia.diagnostics import services as diagnostics
    from tests.diagnostics.factories import all_answers

    diagnostic = diagnostics.submit(admin_a, company_a, all_answers(questionnaire, "second"))
    client = Client()
    client.force_login(admin_a)
    page = client.get(f"/diagnostic/{diagnostic.uuid}/resultats/")
    html = page.content.decode()
    assert page.status_code == 200
    assert_valid_html(html)
    assert (
        "Les cas d'usage de l'IA les plus utiles" in html
        and "propositions sont momentanément indisponibles" in html
    )
    assert "Devis Express" not in html
    pdf = client.get(f"/diagnostic/{diagnostic.uuid}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_a_reader_never_needs_the_writer_lock_and_a_held_lock_delays_writes_only(content, settings):
    index = recherche.get_index()
    other = tantivy.Index.open(str(index.path))
    held = other.writer(15_000_000, 1)  # another process's writer (same lock file)
    try:
        assert recherche.search("devis").count == 2
        assert Client().get("/catalogue/?q=devis").status_code == 200
        catalogue.withdraw(Solution.objects.get(), None)
        index.lock_timeout = 0.3
        with pytest.raises(recherche.SearchUnavailable, match="verrouillé"):
            recherche.apply_pending()
        assert ChangementIndex.objects.count() == 1  # kept for the next run
    finally:
        del held
    assert recherche.apply_pending() == 1
    assert [h.type for h in recherche.search("devis").hits] == ["formation"]


def test_the_applier_rebuilds_a_missing_index_whole(index_removed):
    assert recherche.apply_pending() == 0
    assert recherche.search("devis").count == 2


def test_the_rebuild_command_is_the_last_resort(index_removed):
    out = StringIO()
    call_command("rebuild_search_index", "--type", "solution", stdout=out)
    # A missing index is rebuilt whole, whatever type was asked.
    assert "solution : 1" in out.getvalue() and "formation : 1" in out.getvalue()
    assert recherche.search("devis").count == 2
