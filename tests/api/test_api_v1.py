import pytest
from django.test import Client


@pytest.fixture
def api(db):
    return Client()


def test_naf_by_level_and_accentless_search(api):
    body = api.get("/api/v1/referentiels/naf?niveau=sous_classe&q=boulang").json()
    codes = [item["code"] for item in body["items"]]
    assert "10.71C" in codes
    assert body["count"] == len(codes)
    assert api.get("/api/v1/referentiels/naf?niveau=section").json()["count"] == 21
    assert api.get("/api/v1/referentiels/naf?niveau=division").json()["count"] == 88
    assert api.get("/api/v1/referentiels/naf?niveau=groupe").json()["count"] == 272
    assert api.get("/api/v1/referentiels/naf?niveau=classe").json()["count"] == 615
    assert api.get("/api/v1/referentiels/naf?niveau=sous_classe").json()["count"] == 732


def test_one_naf_code(api):
    assert api.get("/api/v1/referentiels/naf/10.71C").json() == {
        "code": "10.71C",
        "libelle": "Boulangerie et boulangerie-pâtisserie",
        "niveau": "sous_classe",
        "parent": "10.71",
        "section": "C",
    }
    assert api.get("/api/v1/referentiels/naf/C").json()["parent"] is None
    missing = api.get("/api/v1/referentiels/naf/99.99Z")
    assert missing.status_code == 404
    assert missing.json()["detail"] == "Ressource introuvable."


def test_pagination_and_its_limits(api):
    first = api.get("/api/v1/referentiels/naf?niveau=sous_classe&page_size=10").json()
    second = api.get("/api/v1/referentiels/naf?niveau=sous_classe&page_size=10&page=2").json()
    assert len(first["items"]) == 10 and first["count"] == 732
    assert not {i["code"] for i in first["items"]} & {i["code"] for i in second["items"]}
    capped = api.get("/api/v1/referentiels/naf?page_size=1000").json()
    assert len(capped["items"]) == 100
    bad = api.get("/api/v1/referentiels/naf?page=0")
    assert bad.status_code == 422
    assert "page" in bad.json()["detail"]


@pytest.mark.parametrize(
    ("path", "count"),
    [("regions", 18), ("departements", 101), ("familles", 23), ("dimensions", 6), ("publics", 4)],
)
def test_code_lists(api, path, count):
    body = api.get(f"/api/v1/referentiels/{path}").json()
    assert body["count"] == count
    assert all(item["code"] and item["libelle"] for item in body["items"])


def test_a_department_names_its_region(api):
    items = api.get("/api/v1/referentiels/departements").json()["items"]
    assert {"code": "69", "libelle": "Rhône", "region": "84"} in items


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "effectif=8&chiffre_affaires_eur=900000",
            {"categorie_taille": "TPE", "estimation": False},
        ),
        (
            "effectif=9&chiffre_affaires_eur=3000000&total_bilan_eur=1500000",
            {"categorie_taille": "TPE", "estimation": False},
        ),
        (
            "effectif=9&chiffre_affaires_eur=3000000&total_bilan_eur=3000000",
            {"categorie_taille": "PME", "estimation": False},
        ),
        (
            "effectif=300&chiffre_affaires_eur=40000000",
            {"categorie_taille": "ETI", "estimation": False},
        ),
        (
            "effectif=6000&chiffre_affaires_eur=3000000000",
            {"categorie_taille": "GE", "estimation": False},
        ),
        ("effectif=8", {"categorie_taille": "TPE", "estimation": True}),
    ],
)
def test_size_category(api, query, expected):
    assert api.get(f"/api/v1/entreprises/categorie-taille?{query}").json() == expected


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("effectif=-1", "négatif"),
        ("", "obligatoire"),
        ("effectif=dix", "nombre entier"),
        ("effectif=5&chiffre_affaires_eur=-5", "négatif"),
    ],
)
def test_size_category_refuses_bad_figures_in_french(api, query, words):
    response = api.get(f"/api/v1/entreprises/categorie-taille?{query}")
    assert response.status_code == 422
    assert words in response.json()["detail"]


@pytest.mark.parametrize(
    ("value", "valide", "siren", "words"),
    [
        ("73282932000074", True, "732829320", "SIRET valide"),
        ("732829320", True, "732829320", "SIREN valide"),
        ("73282932000075", False, None, "clé de contrôle"),
        ("7328293200007", False, None, "13 chiffres"),
        ("73282932OOO074", False, None, "que des chiffres"),
    ],
)
def test_siret_check(api, value, valide, siren, words):
    body = api.get(f"/api/v1/entreprises/verification-siret/{value}").json()
    assert (body["valide"], body["siren"]) == (valide, siren)
    assert words in body["detail"]


def test_registering_a_company_through_the_api(make_user):
    client = Client()
    client.force_login(make_user())
    payload = {
        "siret": "81234567600017",
        "denomination": "Boulangerie Morel",
        "naf": "10.71C",
        "effectif": 8,
        "chiffre_affaires_eur": 900000,
        "departement": "69",
    }
    created = client.post("/api/v1/entreprises", payload, content_type="application/json")
    assert created.status_code == 201
    assert created.json()["categorie_taille"] == "TPE"
    assert created.json()["region"] == "84"
    # Another account posting the same SIREN only sends a claim to the operators.
    other = Client()
    other.force_login(make_user())
    again = other.post("/api/v1/entreprises", payload, content_type="application/json")
    assert again.status_code == 202
    assert "déjà inscrite" in again.json()["detail"]
    assert again.json()["demande"]["statut"] == "en_attente"
    assert other.get("/api/v1/entreprises").json()["count"] == 0
    bad = client.post(
        "/api/v1/entreprises",
        {**payload, "siret": "123", "naf": "ZZ"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    fields = {e["champ"] for e in bad.json()["erreurs"]}
    assert fields == {"identifiant", "naf"}


def test_openapi_schema_and_docs_are_served(api):
    schema = api.get("/api/openapi.json").json()
    for path in [
        "/api/v1/referentiels/naf",
        "/api/v1/referentiels/naf/{code}",
        "/api/v1/referentiels/regions",
        "/api/v1/referentiels/departements",
        "/api/v1/referentiels/familles",
        "/api/v1/referentiels/dimensions",
        "/api/v1/referentiels/publics",
        "/api/v1/entreprises/categorie-taille",
        "/api/v1/entreprises/verification-siret/{siret}",
    ]:
        assert path in schema["paths"]
    assert api.get("/api/docs").status_code == 200
