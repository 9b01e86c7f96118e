"""External identifiers as other systems write them (`SOL-2024-001`, `HID-0001`,
`urn:x:abc/1.2`): imported, exported and re-imported exactly, compared exactly (case
included), reachable in pages and API paths; anything else refused line by line in French."""

import json
from io import StringIO
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from osezia.catalogue import services
from osezia.catalogue.models import Solution
from tests.catalogue.conftest import make_line, siren
from tests.conftest import login_with_code

IDS = ["SOL-2024-001", "HID-0001", "urn:x:abc/1.2", "sol-2024-001"]


def write_jsonl(path, lines):
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", "utf-8")
    return path


@pytest.fixture
def imported(db, tmp_path):
    lines = [make_line(id_externe=key, nom=f"Solution {key}") for key in IDS]
    report = services.import_lines(services.read_lines(write_jsonl(tmp_path / "in.jsonl", lines)))
    assert (report.created, report.errors) == (len(IDS), [])
    return lines


def test_uppercase_and_urn_identifiers_import_as_given_and_differ_by_case(imported):
    assert sorted(Solution.objects.values_list("id_externe", flat=True)) == sorted(IDS)
    upper = Solution.objects.get(id_externe="SOL-2024-001")
    lower = Solution.objects.get(id_externe="sol-2024-001")
    assert upper.pk != lower.pk
    assert upper.version_publiee.nom == "Solution SOL-2024-001"
    assert lower.version_publiee.nom == "Solution sol-2024-001"


@pytest.mark.parametrize("suffix", ["jsonl", "csv"])
def test_export_then_reimport_gives_back_the_same_identifiers(imported, tmp_path, suffix):
    before = list(services.export_lines())
    assert sorted(x["id_externe"] for x in before) == sorted(IDS)
    out = tmp_path / f"export.{suffix}"
    call_command("export_catalogue", str(out), stdout=StringIO())
    again = services.import_lines(services.read_lines(out))
    assert (again.unchanged, again.created, again.errors) == (len(IDS), 0, [])
    Solution.objects.all().delete()
    fresh = services.import_lines(services.read_lines(out))
    assert (fresh.created, fresh.errors) == (len(IDS), [])
    assert list(services.export_lines()) == before


def test_surrounding_spaces_are_removed_and_nothing_else_changes(db, tmp_path):
    path = write_jsonl(tmp_path / "in.jsonl", [make_line(id_externe="  HID-0001 ")])
    report = services.import_lines(services.read_lines(path))
    assert report.created == 1 and Solution.objects.get().id_externe == "HID-0001"


def test_bad_identifiers_are_refused_line_by_line_in_french(db, tmp_path):
    bad = ["SOL-é", "SOL 2024", "S" * 121, "SOL\x07-1"]
    lines = [make_line(id_externe=key) for key in bad] + [make_line(id_externe="HID-0001")]
    report = services.import_lines(services.read_lines(write_jsonl(tmp_path / "in.jsonl", lines)))
    assert report.created == 1
    messages = dict(report.errors)
    assert sorted(messages) == [1, 2, 3, 4]
    assert "sans accent" in messages[1]["id_externe"]
    assert "sans accent" in messages[2]["id_externe"]
    assert "121 caractères, 120 au plus" in messages[3]["id_externe"]
    assert "caractères de contrôle" in messages[4]["id_externe"]
    assert list(Solution.objects.values_list("id_externe", flat=True)) == ["HID-0001"]


def test_a_csv_with_uppercase_identifiers_imports(db, tmp_path):
    from osezia.catalogue import format as fmt
    from osezia.socle import csvsafe

    path = tmp_path / "in.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csvsafe.DictWriter(handle, fieldnames=fmt.CSV_COLUMNS)
        writer.writeheader()
        for key in ["SOL-2024-001", "HID-0001", "urn:x:abc/1.2", "SOL 2024"]:
            line = fmt.validate_line(make_line(id_externe="HID-0001"), {"43"}).to_line()
            writer.writerow(fmt.line_to_csv_row({**line, "id_externe": key}))
    report = services.import_lines(services.read_lines(path))
    assert report.created == 3
    assert [number for number, _ in report.errors] == [5]  # the header is line 1


@pytest.mark.parametrize("key", IDS)
def test_each_solution_has_its_page_and_its_api_address(imported, key):
    client = Client()
    page = client.get(reverse("catalogue:solution", args=[key]))
    assert page.status_code == 200 and f"Solution {key}" in page.content.decode()
    for path in (key, quote(key, safe="")):
        answer = client.get(f"/api/v1/catalogue/solutions/{path}")
        assert answer.status_code == 200 and answer.json()["id_externe"] == key
        assert answer.json()["nom"] == f"Solution {key}"


