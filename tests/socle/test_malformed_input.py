"""Crafted paths and query strings (NUL bytes, control characters, invalid UTF-8) are refused
with a French 400, never a server error: on SQLite and on PostgreSQL, which refuses NUL in
text outright."""

import pytest
from django.test import Client, RequestFactory

from osezia.socle.middleware import RefuseMalformedInputMiddleware

pytestmark = pytest.mark.django_db

API_URLS = [
    "/api/v1/catalogue/solutions/x%00",
    "/api/v1/academie/formations/x%00",
    "/api/v1/academie/tutoriels/x%00",
    "/api/v1/academie/attestations/x%00",
    "/api/v1/referentiels/naf/x%00",
    "/api/v1/entreprises/verification-siret/x%00",
    "/api/v1/catalogue/solutions?q=x%00",
    "/api/v1/academie/formations?q=%c3",
    "/api/v1/referentiels/naf?q=a%1bb",
]
PAGE_URLS = [
    "/catalogue/solutions/x%00/",
    "/catalogue/solutions/x%00/historique/",
    "/academie/verifier/?code=x%00",
    "/academie/formations/x%00/",
    "/diagnostic/reprendre/x%00/",
    "/referentiels/naf/x%00/",
    "/entreprises/x%00/",
    "/catalogue/?q=devis%00",
    "/academie/verifier/?code=%e9",
    "/catalogue/solutions/a%0ab/",
]


@pytest.mark.parametrize("url", API_URLS)
def test_the_api_answers_a_french_json_400(url):
    response = Client().get(url)
    assert response.status_code == 400
    assert response.json()["detail"].startswith(("Adresse invalide", "Paramètres de l'adresse"))


@pytest.mark.parametrize("url", PAGE_URLS)
def test_pages_answer_400(url):
    response = Client().get(url)
    assert response.status_code == 400
    html = response.content.decode()
    # The DSFR error page, with the reason in French.
    assert "Requête invalide" in html
    assert "Adresse invalide" in html or "Paramètres de l&#x27;adresse invalides" in html


@pytest.mark.parametrize(
    "raw_path", ["/catalogue/solutions/\xff/", "/api/v1/catalogue/solutions/\xc3"]
)
def test_a_path_in_invalid_utf8_names_nothing(raw_path):
    # A WSGI server hands the path over as bytes decoded as ISO-8859-1; Django escapes the
    # invalid bytes again (« %FF »), which name no page.
    response = Client().get("/", PATH_INFO=raw_path)
    assert response.status_code == 404


def test_pages_say_why_in_french():
    middleware = RefuseMalformedInputMiddleware(lambda request: None)
    path = middleware(RequestFactory().get("/referentiels/naf/x\x00/"))
    assert path.status_code == 400 and "Adresse invalide" in path.content.decode()
    query = middleware(RequestFactory().get("/academie/verifier/", {"code": "x\x00"}))
    assert query.status_code == 400
    assert "Paramètres de l&#x27;adresse invalides" in query.content.decode()


def test_ordinary_addresses_still_work():
    client = Client()
    assert client.get("/referentiels/naf/10.71C/").status_code == 200
    assert client.get("/catalogue/?q=r%C3%A9daction+%C3%A9t%C3%A9").status_code == 200
    assert client.get("/api/v1/referentiels/naf?q=boulang%C3%A9rie").status_code == 200
    assert client.get("/referentiels/naf/X9/").status_code == 404
    assert client.get("/api/v1/catalogue/solutions/inconnue").status_code == 404


def test_a_body_over_the_cap_is_413_in_french(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = Client().post(
        "/api/v1/diagnostics/rapide",
        {"naf": "10.71C", "effectif": 3, "description": "x" * 2000},
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response.json()["detail"].startswith("Requête trop volumineuse")


@pytest.mark.parametrize(
    "body",
    [
        '{"naf": "10.71C", "effectif": 3, "description": "\\ud800"}',
        '{"naf": "10.71C\\u0000", "effectif": 3}',
        '{"naf": "10.71C", "effectif": 3, "reponses": {"\\udfff": "a"}}',
    ],
)
@pytest.mark.parametrize("content_type", ["application/json", "text/plain"])
def test_a_json_body_with_a_lone_surrogate_or_nul_is_a_french_422(body, content_type):
    response = Client().post("/api/v1/diagnostics/rapide", body, content_type=content_type)
    assert response.status_code == 422
    assert "caractères non autorisés" in response.json()["detail"]


def test_a_wrong_method_on_the_api_answers_french_json():
    response = Client().delete("/api/v1/referentiels/regions")
    assert response.status_code == 405
    assert response.json()["detail"].startswith("Méthode HTTP non autorisée")
    assert "GET" in response["Allow"]


def test_a_refused_address_is_not_logged_as_an_error_with_a_traceback(caplog):
    import logging

    with caplog.at_level(logging.WARNING):
        Client().get("/catalogue/solutions/x%00/")
    assert not [r for r in caplog.records if r.exc_info]


def test_a_non_finite_number_is_refused_in_french():
    response = Client().post(
        "/api/v1/diagnostics/rapide",
        '{"naf": "10.71C", "effectif": 1e400}',
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "Input should" not in response.content.decode()


def test_a_deeply_nested_body_is_refused_not_a_server_error():
    body = "[" * 100000 + "]" * 100000
    response = Client().post("/api/v1/diagnostics/rapide", body, content_type="application/json")
    assert response.status_code == 400
    assert "imbriqué" in response.json()["detail"]
