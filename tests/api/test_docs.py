"""`/api/docs`: Swagger UI from the platform's own static files, under the site's CSP, in French."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client

from tests.html import assert_valid_html


@pytest.fixture
def page(db):
    return Client().get("/api/docs")


def _assets(html: str) -> list[str]:
    return re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]+)"', html)


def test_the_page_is_french_and_names_the_platform(page):
    html = page.content.decode()
    assert page.status_code == 200
    assert '<html lang="fr">' in html
    assert "<title>Documentation de l&#x27;API Osez l&#x27;IA — Osez l'IA</title>" in html
    assert "Cette page décrit chaque opération de l'API" in html
    assert_valid_html(page.content)


def test_every_asset_is_same_origin_and_served_from_our_static_files(page, settings, tmp_path):
    html = page.content.decode()
    assets = _assets(html)
    assert "/static/ninja/swagger-ui-bundle.js" in assets
    assert "/static/api/docs.js" in assets
    assert "/static/ninja/swagger-ui.css" in assets
    assert not [a for a in assets if "//" in a or not a.startswith("/")], assets
    assert "cdn" not in html
    # Each one is found by the static files finders and copied by collectstatic (what
    # WhiteNoise serves).
    settings.STATIC_ROOT = tmp_path
    call_command("collectstatic", interactive=False, verbosity=0)
    for asset in assets:
        name = asset.removeprefix(
            settings.STATIC_URL
            if settings.STATIC_URL.startswith("/")
            else "/" + settings.STATIC_URL
        )
        assert finders.find(name), asset
        assert (tmp_path / name).is_file(), asset


def test_no_inline_script_and_the_csp_allows_the_assets(page):
    html = page.content.decode()
    for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S):
        # Only external scripts, and the settings as JSON data (never executed).
        assert "src=" in attributes or 'type="application/json"' in attributes
        if "src=" in attributes:
            assert not body.strip()
    assert " style=" not in html and "<style" not in html
    csp = {
        part.split()[0]: part.split()[1:]
        for part in page["Content-Security-Policy"].split(";")
        if part.strip()
    }
    assert "'self'" in csp["script-src"] and "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert "'self'" in csp["style-src"] and "'self'" in csp["connect-src"]
    settings_json = json.loads(
        re.search(r'id="swagger-settings">(.*?)</script>', html, re.S).group(1)
    )
    assert settings_json["url"] == "/api/openapi.json"
    assert settings_json["validatorUrl"] is None  # nothing fetched from swagger.io


def test_the_schema_has_no_duplicated_key(db):
    """Swagger UI refuses a schema with a key twice (« duplicated mapping key »): the
    tutorials' quiz declares 429 itself, the shared error answers must not add "429" again."""

    def refuse_duplicates(pairs):
        keys = [key for key, _ in pairs]
        assert len(keys) == len(set(keys)), keys
        return dict(pairs)

    raw = Client().get("/api/openapi.json").content
    json.loads(raw, object_pairs_hook=refuse_duplicates)
