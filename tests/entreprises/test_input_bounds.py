"""Crafted company input: control characters and overflowing figures get a French error,
never a 500 and never a stored row."""

import pytest
from django.test import Client

from osezia.entreprises.models import Entreprise
from osezia.socle.validation import MESSAGE
from tests.entreprises.factories import COMPANY_FORM

FORM = COMPANY_FORM
API = {
    "siret": "81234567600017",
    "denomination": "Boulangerie Morel",
    "naf": "10.71C",
    "effectif": 8,
    "departement": "69",
}


@pytest.fixture
def client(logged_in_client):
    return logged_in_client


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("commune", "Lyon\x00", MESSAGE),
        ("commune", "Ly\x1bon", MESSAGE),
        ("denomination", "Morel\u0085SA", MESSAGE),
        ("description", "Pain\x00", MESSAGE),
        ("effectif", str(2**31), "inférieure ou égale à 10000000"),
        ("chiffre_affaires_eur", str(10**17), "inférieure ou égale à 1000000000000"),
        ("total_bilan_eur", "9" * 23, "inférieure ou égale à 1000000000000"),
    ],
)
def test_the_form_reports_the_field_and_stores_nothing(client, field, value, message):
    response = client.post("/entreprises/inscrire/", {**FORM, field: value})
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert not Entreprise.objects.exists()


@pytest.mark.parametrize(
    "field, value, fragment",
    [
        ("commune", "Lyon\x00", "caractères non autorisés"),
        ("commune", "Lyon\ud800", "caractères non autorisés"),
        ("commune", "Lyon\nParis", "caractères non autorisés"),
        ("effectif", 2**31, "inférieur ou égal à 10000000"),
        ("chiffre_affaires_eur", 10**17, "inférieur ou égal à 1000000000000"),
        ("total_bilan_eur", 10**23, "inférieur ou égal à 1000000000000"),
    ],
)
def test_the_api_answers_422_in_french(client, field, value, fragment):
    response = client.post(
        "/api/v1/entreprises", {**API, field: value}, content_type="application/json"
    )
    assert response.status_code == 422
    assert fragment in response.json()["detail"]
    assert not Entreprise.objects.exists()


def test_the_size_category_refuses_figures_beyond_any_company(db):
    client = Client()
    ok = client.get(
        "/api/v1/entreprises/categorie-taille?effectif=10000000&chiffre_affaires_eur=1000000000000"
    )
    assert ok.status_code == 200 and ok.json()["categorie_taille"] == "GE"
    assert (
        client.get("/api/v1/entreprises/categorie-taille?effectif=99999999999").status_code == 422
    )
    page = client.get("/entreprises/categorie-taille/?effectif=99999999999")
    assert page.status_code == 200
    assert "inférieure ou égale à 10000000" in page.content.decode()


def test_the_database_refuses_an_overflowing_headcount(db):
    from django.db import IntegrityError, transaction

    from tests.entreprises.factories import EntrepriseFactory

    with pytest.raises(IntegrityError), transaction.atomic():
        EntrepriseFactory(effectif=10_000_001)


HUGE = "99999999999999999999999"  # 23 digits: an OverflowError once, never a 500


@pytest.mark.parametrize("field", ["effectif", "chiffre_affaires_eur", "total_bilan_eur"])
def test_a_23_digit_figure_is_a_french_field_error_on_create_and_edit(client, field):
    page = client.post("/entreprises/inscrire/", {**FORM, field: HUGE})
    assert page.status_code == 200
    assert "inférieure ou égale à" in page.context["form"].errors[field][0]
    assert client.post("/entreprises/inscrire/", FORM).status_code == 302
    edit = client.post("/entreprises/812345676/modifier/", {**FORM, field: HUGE})
    assert edit.status_code == 200
    assert "inférieure ou égale à" in edit.context["form"].errors[field][0]
    size = client.get("/entreprises/categorie-taille/", {"effectif": "3", field: HUGE})
    assert size.status_code == 200


@pytest.mark.parametrize("field", ["effectif", "chiffre_affaires_eur", "total_bilan_eur"])
def test_a_23_digit_figure_is_a_422_in_the_companies_api(client, field):
    created = client.post("/api/v1/entreprises", API, content_type="application/json")
    assert created.status_code == 201
    for method in (client.post, client.put):
        url = "/api/v1/entreprises" if method == client.post else "/api/v1/entreprises/812345676"
        response = method(url, {**API, field: int(HUGE)}, content_type="application/json")
        assert response.status_code == 422
        assert "inférieur ou égal à" in response.json()["detail"]
