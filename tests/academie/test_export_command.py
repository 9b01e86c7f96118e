"""`manage.py export_lheo` end to end: the file it writes imports back to the same offer."""

import io

from django.core.management import call_command

from osezia.academie import services
from osezia.academie.models import Formation
from tests.academie.conftest import store, training


def _stored() -> dict:
    return {
        f.reference: services.normalized(f) for f in services.with_details(Formation.objects.all())
    }


def test_export_lheo_writes_a_file_that_imports_back(db, tmp_path):
    store(training(), training(reference="T-002", intitule="Piloter un projet d'IA"), reindex=False)
    before = _stored()
    target = tmp_path / "offre.xml"
    err = io.StringIO()
    call_command("export_lheo", str(target), stdout=io.StringIO(), stderr=err)
    assert "2 formation(s) exportée(s)." in err.getvalue()
    Formation.objects.all().delete()
    out = io.StringIO()
    call_command("import_lheo", str(target), stdout=out, stderr=io.StringIO())
    assert "2 formation(s) ont été créées" in out.getvalue()
    assert _stored() == before


def test_export_lheo_without_a_file_writes_on_the_standard_output(db, capfdbinary):
    store(training(), reindex=False)
    call_command("export_lheo", stderr=io.StringIO())
    written = capfdbinary.readouterr().out
    assert b"<lheo" in written and b"T-001" in written
