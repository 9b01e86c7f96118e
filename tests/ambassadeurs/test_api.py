"""The API contract of docs/ambassadeurs.md."""

import pytest
from django.test import Client

from osezia.ambassadeurs.models import Demande
from osezia.ambassadeurs.services.activites import CONTACTS_PER_HOUR  # noqa: F401
from tests.ambassadeurs.factories import AmbassadeurFactory, body

URL = "/api/v1/ambassadeurs"


@pytest.fixture
def client():
    return Client()


def post(client, data):
    return client.post(f"{URL}/demandes", data, content_type="application/json")


def test_the_directory_lists_active_ambassadors_without_email(client, db):
    AmbassadeurFactory(id_externe="A1", regions=["53"], naf=["10.71"], email="secret@x.example")
    AmbassadeurFactory(id_externe="A2", statut="candidature")
    answer = client.get(URL).json()
    assert answer["count"] == 1
    assert answer["items"] == [
        {
            "id_externe": "A1",
            "prenom": "Lou",
            "nom": answer["items"][0]["nom"],
            "type_ambassadeur": "REGIONAL",
            "reseau": "CCI",
            "regions": ["53"],
            "naf": ["10.71"],
        }
    ]
    assert "secret@x.example" not in client.get(URL).content.decode()


def test_the_directory_filters_by_region_naf_kind_and_network(client, db):
    AmbassadeurFactory(id_externe="BZH", regions=["53"])
    AmbassadeurFactory(id_externe="ARA", regions=["84"], reseau="BPIFRANCE")
    AmbassadeurFactory(id_externe="ALL", type_ambassadeur="GRAND_PUBLIC", reseau="FRANCE_NUM")
    AmbassadeurFactory(id_externe="FOOD", naf=["C"], type_ambassadeur="SECTORIEL")

    def ids(query):
        return [i["id_externe"] for i in client.get(f"{URL}?{query}").json()["items"]]

    assert sorted(ids("region=53")) == ["ALL", "BZH", "FOOD"]
    assert sorted(ids("naf=1071c")) == ["ALL", "ARA", "BZH", "FOOD"]
    assert sorted(ids("naf=47.11")) == ["ALL", "ARA", "BZH"]
    assert ids("type_ambassadeur=SECTORIEL") == ["FOOD"]
    assert ids("reseau=BPIFRANCE") == ["ARA"]
    assert client.get(f"{URL}?page_size=2").json()["count"] == 4
    assert len(client.get(f"{URL}?page_size=2").json()["items"]) == 2
    refused = client.get(f"{URL}?reseau=INCONNU")
    assert refused.status_code == 422 and "reseau" in refused.json()["detail"]


def test_a_request_is_routed_and_answers_201(client, db):
    AmbassadeurFactory(id_externe="R2", regions=["53"])
    AmbassadeurFactory(id_externe="R1", regions=["53"], naf=["10.7"], reseau="FRANCE_NUM")
    response = post(client, body())
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["ambassadeur"] == {
        "id_externe": "R1",
        "type_ambassadeur": "REGIONAL",
        "reseau": "FRANCE_NUM",
    }
    assert data["statut"] == "assignee"
    assert len(data["echeance_premier_contact"]) == 10
    demande = Demande.objects.get(pk=data["id"])
    assert demande.region_id == "53" and "Rang 1" in demande.motif_routage


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"naf": "99.99Z"}, "naf"),
        ({"departement": "99"}, "departement"),
        ({"email": "pas-une-adresse"}, "email"),
        ({"message": "x" * 2001}, "message"),
        ({"siret": "12345678901234"}, "siret"),
        ({"effectif": -1}, "effectif"),
    ],
)
def test_bad_input_is_refused_with_a_french_detail(client, db, override, field):
    AmbassadeurFactory()
    response = post(client, body(**override))
    assert response.status_code == 422
    assert field in response.json()["detail"]
    assert not Demande.objects.exists()


def test_the_request_endpoint_is_rate_limited(client, db, monkeypatch):
    from osezia.ambassadeurs.services import demandes

    monkeypatch.setattr(demandes, "REQUESTS_PER_HOUR", 2)
    AmbassadeurFactory()
    assert [post(client, body()).status_code for _ in range(3)] == [201, 201, 429]
