"""An out-of-range `?page=` on a list page says so in French and links to the last page (one
place for every list: `socle/pagination.py` and `socle/pagination.html`); the API keeps its
answers (an empty page beyond the last, 422 in French for 0 or a word)."""

import re

import pytest
from django.test import Client

from osezia.socle.pagination import out_of_range, page_of

NNBSP = "\u202f"


@pytest.fixture
def client(db):
    return Client()


def _notice(html: str) -> str:
    found = re.search(
        r'<div class="fr-alert fr-alert--warning[^"]*" role="status">(.*?)</div>', html, re.S
    )
    assert found, "aucun avis de page hors limites"
    return re.sub(r"[ \t\n]+", " ", found.group(1)).strip()


def test_a_page_beyond_the_last_says_so_and_links_to_the_last(client):
    # NAF sous-classes: 732 rows, 50 a page → 15 pages.
    html = client.get("/referentiels/naf/?niveau=sous_classe&page=999999").content.decode()
    notice = _notice(html)
    assert f"La page 999{NNBSP}999 n'existe pas : cette liste compte 15 pages." in notice
    assert 'href="?niveau=sous_classe&amp;page=15">Aller à la dernière page (page 15)</a>' in notice


@pytest.mark.parametrize("raw", ["0", "abc", "-3"])
def test_a_page_that_is_not_a_page_number_says_so(client, raw):
    html = client.get(f"/referentiels/naf/?niveau=sous_classe&page={raw}").content.decode()
    notice = _notice(html)
    assert "n'existe pas" in notice or f"« {raw} » n'est pas un numéro de page" in notice
    assert "Aller à la dernière page (page 15)" in notice


def test_a_valid_page_shows_no_notice(client):
    html = client.get("/referentiels/naf/?niveau=sous_classe&page=2").content.decode()
    assert "fr-alert--warning" not in html
    assert "2 / 15" in html


def test_the_rule_behind_the_notice():
    last_of_three = page_of(45, 999999, 20)
    assert last_of_three.number == 3
    assert out_of_range(last_of_three, "999999") == {
        "label": f"999{NNBSP}999",
        "number": 999999,
        "last": 3,
    }
    assert out_of_range(last_of_three, "3") is None
    assert out_of_range(page_of(45, 1, 20), None) is None
    assert out_of_range(page_of(45, 1, 20), "abc") == {"label": "abc", "number": None, "last": 3}
    assert out_of_range(page_of(0, 1, 20), "4")["last"] == 1


def test_the_catalogue_beyond_its_last_page(client):
    """The search pages show the last page for a number beyond it: they say so too."""
    html = client.get("/catalogue/?page=999999").content.decode()
    assert f"La page 999{NNBSP}999 n'existe pas" in _notice(html)
    html = client.get("/academie/formations/?page=999999").content.decode()
    assert f"La page 999{NNBSP}999 n'existe pas" in _notice(html)


def test_the_api_keeps_its_answers(client):
    beyond = client.get("/api/v1/referentiels/naf?niveau=sous_classe&page=999999")
    assert beyond.status_code == 200
    assert beyond.json()["items"] == [] and beyond.json()["next"] is None
    for raw in ("0", "abc"):
        refused = client.get(f"/api/v1/referentiels/naf?page={raw}")
        assert refused.status_code == 422
        assert "page" in refused.json()["detail"]
