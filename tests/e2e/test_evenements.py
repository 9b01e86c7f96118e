"""The business meetings' main journey in a browser, on the demo data: the organiser opens the
past event's page and its result, checks a participant in by typing the code; a participant
reads its agenda."""

import re

import pytest

pytestmark = pytest.mark.e2e

DEMO_PASSWORD = "OsezIA-demo-2030"


def _login(page, server_url, email):
    page.goto(server_url + "/comptes/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url("**/espace/")


def test_the_organiser_sees_the_schedule_and_checks_a_participant_in(page, server_url):
    _login(page, server_url, "organisateur@demo.osez-ia.fr")
    page.goto(server_url + "/rencontres/")
    # « Mes rencontres organisées » leads to the organiser's page, past events included
    page.get_by_role("link", name=re.compile("Rencontres d'affaires IA de Bretagne")).first.click()
    page.wait_for_url(re.compile(r".*/rencontres/\d+/organisation/"))
    resultat = page.get_by_role("table", name=re.compile("Résultat de la planification"))
    assert "Borne supérieure prouvée" in resultat.inner_text()
    assert page.get_by_role("table", name=re.compile(r"Rendez-vous planifiés \(\d+\)")).is_visible()
    page.get_by_role("link", name="Émargement").click()
    page.get_by_label("Code d'émargement (scanné ou saisi)").fill("PAS-UN-CODE")
    page.get_by_role("button", name="Enregistrer la présence").click()
    assert "Code inconnu pour cette rencontre." in page.content()
    page.goto(server_url + "/rencontres/")
    assert page.console_errors == []


def test_a_participant_reads_its_agenda_with_its_check_in_code(page, server_url):
    _login(page, server_url, "rencontres-e02@demo.osez-ia.fr")
    page.goto(server_url + "/rencontres/")
    page.get_by_role(
        "link", name=re.compile("Mon agenda — Rencontres d'affaires IA de Bretagne")
    ).click()
    assert page.get_by_role("table", name=re.compile(r"Mes rendez-vous \(\d+\)")).is_visible()
    assert page.get_by_role("img", name=re.compile("Code QR d'émargement")).is_visible()
    assert page.get_by_role("link", name="Ajouter à mon agenda (.ics)").is_visible()
    assert page.console_errors == []
