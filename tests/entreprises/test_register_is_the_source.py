"""Nobody registers a SIREN under a name of their choosing when the register connector is on:
the name and NAF code come from the register, whatever is typed (page and API); the form says
so. Connector off, the form says honestly that the name is declarative. NAF codes are
understood however they are typed."""

import json
from pathlib import Path

import pytest
from django.test import Client

from osezia.entreprises import recherche_entreprises
from osezia.entreprises.models import Entreprise
from tests.entreprises.factories import COMPANY_FORM

RECORDED = json.loads(
    (Path(__file__).parent / "data" / "recherche_entreprises_boulangerie.json").read_text()
)
FORM = COMPANY_FORM


@pytest.fixture
def client(logged_in_client):
    return logged_in_client


@pytest.fixture
def register_on(settings, monkeypatch):
    """The connector on, answering from a recorded answer (never the network)."""
    settings.RECHERCHE_ENTREPRISES_ENABLED = True
    asked = []

    def fetch(url, timeout):
        asked.append(url)
        if "81234567600017" not in url and "812345676" not in url:
            return {"results": []}
        return RECORDED

    monkeypatch.setattr(recherche_entreprises, "_http_get", fetch)
    return asked


def test_connector_on_the_typed_name_and_naf_are_ignored(client, register_on):
    response = client.post(
        "/entreprises/inscrire/",
        {**FORM, "denomination": "Ministère des Finances", "naf": "84.11Z"},
    )
    assert response.status_code == 302
    entreprise = Entreprise.objects.get(siren="812345676")
    assert entreprise.denomination == "BOULANGERIE MOREL"
    assert entreprise.naf_id == "10.71C"
    assert entreprise.source == Entreprise.Source.RECHERCHE_ENTREPRISES
    assert register_on  # the register was asked
    detail = client.get("/entreprises/812345676/").content.decode()
    assert "repris du répertoire des entreprises" in detail


def test_connector_on_the_api_takes_the_register_s_name_too(client, register_on):
    response = client.post(
        "/api/v1/entreprises",
        {
            "siret": "81234567600017",
            "denomination": "Autre nom",
            "effectif": 8,
            "departement": "69",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["denomination"] == "BOULANGERIE MOREL"
    assert response.json()["naf"] == "10.71C"


def test_connector_on_a_number_the_register_does_not_know_is_refused(client, register_on):
    response = client.post("/entreprises/inscrire/", {**FORM, "identifiant": "73282932000074"})
    assert response.status_code == 200
    assert "ne connaît pas ce numéro" in response.context["form"].errors["identifiant"][0]
    assert not Entreprise.objects.exists()


def test_connector_on_an_unreachable_register_refuses_rather_than_trusts(
    client, settings, monkeypatch
):
    settings.RECHERCHE_ENTREPRISES_ENABLED = True

    def down(url, timeout):
        raise OSError("réseau indisponible")

    monkeypatch.setattr(recherche_entreprises, "_http_get", down)
    response = client.post("/entreprises/inscrire/", FORM)
    assert response.status_code == 200
    assert "ne répond pas" in response.context["form"].errors["identifiant"][0]
    assert not Entreprise.objects.exists()


def test_connector_on_the_form_shows_name_and_naf_read_only_and_says_why(client, register_on):
    page = client.get("/entreprises/inscrire/?preremplir=81234567600017")
    html = page.content.decode()
    form = page.context["form"]
    assert form.initial["denomination"] == "BOULANGERIE MOREL"
    assert form.fields["denomination"].widget.attrs.get("readonly")
    assert form.fields["naf"].widget.attrs.get("readonly")
    assert "repris du répertoire des entreprises" in html
    assert "ce champ ne se saisit pas" in html


def test_connector_on_an_edit_keeps_the_register_s_name(client, register_on):
    client.post("/entreprises/inscrire/", FORM)
    response = client.post(
        "/entreprises/812345676/modifier/", {**FORM, "denomination": "Nom changé", "effectif": "9"}
    )
    assert response.status_code == 302
    entreprise = Entreprise.objects.get(siren="812345676")
    assert (entreprise.denomination, entreprise.effectif) == ("BOULANGERIE MOREL", 9)


def test_connector_off_the_form_says_the_name_is_declarative(client, settings):
    settings.RECHERCHE_ENTREPRISES_ENABLED = False
    html = client.get("/entreprises/inscrire/").content.decode()
    assert "déclaratifs" in html and "les opérateurs du plan les vérifient" in html
    assert "data-naf-suggestions" in html and "naf-suggestions.js" in html
    response = client.post("/entreprises/inscrire/", FORM)
    assert response.status_code == 302
    entreprise = Entreprise.objects.get(siren="812345676")
    assert entreprise.source == Entreprise.Source.SAISIE
    assert "déclarés par l'entreprise" in client.get("/entreprises/812345676/").content.decode()


@pytest.mark.parametrize("typed", ["10.71 C", "1071C", "10.71c", "1071 C"])
def test_the_company_form_understands_a_code_however_typed(client, typed):
    assert client.post("/entreprises/inscrire/", {**FORM, "naf": typed}).status_code == 302
    assert Entreprise.objects.get(siren="812345676").naf_id == "10.71C"


@pytest.mark.parametrize("typed", ["1071C", "10.71 c"])
def test_the_companies_api_understands_a_code_however_typed(client, typed):
    response = client.post(
        "/api/v1/entreprises",
        {
            "siret": "81234567600017",
            "denomination": "Morel",
            "naf": typed,
            "effectif": 8,
            "departement": "69",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["naf"] == "10.71C"


def test_a_trade_word_typed_in_the_naf_field_without_javascript_gets_the_codes(client):
    response = client.post("/entreprises/inscrire/", {**FORM, "naf": "boulangerie"})
    assert response.status_code == 200
    message = response.context["form"].errors["naf"][0]
    assert "10.71C (Boulangerie et boulangerie-pâtisserie)" in message
    assert not Entreprise.objects.exists()


def test_the_diagnostic_profile_understands_a_code_however_typed(db, questionnaire):
    response = Client().post(
        "/diagnostic/", {"naf": "1071 c", "effectif": "8", "departement": "69"}
    )
    assert response.status_code == 302, response.context["form"].errors
    page = Client().post("/diagnostic/", {"naf": "plombiet", "effectif": "8"})
    assert "43.22A" in page.context["form"].errors["naf"][0]
    assert "data-naf-suggestions" in Client().get("/diagnostic/").content.decode()
