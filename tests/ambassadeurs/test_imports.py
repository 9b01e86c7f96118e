"""`import_ambassadeurs` and `import_demandes`, as the contract says."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from osezia.ambassadeurs.models import Ambassadeur, Demande
from tests.ambassadeurs.factories import body

HEADER = "id_externe,prenom,nom,email,type_ambassadeur,reseau,regions,naf,capacite_mensuelle\n"


def run(name, path):
    out = StringIO()
    call_command(name, str(path), stdout=out, stderr=StringIO())
    return out.getvalue()


def test_good_lines_are_imported_bad_ones_reported_with_their_number(db, tmp_path):
    path = tmp_path / "reseau.csv"
    path.write_text(
        HEADER
        + "CCI-1,Anne,Le Gall,anne@cci.example,REGIONAL,CCI,53;52,1071c;C,4\n"
        + "CCI-2,Marc,Roux,pas-une-adresse,REGIONAL,CCI,,,3\n"
        + "CCI-3,Léa,Petit,lea@cci.example,INCONNU,CCI,,,3\n"
        + "CCI-4,Paul,Morin,paul@cci.example,SECTORIEL,CCI,99,,3\n"
        + "CCI-5,Ines,Blanc,ines@cci.example,SECTORIEL,CCI,,99.99Z,3\n"
        + "CCI-6,Yves,Noel,yves@cci.example,GRAND_PUBLIC,FRANCE_NUM,,,0\n"
        + "CCI-1,Anne,Le Gall,anne@cci.example,REGIONAL,CCI,53,,4\n"
        + "CCI-7,Eva,Roy,eva@cci.example,GRAND_PUBLIC,FRANCE_NUM,,,10\n",
        encoding="utf-8",
    )
    output = run("import_ambassadeurs", path)
    for line in (3, 4, 5, 6, 7, 8):
        assert f"Ligne {line} refusée" in output
    assert "Ligne 2 " not in output and "Ligne 9 " not in output
    assert "2 ambassadeur(s) créé(s)" in output
    anne = Ambassadeur.objects.get(id_externe="CCI-1")
    assert sorted(anne.regions.values_list("code", flat=True)) == ["52", "53"]
    assert sorted(anne.naf.values_list("code", flat=True)) == ["10.71C", "C"]
    assert not Ambassadeur.objects.get(id_externe="CCI-7").regions.exists()


def test_the_import_is_idempotent_by_id_externe(db, tmp_path):
    path = tmp_path / "reseau.csv"
    path.write_text(HEADER + "X-1,Anne,Le Gall,anne@cci.example,REGIONAL,CCI,53,,4\n")
    run("import_ambassadeurs", path)
    path.write_text(HEADER + "X-1,Anne,Le Gall,anne@cci.example,REGIONAL,CCI,84,,6\n")
    output = run("import_ambassadeurs", path)
    assert "0 ambassadeur(s) créé(s), 1 mis à jour" in output
    anne = Ambassadeur.objects.get()
    assert anne.capacite_mensuelle == 6
    assert list(anne.regions.values_list("code", flat=True)) == ["84"]
    again = run("import_ambassadeurs", path)  # the same file: nothing changes, and it says so
    assert "0 ambassadeur(s) créé(s), 0 mis à jour, 1 inchangé(s)" in again


def test_a_file_with_another_header_is_refused(db, tmp_path):
    path = tmp_path / "autre.csv"
    path.write_text("nom,prenom\nA,B\n")
    with pytest.raises(CommandError, match="En-tête attendu"):
        run("import_ambassadeurs", path)


def test_import_demandes_routes_in_order_and_reports_refused_items(db, tmp_path):
    path = tmp_path / "ambassadeurs.csv"
    path.write_text(
        HEADER
        + "A,Anne,Le Gall,anne@cci.example,REGIONAL,CCI,53,,1\n"
        + "B,Marc,Roux,marc@cci.example,REGIONAL,CCI,53,,1\n"
    )
    run("import_ambassadeurs", path)
    items = [body(), body(naf="00.00"), "texte", body(), body(message="m" * 2001)]
    requests = tmp_path / "demandes.json"
    requests.write_text(json.dumps(items))
    answers = json.loads(run("import_demandes", requests))
    assert [
        a.get("ambassadeur", {}).get("id_externe") if "id" in a else a["ligne"] for a in answers
    ] == ["A", 2, 3, "B", 5]
    assert answers[0]["statut"] == "assignee" and answers[0]["echeance_premier_contact"]
    assert "naf" in answers[1]["detail"] and "message" in answers[4]["detail"]
    assert Demande.objects.count() == 2


@pytest.mark.parametrize("content", ["{pas du json", '{"naf": "10.71C"}', ""])
def test_a_malformed_file_exits_2_with_a_french_message(db, tmp_path, content):
    path = tmp_path / "demandes.json"
    path.write_text(content)
    with pytest.raises(CommandError) as caught:
        run("import_demandes", path)
    assert caught.value.returncode == 2
    assert "JSON" in str(caught.value) or "liste" in str(caught.value)


def test_import_demandes_refuses_what_the_api_refuses(db, tmp_path, client):
    from tests.ambassadeurs.factories import AmbassadeurFactory

    AmbassadeurFactory()
    odd = [body(effectif="6"), body(effectif=True), body(message=None), body(naf=1071)]
    requests = tmp_path / "demandes.json"
    requests.write_text(json.dumps(odd))
    answers = json.loads(run("import_demandes", requests))
    assert [a["ligne"] for a in answers] == [1, 2, 3, 4]
    for item in odd:
        response = client.post(
            "/api/v1/ambassadeurs/demandes", item, content_type="application/json"
        )
        assert response.status_code == 422
    assert not Demande.objects.exists()
