"""Refused requests answer in French: a DSFR page on the site, JSON in the API."""

import pytest
from django.test import Client
from django.urls import path

from osezia.socle.errors import RequeteRefusee


def _refuse(request):
    raise RequeteRefusee("L'adresse contient des caractères non autorisés.")


def _english(request):
    from django.core.exceptions import SuspiciousOperation

    raise SuspiciousOperation("Invalid something in English")


def _site_urls():
    from config import urls

    return urls


urlpatterns = [path("refus/", _refuse), path("anglais/", _english), *_site_urls().urlpatterns]
handler400 = _site_urls().handler400


@pytest.fixture
def refusing_urls(settings):
    settings.ROOT_URLCONF = __name__
    return settings


def test_a_refused_request_gets_a_french_page_with_its_reason(db, refusing_urls):
    response = Client().get("/refus/")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Requête invalide" in html and "caractères non autorisés" in html
    assert 'lang="fr"' in html


def test_an_english_library_message_is_never_shown(db, refusing_urls):
    response = Client().get("/anglais/")
    assert response.status_code == 400
    html = response.content.decode()
    assert "English" not in html and "pas pu être comprise" in html


def test_a_form_without_its_csrf_token_gets_a_french_page(db, make_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user())
    response = client.post("/entreprises/inscrire/", {"identifiant": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "rechargez la page" in html and "CSRF" not in html


def test_anonymous_writes_to_session_endpoints_answer_401(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/v1/entreprises", {}, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["detail"] == "Authentification requise : connectez-vous."


def test_a_logged_in_write_without_csrf_is_refused_in_french(db, make_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user())
    response = client.post("/api/v1/entreprises", {}, content_type="application/json")
    assert response.status_code == 403
    assert "X-CSRFToken" in response.json()["detail"]


def test_unknown_api_paths_answer_french_json(db):
    response = Client().get("/api/v1/inexistant/")
    assert response.status_code == 404
    assert response.json()["detail"]
