import json

import pytest
from django.test import Client

from tests.comptes.factories import member
from tests.diagnostics.factories import all_answers
from tests.entreprises.factories import EntrepriseFactory

RAPIDE = "/api/v1/diagnostics/rapide"


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_questionnaire_endpoint(db):
    body = Client().get("/api/v1/diagnostics/questionnaire").json()
    assert body["version"] == 1
    assert 20 <= len(body["questions"]) <= 35
    question = body["questions"][0]
    assert {"code", "type", "libelle", "options", "dimension"} <= set(question)
    assert {"code", "libelle"} <= set(question["options"][0])


def test_quick_assessment_without_answers(db):
    body = post(
        Client(),
        RAPIDE,
        {
            "naf": "10.71C",
            "effectif": 8,
            "chiffre_affaires_eur": 900000,
            "departement": "69",
            "description": "On jette trop de pain le soir.",
        },
    ).json()
    assert body["categorie_taille"] == "TPE"
    assert body["maturite"] is None
    assert len(body["cas_usage"]) == 23
    assert body["cas_usage"][0]["famille"] == "PREVISION"
    scores = [c["score"] for c in body["cas_usage"]]
    assert scores == sorted(scores, reverse=True)
    assert set(body["cas_usage"][0]) >= {
        "famille",
        "score",
        "valeur",
        "faisabilite",
        "priorite",
        "justification",
    }


def test_quick_assessment_with_answers(db, questionnaire):
    body = post(
        Client(),
        RAPIDE,
        {"naf": "62.01Z", "effectif": 40, "reponses": all_answers(questionnaire, "max")},
    ).json()
    assert body["maturite"]["global"] == 100
    assert body["maturite"]["niveau"] == "TRANSFORMATION"
    assert set(body["maturite"]["dimensions"]) == {
        "STRATEGIE",
        "DONNEES",
        "COMPETENCES",
        "OUTILS",
        "USAGES",
        "CONFIANCE",
    }


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"naf": "99.99Z", "effectif": 8}, "NAF"),
        ({"naf": "10.71C", "effectif": -1}, "négatif"),
        ({"naf": "10.71C", "effectif": 8, "departement": "99"}, "département"),
        ({"naf": "10.71C", "effectif": 8, "description": "a" * 5001}, "5000"),
        ({"naf": "10.71C", "effectif": 8, "reponses": {"QUESTION_INCONNUE": "X"}}, "n'existe pas"),
        (
            {"naf": "10.71C", "effectif": 8, "reponses": {"STRAT_PRIORITE": "ZZZ"}},
            "Réponse inconnue",
        ),
        ({"naf": "10.71C"}, "obligatoire"),
    ],
)
def test_quick_assessment_refuses_bad_input_in_french(db, body, words):
    response = post(Client(), RAPIDE, body)
    assert response.status_code == 422
    assert words in response.json()["detail"]


def test_saving_listing_and_reading_ones_own_diagnostics(make_user, questionnaire):
    owner, stranger = make_user(), make_user()
    company, other = EntrepriseFactory(), EntrepriseFactory()
    member(owner, company, admin=True)
    member(stranger, other, admin=True)
    client = Client()
    client.force_login(owner)
    created = post(
        client,
        "/api/v1/diagnostics",
        {"entreprise": company.siren, "reponses": all_answers(questionnaire, "second")},
    )
    assert created.status_code == 201
    identifier = created.json()["id"]
    assert created.json()["entreprise"] == company.siren
    listed = client.get("/api/v1/diagnostics").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == identifier
    assert client.get(f"/api/v1/diagnostics/{identifier}").status_code == 200

    intruder = Client()
    intruder.force_login(stranger)
    assert intruder.get(f"/api/v1/diagnostics/{identifier}").status_code == 404
    assert intruder.get("/api/v1/diagnostics").json()["count"] == 0
    refused = post(intruder, "/api/v1/diagnostics", {"entreprise": company.siren, "reponses": {}})
    assert refused.status_code == 404
    assert Client().get("/api/v1/diagnostics").status_code == 401
    assert Client().get(f"/api/v1/diagnostics/{identifier}").status_code == 401


@pytest.mark.parametrize("typed", ["1071C", "10.71 C", "1071 c"])
def test_the_quick_assessment_reads_a_naf_code_however_it_is_typed(db, typed):
    body = {"naf": typed, "effectif": 8, "chiffre_affaires_eur": 900000, "departement": "69"}
    answer = post(Client(), RAPIDE, body)
    assert answer.status_code == 200, answer.content
    reference = post(Client(), RAPIDE, {**body, "naf": "10.71C"}).json()
    assert answer.json()["cas_usage"] == reference["cas_usage"]
