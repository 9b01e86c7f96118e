"""Finding one's NAF code: everyday trade words and typos lead to the right sous-classe, and a
code is understood however it is typed (pages, API)."""

import json

import pytest
from django.test import Client

from osezia.referentiels.models import Naf, NiveauNaf
from osezia.referentiels.naf import (
    TRADES_FILE,
    NafSuggester,
    load_trades,
    looks_like_code,
    normalize_code,
)
from osezia.referentiels.queries import suggest_naf

# (typed, expected sous-classe, best rank allowed)
TRADES = [
    ("boulangerie", "10.71C", 1),
    ("coiffeur", "96.02A", 1),
    ("plombier", "43.22A", 1),
    ("garage auto", "45.20A", 1),
    ("expert comptable", "69.20Z", 1),
    ("agence web", "62.01Z", 1),
    ("boulangeri", "10.71C", 1),  # unfinished or misspelt
    ("plombiet", "43.22A", 1),
    ("coifeur", "96.02A", 1),
    ("Expert-Comptable", "69.20Z", 1),
    ("garagiste", "45.20A", 1),
    ("électricien", "43.21A", 1),
    ("electricien", "43.21A", 1),
    ("maçon", "43.99C", 1),
    ("restaurant", "56.10A", 1),
    ("pizzeria", "56.10A", 3),
    ("esthéticienne", "96.02B", 1),
    ("kiné", "86.90E", 1),
    ("taxi", "49.32Z", 1),
    ("chauffagiste", "43.22B", 1),
    ("usinage", "25.62B", 1),
    ("fleuriste", "47.76Z", 1),
    ("agence immobilière", "68.31Z", 1),
    ("développeur web", "62.01Z", 1),
    ("boucher", "47.22Z", 1),
]


@pytest.mark.parametrize(("typed", "code", "rank"), TRADES)
def test_everyday_trade_words_give_the_right_sous_classe(db, typed, code, rank):
    codes = [s.code for s in suggest_naf(typed, 5)]
    assert code in codes[:rank], (typed, codes)


@pytest.mark.parametrize("typed", ["10.71 C", "1071C", "10.71c", "1071 C", " 10.71C ", "10-71-c"])
def test_a_code_is_understood_however_it_is_typed(typed):
    assert normalize_code(typed) == "10.71C"
    assert looks_like_code(typed)


def test_normalization_keeps_the_other_levels_and_leaves_words_alone():
    assert normalize_code("1071") == "10.71"
    assert normalize_code("107") == "10.7"
    assert normalize_code("10") == "10"
    assert normalize_code("c") == "C"
    assert normalize_code("boulangerie") == "BOULANGERIE"
    assert normalize_code("10.7C") == "10.7C"  # no such shape: kept as typed, refused later
    assert not looks_like_code("boulangerie")


def test_the_trade_file_is_reviewed_data(db):
    """Every code is a sous-classe, every trade word appears once, the file covers the common
    trades broadly (a few hundred words), and it is valid JSON with its source noted."""
    trades = load_trades()
    sous_classes = set(
        Naf.objects.filter(niveau=NiveauNaf.SOUS_CLASSE).values_list("code", flat=True)
    )
    words = [t.lower() for entry in trades for t in entry["termes"]]
    assert len(words) >= 300
    assert len(words) == len(set(words))
    assert all(entry["naf"] and set(entry["naf"]) <= sous_classes for entry in trades)
    assert json.loads(TRADES_FILE.read_text(encoding="utf-8"))["version"] >= 1
    sources = (TRADES_FILE.parent / "SOURCES.md").read_text(encoding="utf-8")
    assert TRADES_FILE.name in sources


def test_an_unknown_code_in_the_file_is_refused():
    with pytest.raises(ValueError, match="99.99Z"):
        NafSuggester([("10.71C", "Boulangerie")], [{"termes": ["pain"], "naf": ["99.99Z"]}])


def test_the_suggestions_api_is_bounded_and_open_to_anonymous_callers(db):
    client = Client()
    answer = client.get("/api/v1/referentiels/naf/suggestions", {"q": "plombiet", "page_size": 3})
    assert answer.status_code == 200
    body = answer.json()
    assert len(body["items"]) <= 3 and body["count"] <= 20 and body["page"] == 1
    assert body["items"][0] == {
        "code": "43.22A",
        "libelle": "Travaux d'installation d'eau et de gaz en tous locaux",
        "terme": "plombier",
    }
    codes = client.get("/api/v1/referentiels/naf/suggestions", {"q": "1071 c"}).json()
    assert [i["code"] for i in codes["items"]] == ["10.71C"]
    assert (
        client.get("/api/v1/referentiels/naf/suggestions", {"q": "x", "page_size": 21}).status_code
        == 422
    )
    assert client.get("/api/v1/referentiels/naf/suggestions", {"q": "x" * 101}).status_code == 422
    assert client.get("/api/v1/referentiels/naf/suggestions", {"q": "a\x01"}).status_code in (
        400,
        422,
    )


def test_a_code_typed_loosely_finds_its_page_in_the_api(db):
    answer = Client().get("/api/v1/referentiels/naf/1071c")
    assert answer.status_code == 200 and answer.json()["code"] == "10.71C"


def test_the_nomenclature_page_finds_a_trade_without_javascript(db):
    page = Client().get("/referentiels/naf/", {"q": "plombier"}).content.decode()
    assert "43.22A" in page and "reconnu : « plombier »" in page
