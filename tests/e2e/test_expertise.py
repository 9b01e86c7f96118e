"""The Diagnostic Data IA journey in a browser, with the keyboard: a PME leader requests (her
TPE is told why not), an operator confirms the eligibility and assigns the suggested expert,
the expert accepts, quotes and writes the report, the company accepts the quote and validates
the report."""

import re
import time

import pytest

pytestmark = pytest.mark.e2e

DEMO_PASSWORD = "OsezIA-demo-2030"
OPERATOR_TOTP = "JBSWY3DPEHPK3PXPOSEZIADEMOCODEAB"


def _login(browser, email):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.goto(_login.server_url + "/comptes/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_label("Mot de passe").press("Enter")
    page.wait_for_load_state()
    if "/2fa/" in page.url:
        from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

        code = format_hotp_value(hotp_value(OPERATOR_TOTP, int(time.time()) // 30))
        page.locator("input[name=code]").fill(code)
        page.locator("input[name=code]").press("Enter")
        page.wait_for_url("**/espace/")
    return page


def _press(page, name):
    """Reach a button with the keyboard (focus, then Enter), as a keyboard user would."""
    button = page.get_by_role("button", name=name, exact=True)
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_request_assign_quote_report_validate(browser, server_url):
    _login.server_url = server_url
    leader = _login(browser, "dirigeante@demo.osez-ia.fr")
    leader.get_by_role("link", name="Demander un Diagnostic Data IA").first.focus()
    leader.keyboard.press("Enter")
    leader.wait_for_url("**/expertise/demander/")
    assert "Boulangerie Morel : pas de Diagnostic Data IA" in leader.content()
    assert leader.get_by_role("link", name=re.compile("ambassadeur IA")).is_visible()
    leader.get_by_label(re.compile("^Entreprise")).select_option(
        label="Transports Lemoine et Fils (PME)"
    )
    leader.get_by_label("Vos besoins").focus()
    leader.keyboard.type(
        "Nos tournées sont faites à la main chaque matin : nous voulons savoir ce que nos données permettent."
    )
    leader.get_by_label(re.compile("J'accepte que l'expert lise")).check()
    _press(leader, "Envoyer ma demande")
    leader.wait_for_url(re.compile(r".*/expertise/demandes/\d+/"))
    url = leader.url
    assert "Demandée" in leader.content()

    operator = _login(browser, "operateur@demo.osez-ia.fr")
    operator.goto(url)
    _press(operator, "Confirmer l'éligibilité")
    table = operator.get_by_role("table", name=re.compile("Experts proposés"))
    assert "Olivier Garnier" in table.inner_text()
    choice = operator.get_by_label(re.compile("^Expert proposé"))
    choice.select_option(
        choice.locator("option", has_text="Olivier Garnier").get_attribute("value")
    )
    _press(operator, "Confirmer l'expert")
    assert "Expert désigné" in operator.content()

    expert = _login(browser, "expert@demo.osez-ia.fr")
    expert.goto(url)
    _press(expert, "Accepter le dossier")
    expert.get_by_label("Taux journalier hors taxes (€)").fill("1150")
    _press(expert, "Envoyer le devis")
    assert "Devis envoyé à l'entreprise" in expert.content()

    leader.goto(url)
    assert "4\u202f600,00 €" in leader.content()  # 40 % of 10 days at 1 150 € HT
    _press(leader, "Accepter le devis")
    assert "Devis accepté" in leader.content()

    expert.goto(url)
    _press(expert, "Commencer le diagnostic")
    expert.get_by_role("link", name="Rédiger le rapport").click()
    expert.get_by_label("Synthèse du diagnostic").fill(
        "Des données de tournées riches : la prévision des tournées est le premier chantier."
    )
    _press(expert, "Enregistrer la synthèse")
    assert expert.get_by_role("table", name=re.compile("données de la matrice")).is_visible()
    expert.goto(url)
    _press(expert, "Remettre le rapport")
    assert "Rapport remis" in expert.content()

    leader.goto(url)
    _press(leader, "Valider le rapport")
    assert "Rapport validé" in leader.content()
    suivi = leader.locator("ol.osezia-timeline").inner_text()
    assert suivi.count("«") >= 7 and "Antoine Roux" in suivi
    for page in (leader, operator, expert):
        page.context.close()
