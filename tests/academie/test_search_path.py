"""The Académie's pages and API answer a search the same way, from the same parser."""

import pytest
from django.test import Client

from osezia.academie import services
from osezia.recherche import services as recherche
from tests.academie.test_api_pages import catalogue


@pytest.fixture
def trainings(db, empty_index):
    catalogue()
    services.save_tutoriel(
        {
            "slug": "premiers-pas",
            "titre": "Premiers pas avec un assistant",
            "resume": "Écrire une consigne claire.",
            "contenu": "Une consigne, un rôle, un exemple.",
            "minutes": 10,
            "niveau": "debutant",
            "publics": ["SALARIE"],
            "familles": ["REDACTION"],
            "quiz": [{"question": "Un rôle ?", "choix": ["Oui", "Non"], "reponse": 0}],
        }
    )
    recherche.rebuild("tutoriel")


def page_answer(query: str) -> tuple[list[str], int, dict]:
    response = Client().get(f"/academie/formations/?{query}")
    assert response.status_code == 200, response.content
    context = response.context
    facets = {
        facet["nom"]: {o["code"]: o["n"] for o in facet["options"] if o["n"]}
        for facet in context["facets"]
    }
    return [i["id"] for i in context["items"]], context["count"], facets


def api_answer(query: str) -> tuple[list[str], int, dict]:
    response = Client().get(f"/api/v1/academie/formations?{query}&facettes=true")
    assert response.status_code == 200, response.content
    body = response.json()
    facets = {
        name: {c: n for c, n in counts.items() if n} for name, counts in body["facets"].items()
    }
    return [i["id"] for i in body["items"]], body["count"], facets


@pytest.mark.parametrize(
    "query",
    [
        "",
        "q=devis",
        "public=SALARIE&public=APPRENTI",
        "public=salarie",
        "modalite=distance",
        "tri=prix",
        "famille=MAINTENANCE_PREDICTIVE&duree=longue",
    ],
)
def test_the_page_and_the_api_give_the_same_trainings_and_facets(trainings, query):
    page_ids, page_count, page_facets = page_answer(query)
    api_ids, api_count, api_facets = api_answer(query)
    assert page_ids == api_ids and page_count == api_count
    for name, counts in page_facets.items():
        assert counts == api_facets.get(name, {}), name


@pytest.mark.parametrize(
    "page_query, api_query",
    [("certifiante=oui", "certifiante=true"), ("gratuit=oui", "gratuit=true")],
)
def test_the_page_flags_and_the_api_booleans_are_the_same_filter(trainings, page_query, api_query):
    assert page_answer(page_query)[:2] == api_answer(api_query)[:2]
    assert page_answer(page_query)[1] == 1


def test_the_tutorial_page_and_api_give_the_same_tutorials(trainings):
    for query in ("", "public=SALARIE", "q=consigne"):
        page = Client().get(f"/academie/tutoriels/?{query}")
        api = Client().get(f"/api/v1/academie/tutoriels?{query}").json()
        assert [t.slug for t in page.context["items"]] == [t["id"] for t in api["items"]]
        assert page.context["count"] == api["count"] == 1


@pytest.mark.parametrize(
    "url",
    [
        "/academie/formations/?page=-1",
        "/academie/formations/?modalite=lune",
        "/academie/formations/?certifiante=peut-etre",
        "/academie/tutoriels/?public=ETUDIANT",
        "/academie/tutoriels/?page=deux",
    ],
)
def test_bad_parameters_answer_400_on_the_pages(trainings, url):
    response = Client().get(url)
    assert response.status_code == 400
    assert "Recherche refusée" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/academie/formations?page=-1",
        "/api/v1/academie/formations?page_size=10001",
        "/api/v1/academie/formations?modalite=lune",
        "/api/v1/academie/tutoriels?public=ETUDIANT",
        "/api/v1/academie/tutoriels?q=%01",
        "/api/v1/academie/parcours?page=0",
        "/api/v1/academie/parcours?page_size=10001",
    ],
)
def test_bad_parameters_answer_a_french_4xx_on_the_api(trainings, url):
    response = Client().get(url)
    assert 400 <= response.status_code < 500
    assert response.json()["detail"]