def test_a_lookup_never_ignores_the_case(imported):
    Solution.objects.filter(id_externe="sol-2024-001").delete()
    assert Client().get("/api/v1/catalogue/solutions/sol-2024-001").status_code == 404
    assert Client().get(reverse("catalogue:solution", args=["sol-2024-001"])).status_code == 404
    assert Client().get("/api/v1/catalogue/solutions/SOL-2024-001").status_code == 200


@pytest.fixture
def provider(make_user):
    user = make_user()
    fournisseur = services.register_provider(user, "Essai Logiciels (fictif)", siren(1))
    token = services.create_token(fournisseur, user, "CI")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}"), fournisseur, user


def test_the_provider_api_creates_and_updates_such_identifiers(provider):
    api, fournisseur, user = provider
    url = "/api/v1/catalogue/fournisseur/solutions"
    for key in ("SOL-2024-001", "sol-2024-001", "urn:x:abc/1.2"):
        created = api.post(url, make_line(id_externe=key), content_type="application/json")
        assert created.status_code == 201 and created.json()["id_externe"] == key
    taken = api.post(url, make_line(id_externe="SOL-2024-001"), content_type="application/json")
    assert taken.status_code == 422
    assert "Une solution porte déjà cet identifiant" in taken.json()["detail"]
    refused = api.post(url, make_line(id_externe="SOL é"), content_type="application/json")
    assert refused.status_code == 422 and "id_externe" in refused.json()["detail"]
    updated = api.put(
        f"{url}/urn:x:abc/1.2",
        {k: v for k, v in make_line(nom="Nouveau nom").items() if k != "id_externe"},
        content_type="application/json",
    )
    assert updated.status_code == 200 and updated.json()["id_externe"] == "urn:x:abc/1.2"
    changed = api.put(
        f"{url}/{quote('urn:x:abc/1.2', safe='')}",
        make_line(id_externe="urn:x:abc/1.3"),
        content_type="application/json",
    )
    assert changed.status_code == 422 and "ne change pas" in changed.json()["detail"]
    assert Solution.objects.get(id_externe="urn:x:abc/1.2").version_en_cours.nom == "Nouveau nom"
    assert Solution.objects.count() == 3


def test_identifier_uniqueness_is_the_services_rule(provider):
    _, fournisseur, user = provider
    services.create_solution(fournisseur, make_line(id_externe="HID-0001"), user)
    with pytest.raises(ValidationError) as error:
        services.create_solution(fournisseur, make_line(id_externe="HID-0001"), user)
    assert "déjà cet identifiant" in error.value.message_dict["id_externe"][0]
    other = services.create_solution(fournisseur, make_line(id_externe="hid-0001"), user)
    with pytest.raises(ValidationError) as error:
        services.update_solution(fournisseur, other, make_line(id_externe="HID-0001"), user)
    assert "ne change pas" in error.value.message_dict["id_externe"][0]
    assert Solution.objects.count() == 2


def test_the_provider_form_accepts_such_identifiers_and_its_pages_follow(provider):
    _, fournisseur, user = provider
    client = login_with_code(Client(), user)
    form = {
        "id_externe": "urn:x:abc/1.2",
        "nom": "Outil URN",
        "resume": "Un résumé en une phrase pour tester.",
        "description": "Une description suffisante.",
        "familles": ["VENTE"],
        "tailles": ["TPE"],
        "tarif_modele": "gratuit",
        "deploiement": ["saas"],
        "hebergement": "france",
        "risque_ia_act": "minimal",
        "langues": "fr",
        "contact_email": "contact@exemple.fr",
    }
    answer = client.post(reverse("catalogue:nouvelle"), form)
    assert answer.status_code == 302, answer.content.decode()
    solution = Solution.objects.get(id_externe="urn:x:abc/1.2")
    espace = client.get(reverse("catalogue:espace")).content.decode()
    edit_url = reverse("catalogue:editer", args=[solution.id_externe])
    assert edit_url in espace
    assert client.get(edit_url).status_code == 200
    answer = client.post(edit_url, {**form, "id_externe": "autre", "nom": "Outil URN modifié"})
    assert answer.status_code == 302
    solution.refresh_from_db()
    assert solution.id_externe == "urn:x:abc/1.2"
    assert solution.version_en_cours.nom == "Outil URN modifié"
    history = client.get(reverse("catalogue:historique", args=[solution.id_externe]))
    assert history.status_code == 200
    refused = client.post(reverse("catalogue:nouvelle"), {**form, "id_externe": "Outil é"})
    assert refused.status_code == 200 and "sans accent" in refused.content.decode()
