import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

DEMO_PASSWORD = "OsezIA-demo-2030"


def test_home_page_has_no_console_error_and_leads_to_the_axes(page, server_url):
    page.goto(server_url + "/")
    assert page.locator("h1").first.inner_text() == "Osez l'IA"
    assert page.get_by_role("link", name="Faire mon autodiagnostic").is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Contenu"
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Former").click()
    assert "Académie de l'IA" in page.content()
    page.get_by_role("link", name="Observatoire").first.click()
    assert page.locator("h1").inner_text() == "Observatoire du plan"
    assert page.console_errors == []


def test_a_leader_finds_the_naf_code_and_her_company(page, server_url):
    page.goto(server_url + "/referentiels/naf/")
    page.get_by_label("Activité ou code").fill("boulangerie patisserie")
    page.get_by_label("Niveau").select_option("sous_classe")
    page.get_by_role("button", name="Chercher").click()
    # The trade words and the labels both find it: first among the trades, and in the table.
    assert page.get_by_role("link", name="10.71C").first.is_visible()
    assert page.get_by_role("link", name="10.71C").count() == 2

    page.goto(server_url + "/comptes/login/")
    page.get_by_label("Courriel").fill("dirigeante@demo.osez-ia.fr")
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url("**/espace/")
    page.get_by_role("link", name="Boulangerie Morel").click()
    assert "Boulangerie et boulangerie-pâtisserie" in page.content()
    assert "Auvergne-Rhône-Alpes" in page.content()
    assert page.console_errors == []


def test_size_category_tool_answers_in_the_page(page, server_url):
    page.goto(server_url + "/entreprises/categorie-taille/")
    page.get_by_label("Effectif (nombre de personnes)").fill("9")
    page.get_by_label("Chiffre d'affaires annuel (euros)").fill("3000000")
    page.get_by_label("Total de bilan (euros)").fill("1500000")
    page.get_by_role("button", name="Calculer").click()
    assert "Catégorie : TPE" in page.content()
    assert page.console_errors == []


def test_a_hesitant_leader_takes_the_diagnostic_and_gets_ranked_use_cases(page, server_url):
    page.goto(server_url + "/")
    page.get_by_role("link", name="Faire mon autodiagnostic").click()
    page.get_by_label("Code NAF (APE) de votre activité").fill("43.39Z")
    page.get_by_label("Nombre de personnes dans l'entreprise").fill("6")
    page.get_by_label("Département").select_option("31")
    page.get_by_label("Votre activité et ce qui vous prend du temps, en quelques mots").fill(
        "Rénovation de maisons. Mes devis me prennent mes soirées."
    )
    page.get_by_role("button", name="Commencer le diagnostic").click()
    step = 0
    while "/etape/" in page.url:
        step += 1
        groups = page.locator("main fieldset.fr-fieldset")
        for i in range(groups.count()):
            group = groups.nth(i)
            if i == 0 and step == 2:
                # Keyboard only: focus the first answer, move with the arrow key, Space selects.
                group.locator("input").first.focus()
                page.keyboard.press("ArrowDown")
                page.keyboard.press("Space")
                assert group.locator("input:checked").count() == 1
            else:
                group.locator("label").nth(1).click()
        buttons = page.get_by_role("button", name="Étape suivante")
        (
            buttons if buttons.count() else page.get_by_role("button", name="Voir mes résultats")
        ).click()
    assert step == 7
    assert page.locator("h1").inner_text() == "Résultats de votre autodiagnostic"
    first_use_cases = page.locator("ol.osezia-cas-usage").first.locator("h3").all_inner_texts()
    assert any("Assistance commerciale" in title for title in first_use_cases[:3])
    assert "Vous indiquez « Mes devis me prennent mes soirées »" in page.content()
    assert page.get_by_role("table", name="Scores par dimension").is_visible()
    assert page.console_errors == []


def test_a_leader_searches_the_catalogue_compares_and_writes_to_a_provider(page, server_url):
    page.goto(server_url + "/catalogue/")
    page.get_by_label("Rechercher une solution").fill("facturs fournisseur")
    page.get_by_role("button", name="Rechercher").click()
    first = page.locator(".fr-card__title a").first
    assert "factur" in page.locator(".fr-card").first.inner_text().lower()
    page.locator("#f-hebergement-france").check(force=True)
    page.get_by_role("button", name="Appliquer les filtres").click()
    assert "hebergement=france" in page.url
    boxes = page.locator("input[name=ids]")
    boxes.nth(0).check(force=True)
    boxes.nth(1).check(force=True)
    page.get_by_role("button", name="Comparer la sélection (3 au plus)").click()
    assert page.get_by_role("table").is_visible()
    page.go_back()
    first = page.locator(".fr-card__title a").first
    first.click()
    page.get_by_label("Vos prénom et nom").fill("Claire Morel")
    page.get_by_label("Votre adresse électronique").fill("claire@exemple.fr")
    page.get_by_label("Votre message").fill(
        "Bonjour, pouvez-vous me présenter votre solution pour une boulangerie ?"
    )
    page.get_by_role("button", name="Envoyer").click()
    assert "il va être transmis au fournisseur par e-mail" in page.content()
    assert page.console_errors == []


