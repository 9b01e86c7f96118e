"""PDF documents are rendered once per content, and a client cannot make the server render
them in a loop."""

import base64
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone

from osezia.diagnostics.models import Diagnostic
from osezia.socle import pdf
from tests.comptes.factories import member
from tests.diagnostics.factories import all_answers
from tests.entreprises.factories import EntrepriseFactory
from tests.html import assert_valid_html


@pytest.fixture
def pdf_cache(settings, tmp_path):
    """A private, empty PDF cache folder."""
    settings.CACHES = {
        **settings.CACHES,
        "pdf": {**settings.CACHES["pdf"], "LOCATION": str(tmp_path / "pdf")},
    }


@pytest.fixture
def renders():
    with mock.patch.object(pdf, "render_pdf", wraps=pdf.render_pdf) as spy:
        yield spy


@pytest.fixture
def owned(make_user, questionnaire):
    from osezia.diagnostics import services

    owner = make_user()
    company = EntrepriseFactory()
    member(owner, company, admin=True)
    diagnostic = services.submit(owner, company, all_answers(questionnaire, "min"))
    client = Client()
    client.force_login(owner)
    return client, diagnostic


def test_a_diagnostic_pdf_is_rendered_once_then_served_from_the_cache(owned, pdf_cache, renders):
    client, diagnostic = owned
    url = f"/diagnostic/{diagnostic.uuid}/pdf/"
    first = client.get(url)
    assert first.status_code == 200 and first.content.startswith(b"%PDF")
    assert first["Content-Disposition"].startswith('attachment; filename="autodiagnostic-ia-')
    for _ in range(5):  # well past the render limit: copies are not counted
        again = client.get(url)
        assert again.status_code == 200 and again.content == first.content
    assert renders.call_count == 1


def test_a_rescored_diagnostic_gets_a_fresh_pdf(owned, pdf_cache, renders):
    client, diagnostic = owned
    url = f"/diagnostic/{diagnostic.uuid}/pdf/"
    client.get(url)
    Diagnostic.objects.filter(pk=diagnostic.pk).update(
        score_global=99, niveau="TRANSFORMATION", recalcule_le=timezone.now()
    )
    fresh = client.get(url)
    assert fresh.status_code == 200 and renders.call_count == 2


def test_renders_past_the_limit_get_a_french_429_with_retry_after(
    owned, make_user, pdf_cache, renders, settings
):
    settings.PDF_RENDERS_PER_CLIENT, settings.PDF_RENDER_PERIOD = 2, 60
    client, diagnostic = owned
    url = f"/diagnostic/{diagnostic.uuid}/pdf/"

    def rescored(score, when):
        Diagnostic.objects.filter(pk=diagnostic.pk).update(score_global=score, recalcule_le=when)

    assert client.get(url).status_code == 200
    earlier = timezone.now()
    rescored(50, earlier)
    assert client.get(url).status_code == 200
    rescored(60, timezone.now())
    refused = client.get(url)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert_valid_html(refused.content)
    text = refused.content.decode()
    assert "Trop de demandes" in text and "patientez" in text
    assert renders.call_count == 2
    # What is already rendered is still served.
    rescored(50, earlier)
    assert client.get(url).status_code == 200
    # Another person is not held up, and their copy then serves the throttled one too.
    colleague = make_user()
    member(colleague, diagnostic.entreprise)
    other = Client()
    other.force_login(colleague)
    rescored(70, timezone.now())
    assert other.get(url).status_code == 200
    assert client.get(url).status_code == 200
    assert renders.call_count == 3
    # Someone who may not see the diagnostic learns nothing, not even that it is throttled.
    stranger = Client()
    stranger.force_login(make_user())
    assert stranger.get(url).status_code == 404


def test_a_certificate_pdf_is_cached_too(make_user, pdf_cache, renders, settings):
    from osezia.academie import services

    tutorial = services.save_tutoriel(
        {
            "slug": "premiers-pas",
            "titre": "Premiers pas",
            "resume": "Découvrir l'IA.",
            "contenu": "Texte.",
            "minutes": 5,
            "niveau": "debutant",
            "publics": ["DIRIGEANT"],
            "familles": [],
            "quiz": [{"question": "Q1 ?", "choix": ["a", "b"], "reponse": 1}],
        }
    )
    person = make_user(first_name="Léa", last_name="Fabre")
    code = services.submit_quiz(person, tutorial, [1]).inscription.code_verification
    client = Client()
    client.force_login(person)
    first = client.get(f"/academie/attestations/{code}.pdf")
    second = client.get(f"/academie/attestations/{code}.pdf")
    assert first.content.startswith(b"%PDF") and second.content == first.content
    assert renders.call_count == 1


def test_a_document_fetches_nothing_from_outside(tmp_path):
    png = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
    )
    image = tmp_path / "pixel.png"
    image.write_bytes(png)
    inline = "data:image/png;base64," + base64.b64encode(png).decode()
    with (
        mock.patch("urllib.request.HTTPHandler.http_open") as http,
        mock.patch("urllib.request.FileHandler.file_open") as files,
    ):
        document = pdf.render_pdf(
            f'<img src="{image.as_uri()}"><img src="http://127.0.0.1:9/x.png">'
            f'<link rel="stylesheet" href="http://127.0.0.1:9/x.css"><img src="{inline}">',
            base_url="http://testserver/",
        )
    assert document.startswith(b"%PDF")
    http.assert_not_called()
    files.assert_not_called()


def test_when_every_render_slot_is_taken_the_page_asks_to_come_back(
    owned, pdf_cache, renders, settings
):
    from django.core.cache import cache

    settings.PDF_MAX_CONCURRENT_RENDERS = 1
    client, diagnostic = owned
    url = f"/diagnostic/{diagnostic.uuid}/pdf/"
    cache.add("pdf-render-slot:0", 1, timeout=60)  # another worker is rendering
    busy = client.get(url)
    assert busy.status_code == 503 and busy["Retry-After"] == "5"
    assert_valid_html(busy.content)
    assert "réessayez dans 5 secondes" in busy.content.decode()
    assert renders.call_count == 0
    cache.delete("pdf-render-slot:0")  # that render ended
    assert client.get(url).status_code == 200
    # Each render gives its slot back: the next document renders too.
    Diagnostic.objects.filter(pk=diagnostic.pk).update(recalcule_le=timezone.now())
    assert client.get(url).status_code == 200 and renders.call_count == 2
