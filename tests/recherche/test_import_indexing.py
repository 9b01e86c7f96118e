"""Every import (catalogue file, LHEO file, the demo) leaves the search index up to date the
same way: its service finishes the change log at its end (`recherche.finish_after_import`)."""

import io
import json

import pytest
import tantivy
from django.core.management import call_command
from django.db import transaction

from osezia.academie import services as academie
from osezia.catalogue import services as catalogue
from osezia.recherche import services as recherche
from osezia.recherche.models import ChangementIndex
from tests.academie.conftest import DATA
from tests.catalogue.conftest import make_line


def write(tmp_path, *lines):
    path = tmp_path / "catalogue.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    return path


def found(text: str) -> list[str]:
    return [hit.doc_id for hit in recherche.search(text).hits]


def test_the_catalogue_import_service_alone_leaves_the_solutions_searchable(
    db, tmp_path, empty_index
):
    report = catalogue.import_lines(catalogue.read_lines(write(tmp_path, make_line())))
    assert report.created == 1 and report.index_problem is None
    assert found("devis") == ["solution:devis-express"]
    assert not ChangementIndex.objects.exists()


def test_the_lheo_import_service_alone_leaves_the_trainings_searchable(db, empty_index):
    report = academie.import_lheo(io.BytesIO((DATA / "offre_exemple.xml").read_bytes()))
    assert report.created == 2 and report.index_problem is None
    assert "formation:EX-IA-0001" in found("factures")


def test_an_import_inside_a_transaction_is_indexed_once_committed(
    db, tmp_path, empty_index, django_capture_on_commit_callbacks
):
    path = write(tmp_path, make_line())
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        catalogue.import_lines(catalogue.read_lines(path))
        assert found("devis") == []  # nothing that could still be rolled back
    assert found("devis") == ["solution:devis-express"]


def test_a_rolled_back_import_never_reaches_the_index(
    db, tmp_path, empty_index, django_capture_on_commit_callbacks
):
    path = write(tmp_path, make_line())
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        catalogue.import_lines(catalogue.read_lines(path))
        raise RuntimeError("annulé")
    assert found("devis") == []


def test_a_locked_index_is_reported_by_the_import_and_its_command(db, tmp_path, empty_index):
    held = tantivy.Index.open(str(empty_index.path)).writer(15_000_000, 1)
    empty_index.lock_timeout = 0.2
    try:
        report = catalogue.import_lines(catalogue.read_lines(write(tmp_path, make_line())))
        assert "Index de recherche indisponible" in report.index_problem
        assert ChangementIndex.objects.count() == 1  # kept for the worker
        out, err = io.StringIO(), io.StringIO()
        line = make_line(id_externe="autre", nom="Autre Devis")
        call_command("import_catalogue", str(write(tmp_path, line)), stdout=out, stderr=err)
        assert "relancez manage.py apply_index_changes" in err.getvalue()
        assert "Index de recherche à jour" not in out.getvalue()
    finally:
        del held
    assert recherche.finish_after_import() is None
    assert sorted(found("devis")) == ["solution:autre", "solution:devis-express"]


def test_the_demo_is_searchable_once_seeded(db, empty_index, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    assert recherche.search("", recherche.Filters(type="solution")).count > 0
    assert recherche.search("", recherche.Filters(type="formation")).count > 0
    assert recherche.search("", recherche.Filters(type="tutoriel")).count > 0
    assert not ChangementIndex.objects.exists()
