"""The open-data CSV never carries a formula a spreadsheet would run, and imports back exactly."""

import csv
import io
import json
from io import StringIO

import pytest
from django.core.management import call_command

from osezia.catalogue import services
from osezia.catalogue.models import Solution
from osezia.socle.csvsafe import FORMULA_STARTS
from tests.catalogue.conftest import make_line

NAMES = {
    "formule": '=HYPERLINK("http://x")',
    "telephone": "+33 1 23 45 67 89",
    "negatif": "-2",
    "arobase": "@SUM(A1)",
    "apostrophe": "'Quote' IA",
}


@pytest.fixture
def tricky(db, tmp_path):
    lines = [
        make_line(
            id_externe=key,
            nom=name,
            resume=f"-{name} résumé commençant par un tiret",
            site_web="https://x.example.fr",
        )
        for key, name in NAMES.items()
    ]
    lines[0]["description"] = "@cmd|' /C calc'!A0 : une description hostile de plus de vingt."
    lines[0]["references"] = [
        {"client": "=Mairie de Test", "resultat": "-30 % de délais | moins d'appels"}
    ]
    lines[1]["modeles_ia"] = ["+cmd|calc", "Modèle C:\\maison", "Mistral 7B"]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", "utf-8")
    report = services.import_lines(services.read_lines(path))
    assert report.created == len(NAMES), report.errors
    return lines


def _cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_the_page_export_neutralises_every_formula(client, tricky):
    response = client.get("/catalogue/export.csv")
    text = b"".join(response.streaming_content).decode()
    rows = _cells(text)
    assert len(rows) == 1 + len(NAMES)
    assert not [c for row in rows for c in row if c.startswith(FORMULA_STARTS)]
    by_id = {row[0]: row for row in rows[1:]}
    assert by_id["formule"][1] == "'" + NAMES["formule"]
    assert by_id["telephone"][1] == "'+33 1 23 45 67 89"
    assert by_id["negatif"][1] == "'-2"
    assert by_id["arobase"][1] == "'@SUM(A1)"
    assert by_id["apostrophe"][1] == "''Quote' IA"


def test_the_command_export_imports_back_exactly(tricky, tmp_path):
    before = list(services.export_lines())
    out = tmp_path / "export.csv"
    call_command("export_catalogue", str(out), stdout=StringIO())
    rows = _cells(out.read_text("utf-8"))
    assert not [c for row in rows for c in row if c.startswith(FORMULA_STARTS)]
    # Re-importing the file over the same catalogue changes nothing…
    again = services.import_lines(services.read_lines(out))
    assert again.unchanged == len(NAMES) and not again.errors
    # …and into an empty catalogue gives the same published contents.
    Solution.objects.all().delete()
    fresh = services.import_lines(services.read_lines(out))
    assert fresh.created == len(NAMES) and not fresh.errors
    after = list(services.export_lines())
    assert after == before  # every field, references and list items with « | » included
    assert {x["nom"] for x in after} == set(NAMES.values())
    assert any(x["references"] for x in after)
    assert any("+cmd|calc" in x["modeles_ia"] for x in after)
