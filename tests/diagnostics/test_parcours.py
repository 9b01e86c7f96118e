"""The order of the steps (pure engine) and the results page's preferences (service)."""

import html

import pytest
from django.test import Client

from osezia.diagnostics import parcours
from osezia.diagnostics.services import parse_preferences
from tests.diagnostics.test_pages import PROFILE, step_data, walk
from tests.html import assert_valid_html


def test_a_step_is_reachable_once_the_previous_ones_are_answered():
    assert parcours.reachable(total=6, reached=0, index=0)
    assert not parcours.reachable(total=6, reached=1, index=2)
    assert not parcours.reachable(total=6, reached=6, index=6)
    assert not parcours.reachable(total=6, reached=3, index=-1)
    assert parcours.resume_index(total=6, reached=2) == 2
    assert parcours.resume_index(total=6, reached=6) == 5  # all answered, not completed


def test_what_follows_a_saved_step():
    assert parcours.after_save(6, 2, parcours.NEXT) == parcours.Suite(3)
    assert parcours.after_save(6, 2, parcours.PREVIOUS) == parcours.Suite(1)
    assert parcours.after_save(6, 0, parcours.PREVIOUS) == parcours.Suite(0)
    assert parcours.after_save(6, 2, parcours.LATER) == parcours.Suite(2)
    assert parcours.after_save(6, 5, parcours.NEXT) == parcours.Suite(None, complete=True)
    assert parcours.after_save(6, 5, "n'importe quoi") == parcours.Suite(None, complete=True)
    assert parcours.reached_after(6, 1, 0) == 1 and parcours.reached_after(6, 5, 5) == 6


def test_an_unknown_action_does_not_skip_the_required_answers(db, questionnaire):
    client = Client()
    url = client.post("/diagnostic/", PROFILE)["Location"]
    client.post(url, step_data(questionnaire, questionnaire.etapes[0]))
    strategy = url.replace("/etape/0/", "/etape/1/")  # a step with required questions
    page = client.post(strategy, {"action": "autre-chose"})
    assert page.status_code == 200
    assert "Répondez à cette question pour continuer." in page.content.decode()
    answered = {**step_data(questionnaire, questionnaire.etapes[1]), "action": "x"}
    moved = client.post(strategy, answered)
    assert moved.status_code == 302 and moved["Location"].endswith("/etape/2/")


@pytest.mark.parametrize(
    ("budget", "hosting", "expected", "errors"),
    [
        ("", [], (None, ()), {}),
        (" 300 ", ["france", "ue", "france"], (300, ("france", "ue")), {}),
        ("0", [], (0, ()), {}),
        ("1000000", [], (1_000_000, ()), {}),
        ("1000001", [], (None, ()), {"budget": "ne peut pas dépasser 1 000 000 euros"}),
        ("-5", [], (None, ()), {"budget": "ne peut pas être négatif"}),
        ("3e5", [], (None, ()), {"budget": "en chiffres"}),
        ("9" * 400, [], (None, ()), {"budget": "en chiffres"}),
        ("", ["mars"], (None, ()), {"hebergement": "Hébergement inconnu"}),
    ],
)
def test_preferences_are_bounded_and_refused_in_french(budget, hosting, expected, errors):
    preferences = parse_preferences(budget, hosting)
    assert (preferences.budget_eur_mois, preferences.hebergements) == expected
    assert set(preferences.errors) == set(errors)
    for field, words in errors.items():
        assert words in preferences.errors[field].replace("\u202f", " ")


def test_the_results_page_keeps_good_preferences_and_explains_bad_ones(db, questionnaire):
    client = Client()
    results = walk(client, questionnaire, client.post("/diagnostic/", PROFILE)["Location"])
    kept = client.get(results, {"budget": "300", "hebergement": "france"}).content.decode()
    assert 'name="budget" value="300"' in kept
    assert 'value="france" checked' in kept
    refused = client.get(results, {"budget": "beaucoup", "hebergement": "lune"})
    assert refused.status_code == 200
    assert_valid_html(refused.content)
    content = html.unescape(refused.content.decode())
    assert "Le budget mensuel s'écrit en euros, en chiffres" in content
    assert "Hébergement inconnu" in content
