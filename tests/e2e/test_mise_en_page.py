"""Layout of every list and detail page of every module, at a phone's and a laptop's width.

Pages are reached as a user would: list pages by their address, detail pages by following the
first link of their list (so the demo data decides which ones). One browser context per width
and account, reused for all its pages."""

import re

import pytest

from .mise_en_page import layout_defects

pytestmark = pytest.mark.e2e

DEMO_PASSWORD = "OsezIA-demo-2030"
WIDTHS = {375: 812, 1280: 800}

# (account, steps): a step is a path, or (path, selector): open the path, then follow the first
# link matching the selector; ("compare", selector) opens the comparison of the first two links.
PAGES = {
    None: [
        "/",
        "/axes/sensibiliser/",
        "/axes/former/",
        "/axes/accompagner/",
        ("/", "a[href^='/axes/']"),
        "/diagnostic/",
        "/catalogue/",
        "/catalogue/?q=factures+fournisseurs",
        "/catalogue/?q=chatbot&hebergement=france",
        ("/catalogue/", "a[href^='/catalogue/solutions/']"),
        ("compare", "/catalogue/", "a[href^='/catalogue/solutions/']"),
        "/academie/",
        "/academie/formations/",
        "/academie/formations/?q=comptabilit%C3%A9",
        ("/academie/", "a[href*='/academie/formations/?public=']", 4),
        ("/academie/formations/", "a[href^='/academie/formations/']:not([href*='?'])"),
        "/academie/tutoriels/",
        ("/academie/tutoriels/", "a[href^='/academie/tutoriels/'][href$='/']"),
        "/academie/parcours/",
        ("/academie/parcours/", "a[href^='/academie/parcours/'][href$='/']"),
        "/academie/verifier/",
        "/observatoire/",
        "/mentions-legales/",
        "/donnees-personnelles/",
        "/accessibilite/",
        "/plan-du-site/",
        "/referentiels/naf/",
        "/entreprises/categorie-taille/",
        "/consultations/",
        ("/consultations/", "a[href^='/consultations/'][href$='/']", 2),
        "/consultations/ia-vie-des-francais/resultats/",
        "/consultations/ia-dans-les-entreprises/participer/",
        "/ambassadeurs/",
        "/ambassadeurs/?region=84&type_ambassadeur=SECTORIEL",
        ("/ambassadeurs/", "a[href^='/ambassadeurs/AMB-']"),
    ],
    "dirigeante": [
        "/espace/",
        ("/espace/", "a[href^='/entreprises/'][href$='/']:not([href$='/inscrire/'])"),
        ("/diagnostic/entreprise/812345676/", "a[href$='/resultats/']"),
        "/diagnostic/entreprise/812345676/",
        "/ambassadeurs/demander/",
        ("/ambassadeurs/demander/", "a[href^='/ambassadeurs/demandes/']"),
    ],
    "ambassadeur": [
        "/ambassadeurs/espace/",
        ("/ambassadeurs/espace/", "a[href^='/ambassadeurs/demandes/']"),
    ],
    "fournisseur": [
        "/catalogue/espace-fournisseur/",
        ("/catalogue/espace-fournisseur/", "a[href^='/catalogue/espace-fournisseur/'][href$='/']"),
        "/catalogue/espace-fournisseur/nouvelle/",
    ],
    "apprenant": ["/academie/mon-espace/", "/academie/profil/", "/espace/"],
    "formation": [
        "/academie/organisme/",
        ("/academie/organisme/", "a[href^='/academie/organisme/sessions/']"),
    ],
}


def login(page, server_url, account):
    page.goto(server_url + "/comptes/login/")
    page.get_by_label("Courriel").fill(f"{account}@demo.osez-ia.fr")
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(re.compile(r".*/(espace|academie|catalogue)/.*"))


def _hrefs(page, selector, count):
    hrefs = []
    for href in page.locator(f"main {selector}").evaluate_all("els => els.map(e => e.href)"):
        if href not in hrefs and "/comptes/" not in href:
            hrefs.append(href)
    return hrefs[:count]


def _addresses(page, server_url, step):
    if isinstance(step, str):
        return [server_url + step]
    if step[0] == "compare":
        page.goto(server_url + step[1])
        ids = [h.rstrip("/").rsplit("/", 1)[1] for h in _hrefs(page, step[2], 2)]
        return [server_url + "/catalogue/comparer/?" + "&".join(f"ids={i}" for i in ids)]
    path, selector, *count = step
    page.goto(server_url + path)
    found = _hrefs(page, selector, count[0] if count else 1)
    assert found, f"aucun lien {selector} sur {path}"
    return found


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("account", PAGES, ids=lambda a: a or "anonyme")
def test_pages_fit_the_width_and_stay_above_the_footer(browser, server_url, width, account):
    context = browser.new_context(
        locale="fr-FR", viewport={"width": width, "height": WIDTHS[width]}
    )
    page = context.new_page()
    try:
        if account:
            login(page, server_url, account)
        defects = []
        for step in PAGES[account]:
            for address in _addresses(page, server_url, step):
                response = page.goto(address)
                assert response.status == 200, f"{address} : HTTP {response.status}"
                path = address.removeprefix(server_url)
                defects += [f"{path} à {width} px : {defect}" for defect in layout_defects(page)]
    finally:
        context.close()
    assert defects == [], "\n".join(defects)
