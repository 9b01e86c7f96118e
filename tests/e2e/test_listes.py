"""The search pages at a phone's and a laptop's width: results first, filters behind a button on
a phone; the selection to compare kept from one search to the next."""

import re

import pytest
from playwright.sync_api import expect

from .mise_en_page import layout_defects

pytestmark = pytest.mark.e2e

SEARCH_PAGES = ["/academie/formations/", "/catalogue/"]


def _first_result(page):
    return page.locator("main .fr-card").first


@pytest.mark.parametrize("path", SEARCH_PAGES)
def test_on_a_phone_the_filters_fold_behind_a_button_and_the_results_come_first(
    page_at, server_url, path
):
    page = page_at(375)
    page.goto(server_url + path)
    button = page.get_by_role("button", name="Filtres", exact=True)
    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "false")
    legend = page.locator("main legend").first
    expect(legend).to_be_hidden()
    # The results follow the folded filters at once (the count and the sort between them).
    below = button.bounding_box()
    assert _first_result(page).bounding_box()["y"] - (below["y"] + below["height"]) < 350
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(legend).to_be_visible()
    assert layout_defects(page) == []
    assert page.console_errors == []


@pytest.mark.parametrize("path", SEARCH_PAGES)
def test_on_a_laptop_the_filters_are_open_beside_the_results(page_at, server_url, path):
    page = page_at(1280, 800)
    page.goto(server_url + path)
    expect(page.get_by_role("button", name="Filtres", exact=True)).to_be_hidden()
    expect(page.locator("main legend").first).to_be_visible()
    filters = page.locator("main .fr-sidemenu").bounding_box()
    assert filters["x"] + filters["width"] <= _first_result(page).bounding_box()["x"]


def test_a_training_search_lists_compact_cards_above_the_footer(page_at, server_url):
    """The defect: each card took the full height of its column (about 5,000 px) and the list
    ran over the footer."""
    for width in (375, 1280):
        page = page_at(width, 800)
        page.goto(server_url + "/academie/formations/?public=DIRIGEANT")
        cards = page.locator("main .fr-card")
        assert cards.count() > 1
        for i in range(cards.count()):
            assert cards.nth(i).bounding_box()["height"] < 600
        footer = page.locator("footer").bounding_box()["y"]
        assert page.locator("main").bounding_box()["y"] + 100 < footer
        assert layout_defects(page) == []


def test_the_selection_to_compare_survives_a_new_search(page, server_url):
    page.goto(server_url + "/catalogue/?q=factures")
    first = page.locator("main .fr-card__title a").first.inner_text()
    page.locator("input[name=ids]").first.check(force=True)
    page.get_by_label("Rechercher une solution").fill("chatbot")
    page.get_by_role("button", name="Rechercher").click()
    expect(page).to_have_url(re.compile(r"q=chatbot"))
    kept = page.get_by_role("group", name=re.compile("Votre sélection pour la comparaison"))
    expect(kept.get_by_label(first)).to_be_checked()
    # A second solution from this search, then a filter: the selection still holds both.
    second = page.locator("main .fr-card__title a").first.inner_text()
    page.locator("main .fr-card input[name=ids]").first.check(force=True)
    page.locator("#f-hebergement-france").check(force=True)
    page.get_by_role("button", name="Appliquer les filtres").click()
    expect(page).to_have_url(re.compile(r"hebergement=france"))
    page.get_by_role("button", name="Comparer la sélection (3 au plus)").click()
    expect(page).to_have_url(re.compile(r"/catalogue/comparer/"))
    header = page.get_by_role("table").locator("thead")
    expect(header).to_contain_text(first)
    expect(header).to_contain_text(second)
    assert page.console_errors == []


def test_a_ticked_solution_can_be_taken_out_of_the_selection(page, server_url):
    page.goto(server_url + "/catalogue/?q=factures")
    page.locator("input[name=ids]").first.check(force=True)
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_label("Rechercher une solution").fill("chatbot")
    page.locator("input[name=ids]:checked").first.uncheck(force=True)
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator("input[name=ids]:checked")).to_have_count(0)
    assert "ids=" not in page.url
