"""The results as citizens read them: the API's contract and the results page."""

import pytest

from osezia.consultation.models import Participant, Proposition, Vote
from osezia.consultation.services import resultats
from tests.consultation import factories as f
from tests.consultation.test_opinion import planted

pytestmark = pytest.mark.django_db
VALUE = {1: "pour", -1: "contre", 0: "neutre"}


@pytest.fixture
def voted():
    """A consultation whose votes come from three planted opinion groups."""
    consultation = f.consultation(slug="ia-pme")
    votes, truth = planted(sizes=(30, 25, 20), statements=12)
    people = {
        name: f.participant(consultation, pseudonyme=name, tranche_age="25_34") for name in truth
    }
    statements = {
        s: f.proposition(consultation, f"Il faut l'idée {s}")
        for s in sorted({s for _, s, _ in votes})
    }
    Vote.objects.bulk_create(
        Vote(
            consultation=consultation,
            participant=people[who],
            proposition=statements[what],
            vote=VALUE[value],
        )
        for who, what, value in votes
    )
    for proposition in statements.values():
        rows = Vote.objects.filter(proposition=proposition)
        counts = {v: rows.filter(vote=v).count() for v in VALUE.values()}
        Proposition.objects.filter(pk=proposition.pk).update(votes=sum(counts.values()), **counts)
    resultats.refresh(consultation)
    return consultation, truth


def test_the_results_api_follows_the_contract(client, voted):
    consultation, truth = voted
    body = client.get("/api/v1/consultations/ia-pme/resultats").json()
    first = body["propositions"][0]
    for key in ("id", "texte", "votes", "pour", "contre", "neutre", "score", "controverse", "zone"):
        assert key in first
    assert first["zone"] in ("consensus", "rejet", "controverse", "limbo")
    groups = body["groupes"]
    assert groups["k"] == 3
    assert set(groups["groupes"]) <= set(truth)  # those with enough votes
    assert len(groups["groupes"]) == groups["participants_classes"] >= 0.8 * len(truth)
    assert all(len(ids) <= 5 for ids in groups["representatifs"].values())
    assert "segments" not in body
    with_segments = client.get("/api/v1/consultations/ia-pme/resultats?segments=true").json()
    assert with_segments["segments"]["tranche_age"][0]["code"] == "25_34"


def test_results_are_read_as_stored_never_computed_on_a_read(client, voted):
    consultation, _ = voted
    Participant.objects.filter(consultation=consultation).update(fiable=False)
    body = client.get("/api/v1/consultations/ia-pme/resultats").json()
    assert body["groupes"]["k"] == 3  # the stored results, until the task runs again
    resultats.refresh(consultation)
    body = client.get("/api/v1/consultations/ia-pme/resultats").json()
    assert body["groupes"]["k"] == 0 and body["propositions"][0]["votes"] == 0


def test_the_results_page_shows_zones_groups_map_and_its_table(client, voted):
    html = client.get("/consultations/ia-pme/resultats/").content.decode()
    assert 'role="img"' in html and '<title id="carte-titre">' in html
    assert "Groupe 3" in html and "Propositions représentatives" in html
    assert "Il faut l&#x27;idée c00" in html
    segment = client.get(
        "/consultations/ia-pme/resultats/", {"segment": "tranche_age:25_34"}
    ).content.decode()
    assert "25 à 34 ans" in segment


def test_a_consultation_without_results_yet_says_so(client):
    f.consultation(slug="neuve")
    html = client.get("/consultations/neuve/resultats/").content.decode()
    assert "seront calculés après les premiers votes" in html
    body = client.get("/api/v1/consultations/neuve/resultats").json()
    assert body["propositions"] == [] and body["groupes"]["k"] == 0
