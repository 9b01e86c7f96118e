"""LHEO `numero` follows the platform's one rule for external identifiers: kept exactly as
given (case, `:` and `/` included), exported and imported back unchanged, reachable by address."""

import io
from urllib.parse import quote

from django.test import Client
from django.urls import reverse

from osezia.academie import services
from osezia.academie.models import Formation
from tests.academie.test_lheo import SAMPLE, run_import

NUMEROS = {
    'numero="EX-IA-0001"': 'numero="urn:x:Formation/2024.1"',
    'numero="EX-IA-0001-LYON"': 'numero="HID-0001"',
    'numero="EX-IA-0001-LYON-S1"': 'numero="SOL-2024-001:S1"',
}


def test_lheo_numero_with_uppercase_colon_and_slash_imports_and_exports_identically(db, tmp_path):
    text = SAMPLE.read_text(encoding="utf-8")
    for old, new in NUMEROS.items():
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "offre.xml"
    path.write_text(text, encoding="utf-8")
    out, _ = run_import(path, "--details")
    assert "2 formation(s) ont été créées" in out and "devient" not in out
    formation = Formation.objects.get(reference="urn:x:Formation/2024.1")
    action = formation.actions.get(reference="HID-0001")
    assert action.sessions.filter(reference="SOL-2024-001:S1").exists()

    buffer = io.BytesIO()
    services.export_lheo(buffer)
    exported = buffer.getvalue().decode()
    for new in NUMEROS.values():
        assert new in exported
    Formation.objects.all().delete()
    report = services.import_lheo(io.BytesIO(buffer.getvalue()))
    assert report.rejected == 0 and report.created == 2
    assert not [note for note in report.notes if "numero" in note]
    again = io.BytesIO()
    services.export_lheo(again)
    assert again.getvalue() == buffer.getvalue()

    client = Client()
    page = client.get(reverse("academie:formation", args=["urn:x:Formation/2024.1"]))
    assert page.status_code == 200
    api = client.get(f"/api/v1/academie/formations/{quote('urn:x:Formation/2024.1', safe='')}")
    assert api.status_code == 200 and api.json()["id"] == "urn:x:Formation/2024.1"
