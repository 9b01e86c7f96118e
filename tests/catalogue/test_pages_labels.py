"""Catalogue pages show French labels, never the stored codes; the moderation page shows
everything that will be published; the open-data export answers only its two formats."""

import re

import pytest
from django.test import Client

from osezia.catalogue import services
from tests.catalogue import factories
from tests.catalogue.conftest import make_line
from tests.conftest import login_with_code

CONTENT = {
    "tarif": {"modele": "abonnement", "min_eur_mois": 1500, "max_eur_mois": 15_000_000 // 2},
    "deploiement": ["saas", "hybride"],
    "hebergement": "ue",
    "risque_ia_act": "transparence",
    "familles": ["RELATION_CLIENT", "VENTE"],
    "secteurs": ["47.11"],
    "site_web": "https://devis-express.example.fr/offre",
    "contact": {"email": "ventes@devis-express.example.fr", "telephone": "01 23 45 67 89"},
    "certifications": ["ISO 27001"],
    "modeles_ia": ["Modèle ouvert 7B"],
    "references": [{"client": "Boulangerie du Port (fictive)", "resultat": "2 h gagnées"}],
}


def text_of(html: str) -> str:
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"<[^>]+>", " ", re.sub(r'(?:href|value|id|name|for)="[^"]*"', "", main))


@pytest.fixture
def solution(make_user, operator):
    user = make_user()
    fournisseur = factories.provider(user)
    solution = factories.published_solution(fournisseur, user, operator, **CONTENT)
    return solution, user


def assert_labels(html: str):
    text = text_of(html)
    for label in ("SaaS", "Hybride", "Union européenne", "Obligations de transparence"):
        assert label in text
    assert "Abonnement : de 1\u202f500\u00a0€ à 7\u202f500\u202f000\u00a0€ par mois" in text
    # No table cell, nor an item of a listed cell, is a stored code.
    items = {i.strip() for cell in re.findall(r"<td>([^<]*)</td>", html) for i in cell.split(",")}
    for code in ("saas", "hybride", "ue", "transparence", "abonnement", "RELATION_CLIENT", "TPE"):
        assert code not in items, code
    assert "RELATION_CLIENT" not in text


def test_the_solution_page_shows_labels(solution):
    item, _ = solution
    html = Client().get(f"/catalogue/solutions/{item.id_externe}/").content.decode()
    assert_labels(html)
    text = text_of(html)
    assert "Commerce de détail en magasin non spécialisé" in text or "47.11" in text


def test_the_search_results_show_labels_not_codes(solution, empty_index):
    from osezia.recherche import services as recherche

    recherche.apply_pending()
    html = Client().get("/catalogue/").content.decode()
    card = text_of(html)
    assert "Hébergement : Union européenne" in card
    assert "SaaS, Hybride" in card and "AI Act : Obligations de transparence" in card
    assert "à partir de 1\u202f500\u00a0€ par mois" in card
    for code in ("· saas", "Hébergement ue", "risque transparence"):
        assert code not in card, code


def test_the_history_shows_actions_in_french(solution):
    item, user = solution
    client = login_with_code(Client(), user)
    text = text_of(
        client.get(f"/catalogue/solutions/{item.id_externe}/historique/").content.decode()
    )
    assert "Création" in text and "Publication" in text
    assert " creation " not in text and " publication " not in text


def test_the_moderation_page_shows_everything_that_will_be_published(solution, operator):
    item, user = solution
    services.update_solution(
        item.fournisseur, item, make_line(nom="Devis Express 2", **CONTENT), user, submit_now=True
    )
    client = login_with_code(Client(), operator)
    page = client.get("/catalogue/moderation/").content.decode()
    assert_labels(page)
    for shown in (
        "Relation client",
        "Assistance commerciale",
        "ventes@devis-express.example.fr",
        "01 23 45 67 89",
        "https://devis-express.example.fr/offre",
        "ISO 27001",
        "Modèle ouvert 7B",
        "Boulangerie du Port (fictive)",
        "47.11",
        "Micro-entreprise (TPE)",
    ):
        assert shown in page, shown


@pytest.mark.parametrize("suffix", ["xml", "json", "txt", "jsonl.bak"])
def test_an_unknown_export_extension_is_not_found(db, suffix):
    assert Client().get(f"/catalogue/export.{suffix}").status_code == 404


def test_the_two_export_formats_answer(db):
    assert (
        Client().get("/catalogue/export.jsonl")["Content-Type"].startswith("application/x-ndjson")
    )
    assert Client().get("/catalogue/export.csv")["Content-Type"].startswith("text/csv")
