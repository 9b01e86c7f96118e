"""The API under /api/v1/expertise: the public simulation (contract, 422 in French, rate
limit) and the files with the rights of the pages."""

import pytest
from django.test import Client

from osezia.expertise import etats, services
from osezia.expertise.api import SIMULATIONS_PER_MINUTE
from tests.comptes.factories import UtilisateurFactory
from tests.conftest import login_with_code

from .factories import BESOINS, company_member, envelope, expert, pme, request, to_handed_over

pytestmark = pytest.mark.django_db
URL = "/api/v1/expertise"


def test_the_simulation_of_the_contract(client):
    answer = client.get(f"{URL}/simulation?jours=10&taux_journalier_ht_eur=1200")
    assert answer.status_code == 200
    assert answer.json() == {
        "cout_ht_eur": 12000.0,
        "cout_ttc_eur": 14400.0,
        "part_etat_eur": 4800.0,
        "part_entreprise_eur": 9600.0,
        "taux_prise_en_charge": 40,
    }


def test_the_simulation_is_exact_to_the_cent(client):
    answer = client.get(f"{URL}/simulation?jours=3&taux_journalier_ht_eur=123.45").json()
    assert answer == {
        "cout_ht_eur": 370.35,
        "cout_ttc_eur": 444.42,
        "part_etat_eur": 148.14,
        "part_entreprise_eur": 296.28,
        "taux_prise_en_charge": 40,
    }


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("jours=0&taux_journalier_ht_eur=1200", "jours"),
        ("jours=31&taux_journalier_ht_eur=1200", "jours"),
        ("jours=10&taux_journalier_ht_eur=99.99", "taux_journalier_ht_eur"),
        ("jours=10&taux_journalier_ht_eur=5000.01", "taux_journalier_ht_eur"),
        ("jours=10&taux_journalier_ht_eur=1200.001", "taux_journalier_ht_eur"),
    ],
)
def test_out_of_bounds_answers_422_in_french(client, query, field):
    answer = client.get(f"{URL}/simulation?{query}")
    assert answer.status_code == 422
    body = answer.json()
    assert any(e["champ"] == field for e in body["erreurs"]), body
    assert " va de " in str(body)


def test_the_simulation_is_rate_limited(client):
    for _ in range(SIMULATIONS_PER_MINUTE):
        assert (
            client.get(f"{URL}/simulation?jours=10&taux_journalier_ht_eur=1200").status_code == 200
        )
    answer = client.get(f"{URL}/simulation?jours=10&taux_journalier_ht_eur=1200")
    assert answer.status_code == 429 and "Retry-After" in answer


def _logged(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_member_asks_through_the_api_and_a_stranger_gets_404():
    company = pme()
    leader = company_member(company)
    client = _logged(leader)
    body = {"entreprise_siren": company.siren, "besoins": BESOINS, "partage_autodiagnostic": True}
    answer = client.post(f"{URL}/demandes", body, content_type="application/json")
    assert answer.status_code == 201, answer.content
    assert answer.json()["statut"] == "demandee" and answer.json()["transitions_possibles"] == [
        "annulee"
    ]
    assert client.post(f"{URL}/demandes", body, content_type="application/json").status_code == 422
    stranger = _logged(UtilisateurFactory())
    assert (
        stranger.post(f"{URL}/demandes", body, content_type="application/json").status_code == 404
    )
    pk = answer.json()["id"]
    assert stranger.get(f"{URL}/demandes/{pk}").status_code == 404
    assert stranger.get(f"{URL}/demandes").json()["count"] == 0
    assert Client().get(f"{URL}/demandes/{pk}").status_code == 401


def test_a_tpe_is_refused_with_its_reason():
    company = pme(categorie_taille="TPE", effectif=6)
    answer = _logged(company_member(company)).post(
        f"{URL}/demandes",
        {"entreprise_siren": company.siren, "besoins": BESOINS},
        content_type="application/json",
    )
    assert answer.status_code == 422 and "réservé aux PME et ETI" in answer.json()["detail"]


def test_rights_on_moves_quote_and_report(operator):
    the_expert = expert()
    envelope(operator)
    company = pme()
    leader = company_member(company)
    demande = to_handed_over(company, leader, operator, the_expert)
    mine = _logged(leader)
    assert mine.get(f"{URL}/demandes/{demande.pk}/devis").json()["part_etat_eur"] == 4800.0
    steps = mine.get(f"{URL}/demandes/{demande.pk}/transitions").json()
    assert steps["count"] == 6 and [s["vers"] for s in steps["items"]][-1] == "rapport_remis"
    report = mine.get(f"{URL}/demandes/{demande.pk}/rapport").json()
    assert report["statut"] == "remis" and report["cas_usage"][0]["gain_formule"]
    # The expert cannot validate its own report; another expert does not see the file.
    as_expert = _logged(the_expert.utilisateur)
    refused = as_expert.post(
        f"{URL}/demandes/{demande.pk}/transitions",
        {"vers": "valide"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    other = _logged(expert(nom="Autre").utilisateur)
    assert other.get(f"{URL}/demandes/{demande.pk}/rapport").status_code == 404
    assert other.get(f"{URL}/demandes/{demande.pk}/rapport.pdf").status_code == 404
    # A company cannot invoice.
    assert (
        mine.post(
            f"{URL}/demandes/{demande.pk}/transitions",
            {"vers": "facture"},
            content_type="application/json",
        ).status_code
        == 422
    )
    done = mine.post(
        f"{URL}/demandes/{demande.pk}/transitions",
        {"vers": "valide"},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["statut"] == "valide"
    assert (
        mine.post(
            f"{URL}/demandes/{demande.pk}/transitions",
            {"vers": "facture"},
            content_type="application/json",
        ).status_code
        == 403
    )
    operator_client = login_with_code(Client(), operator)
    assert (
        operator_client.post(
            f"{URL}/demandes/{demande.pk}/transitions",
            {"vers": "facture"},
            content_type="application/json",
        ).json()["statut"]
        == "facture"
    )


def test_the_report_pdf(operator):
    the_expert = expert()
    envelope(operator)
    company = pme()
    leader = company_member(company)
    demande = to_handed_over(company, leader, operator, the_expert)
    answer = _logged(leader).get(f"{URL}/demandes/{demande.pk}/rapport.pdf")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF")


def test_an_operator_move_needs_its_reason(operator):
    company = pme()
    demande = request(company, company_member(company))
    client = login_with_code(Client(), operator)
    answer = client.post(
        f"{URL}/demandes/{demande.pk}/transitions",
        {"vers": "refusee"},
        content_type="application/json",
    )
    assert answer.status_code == 422 and "motif" in answer.json()["detail"].lower()
    answer = client.post(
        f"{URL}/demandes/{demande.pk}/transitions",
        {"vers": "refusee", "motif": "doublon"},
        content_type="application/json",
    )
    assert answer.json()["statut"] == etats.REFUSEE
    assert services.timeline(demande).last().motif == "doublon"
