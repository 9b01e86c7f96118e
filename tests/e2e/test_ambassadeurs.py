import re

import pytest

pytestmark = pytest.mark.e2e

DEMO_PASSWORD = "OsezIA-demo-2030"


def test_a_visitor_reaches_a_region_of_the_map_with_the_keyboard(page, server_url):
    page.goto(server_url + "/ambassadeurs/")
    region = page.locator("svg a[aria-label^='Bretagne']")
    region.focus()
    assert page.evaluate("document.activeElement.getAttribute('aria-label')").startswith("Bretagne")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*region=53.*"))
    assert (
        page.locator("svg a[aria-current='true']")
        .get_attribute("aria-label")
        .startswith("Bretagne")
    )
    table = page.get_by_role("table", name="Ambassadeurs par région (alternative à la carte)")
    assert table.get_by_role("row").count() == 19
    page.locator("main a[href^='/ambassadeurs/AMB-']").first.click()
    assert page.get_by_role("button", name="Envoyer le message").is_visible()
    assert "@ambassadeurs.demo.example" not in page.content()
    assert page.console_errors == []


def test_a_leader_asks_for_an_ambassador_from_her_space(page, server_url):
    page.goto(server_url + "/comptes/login/")
    page.get_by_label("Courriel").fill("dirigeante@demo.osez-ia.fr")
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url("**/espace/")
    page.get_by_role("link", name="Être accompagné par un ambassadeur").click()
    page.get_by_label("Entreprise").select_option(label="Boulangerie Morel (812345676)")
    page.get_by_label("Ce que vous attendez").fill(
        "Nous voulons gagner du temps sur les commandes."
    )
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.wait_for_url(re.compile(r".*/ambassadeurs/demandes/\d+/"))
    assert "Assignée" in page.content()
    assert "Premier contact au plus tard" in page.content()
    assert page.console_errors == []
