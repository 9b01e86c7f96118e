"""The catalogue's page and API answer a search the same way, from the same parser."""

import pytest
from django.test import Client

from tests.catalogue.conftest import make_line
from tests.catalogue.test_api_pages import load

LINES = [
    make_line(),
    make_line(
        id_externe="chatbot-resto",
        nom="Bot Resto",
        familles=["RELATION_CLIENT"],
        secteurs=["56.10A"],
        hebergement="ue",
        resume="Répond aux clients du restaurant.",
        description="Prend les réservations et les devis par message.",
    ),
    make_line(
        id_externe="devis-batiment",
        nom="Devis Bâtiment",
        familles=["REDACTION"],
        tailles=["ETI"],
        deploiement=["sur_site"],
    ),
]


@pytest.fixture
def catalogue(db, tmp_path, empty_index):
    load(tmp_path, LINES)


def page_answer(query: str) -> tuple[list[str], int, dict]:
    response = Client().get(f"/catalogue/?{query}")
    assert response.status_code == 200, response.content
    context = response.context
    facets = {
        facet["nom"]: {o["code"]: o["n"] for o in facet["options"] if o["n"]}
        for facet in context["facets"]
    }
    facets["secteur"] = {s["code"]: s["n"] for s in context["sections"] if s["n"]}
    if context["tous_secteurs"]:
        facets["secteur"]["*"] = context["tous_secteurs"]
    return [i["id_externe"] for i in context["items"]], context["count"], facets


def api_answer(query: str) -> tuple[list[str], int, dict]:
    response = Client().get(f"/api/v1/catalogue/solutions?{query}&facettes=true")
    assert response.status_code == 200, response.content
    body = response.json()
    facets = {
        name: {c: n for c, n in counts.items() if n} for name, counts in body["facets"].items()
    }
    return [i["id_externe"] for i in body["items"]], body["count"], facets


@pytest.mark.parametrize(
    "query",
    [
        "",
        "q=devis",
        "q=devis&tri=nom",
        "famille=REDACTION&famille=RELATION_CLIENT",
        "secteur=56.10A",
        "hebergement=france&taille=PME",
        "tri=nom&page=2&page_size=2",
    ],
)
def test_the_page_and_the_api_give_the_same_results_and_facets(catalogue, query):
    page_ids, page_count, page_facets = page_answer(query)
    api_ids, api_count, api_facets = api_answer(query)
    if "page_size" not in query:
        assert page_ids == api_ids
    assert page_count == api_count
    for name, counts in page_facets.items():
        assert counts == api_facets.get(name, {}), name


def test_the_api_pages_through_results_with_next_and_previous(catalogue):
    client = Client()
    first = client.get("/api/v1/catalogue/solutions?tri=nom&page_size=2").json()
    second = client.get("/api/v1/catalogue/solutions?tri=nom&page_size=2&page=2").json()
    assert (first["count"], first["page"], first["page_size"]) == (3, 1, 2)
    assert (first["previous"], first["next"], second["previous"], second["next"]) == (
        None,
        2,
        1,
        None,
    )
    names = [i["nom"] for i in first["items"] + second["items"]]
    assert names == ["Bot Resto", "Devis Bâtiment", "Devis Express"]


@pytest.mark.parametrize(
    "query, message",
    [
        ("page=-1", "la page doit être un nombre entier"),
        ("page=deux", "la page doit être un nombre entier"),
        ("famille=LUNE", "valeur inconnue : LUNE"),
        ("secteur=99.99Z", "pas un code NAF rév. 2"),
        ("tri=hasard", "tri inconnu"),
    ],
)
def test_bad_parameters_answer_400_on_the_page_with_the_reason(catalogue, query, message):
    response = Client().get(f"/catalogue/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize(
    "query",
    ["page=-1", "page=deux", "page_size=10001", "famille=LUNE", "tri=hasard", "q=%00"],
)
def test_bad_parameters_answer_a_french_4xx_on_the_api(catalogue, query):
    response = Client().get(f"/api/v1/catalogue/solutions?{query}&facettes=true")
    assert 400 <= response.status_code < 500
    assert response.json()["detail"]


def test_a_huge_page_size_is_capped_not_refused(catalogue):
    body = Client().get("/api/v1/catalogue/solutions?page_size=10000").json()
    assert body["page_size"] == 100 and body["count"] == 3


def test_a_page_number_past_the_last_shows_the_last_page(catalogue):
    response = Client().get("/catalogue/?tri=nom&page=99")
    assert response.status_code == 200
    assert response.context["page_obj"].number == 1
    assert [i["id_externe"] for i in response.context["items"]] == [
        "chatbot-resto",
        "devis-batiment",
        "devis-express",
    ]


def test_the_api_counts_facets_only_when_asked(catalogue):
    """Counting every facet costs as much as the search itself: a client asks for it."""
    plain = Client().get("/api/v1/catalogue/solutions?q=devis").json()
    counted = Client().get("/api/v1/catalogue/solutions?q=devis&facettes=true").json()
    assert plain["facets"] == {}
    assert plain["items"] == counted["items"] and counted["facets"]["famille"]