def test_a_job_seeker_finds_a_training_enrols_and_passes_a_tutorial_quiz(page, server_url):
    page.goto(server_url + "/academie/")
    page.get_by_role("link", name="Je suis demandeur·se d'emploi").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Demandeur·se d'emploi")
    page.get_by_label("Gratuite").check(force=True)
    page.get_by_role("button", name="Appliquer les filtres").click()
    expect(page.get_by_role("status")).not_to_have_text("0 formation")
    page.locator(".fr-card__title a").first.click()
    expect(page.get_by_role("heading", name="Sessions")).to_be_visible()
    page.get_by_role("link", name="Connectez-vous").click()
    page.get_by_label("Courriel").fill("apprenant@demo.osez-ia.fr")
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", name="Sessions")).to_be_visible()
    page.get_by_role("link", name="M'inscrire").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmer mon inscription")
    outside_audience = page.locator("#hors_public")
    if outside_audience.count():
        outside_audience.check(force=True)
    page.get_by_role("button", name="Confirmer mon inscription").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace apprenant")
    expect(page.locator("table")).to_contain_text("Inscrit·e")
    page.goto(server_url + "/academie/tutoriels/preparer-un-entretien-d-embauche-avec-l-ia/")
    expect(page.get_by_role("heading", name="Quiz")).to_be_visible()
    for fieldset in page.locator("form fieldset").all():
        fieldset.locator("input[type=radio]").first.check(force=True)
    page.get_by_role("button", name="Valider mes réponses").click()
    expect(page.locator(".fr-alert").first).to_be_visible()
    page.goto(server_url + "/academie/verifier/?code=ABCD-EFGH-JKLM")
    expect(page.get_by_role("alert")).to_contain_text("Aucune attestation")
    assert page.console_errors == []


def test_a_provider_edits_a_published_solution_and_saves_it(page, server_url):
    """The defect: the identifier field was disabled, so the browser did not send it and the
    form came back « Identifiant (obligatoire) : Ce champ est obligatoire »."""
    page.goto(server_url + "/comptes/login/")
    page.get_by_label("Courriel").fill("fournisseur@demo.osez-ia.fr")
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.goto(server_url + "/catalogue/espace-fournisseur/")
    row = page.locator("tbody tr").filter(has_text=re.compile(r"oui \(v\d+\)")).first
    name = row.locator("td").first.inner_text().strip()
    row.get_by_role("link", name="Modifier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Modifier la solution")
    summary = page.get_by_label("Résumé en une phrase")
    before = summary.input_value()
    summary.fill("Une phrase revue par le fournisseur pour la prochaine version.")
    page.get_by_role("button", name="Soumettre à la modération").click()
    expect(page).to_have_url(re.compile(r"/catalogue/espace-fournisseur/$"))
    expect(page.get_by_text("La solution est soumise à la modération.")).to_be_visible()
    row = page.locator("tbody tr").filter(has_text=name).first
    expect(row).to_contain_text("Soumise")
    # The published version stays online until an operator publishes the new one.
    row.get_by_role("link", name=name).click()
    expect(page.locator("main")).to_contain_text(before)
    assert page.console_errors == []


def test_a_citizen_votes_with_the_keyboard_and_proposes_with_suggestions(page, server_url):
    page.goto(server_url + "/consultations/")
    page.get_by_role("link", name=re.compile("adopter l'intelligence artificielle")).click()
    page.get_by_role("link", name="Participer").click()
    page.get_by_label("Tranche d'âge").select_option("35_49")
    page.get_by_role("button", name="Commencer à voter").click()
    title = page.locator("#carte-titre")
    expect(title).to_have_text(re.compile(r"^Proposition 1 sur \d+$"))
    # Keyboard only: the first button of the card is « D'accord ».
    page.get_by_role("button", name="D'accord", exact=True).focus()
    page.keyboard.press("Enter")
    expect(title).to_contain_text("votre vote : D'accord")
    expect(title).to_be_focused()
    page.get_by_role("button", name="Réaliste").focus()
    page.keyboard.press("Enter")
    expect(title).to_have_text(re.compile(r"^Proposition 2 sur \d+$"))
    page.get_by_role("button", name="Pas d'accord").click()
    page.get_by_role("button", name="Proposition suivante").click()
    expect(title).to_have_text(re.compile(r"^Proposition 3 sur \d+$"))
    page.goto(server_url + "/consultations/ia-dans-les-entreprises/proposer/")
    field = page.get_by_label(re.compile("Votre proposition"))
    field.fill("Il faut des exemples concrets d'utilisation de l'IA pour chaque métier")
    suggestions = page.locator("#suggestions")
    expect(suggestions).to_contain_text("exemples concrets d'usage de l'IA par métier")
    page.get_by_role("button", name="Envoyer ma proposition").click()
    expect(page.get_by_text("Votre proposition sera publiée")).to_be_visible()
    assert page.console_errors == []
