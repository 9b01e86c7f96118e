"""Who may start a diagnostic in a company's name: its members, on the page and through the
API alike; never an operator (who sees every company) nor a stranger."""

import json

import pytest
from django.test import Client

from osezia.diagnostics.models import Diagnostic
from tests.comptes.factories import member
from tests.conftest import login_with_code
from tests.diagnostics.factories import all_answers
from tests.entreprises.factories import EntrepriseFactory


def api_create(client, siren, questionnaire):
    body = {"entreprise": siren, "reponses": all_answers(questionnaire, "second")}
    return client.post("/api/v1/diagnostics", json.dumps(body), content_type="application/json")


def page_start(client, siren):
    return client.post("/diagnostic/", {"depuis_entreprise": "1", "entreprise": siren})


@pytest.fixture
def company(db):
    return EntrepriseFactory()


@pytest.mark.parametrize("who", ["operateur", "non_membre"])
def test_neither_page_nor_api_lets_a_non_member_diagnose_a_company(
    who, company, operator, make_user, questionnaire
):
    if who == "operateur":
        client = login_with_code(Client(), operator)
    else:
        member(make_user(), company)  # the company has a member, just not this person
        client = Client()
        client.force_login(make_user())
    assert api_create(client, company.siren, questionnaire).status_code == 404
    assert page_start(client, company.siren).status_code == 404
    assert not Diagnostic.objects.filter(entreprise=company).exists()


def test_a_member_diagnoses_their_company_on_the_page_and_through_the_api(
    company, make_user, questionnaire
):
    user = make_user()
    member(user, company)
    client = Client()
    client.force_login(user)
    created = api_create(client, company.siren, questionnaire)
    assert created.status_code == 201 and created.json()["entreprise"] == company.siren
    started = page_start(client, company.siren)
    assert started.status_code == 302 and "/etape/0/" in started["Location"]
    assert client.get(started["Location"]).status_code == 200
    assert Diagnostic.objects.filter(entreprise=company).count() == 2


def test_an_operator_who_is_a_member_of_a_company_may_diagnose_it(company, operator, questionnaire):
    member(operator, company)
    client = login_with_code(Client(), operator)
    assert api_create(client, company.siren, questionnaire).status_code == 201
