"""The consultation's pages as a citizen and as an operator (without a browser)."""

import re

import pytest
from django.test import Client

from osezia.consultation.models import Participant, Proposition, Vote
from tests.conftest import login_with_code
from tests.consultation import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation():
    c = f.consultation(slug="ia-pme", description="Donnez votre avis.")
    for i in range(3):
        f.proposition(c, f"Il faut former les salariés au numéro {i}", auteur=f.participant(c))
    return c


def card_fields(html: str) -> dict:
    form = re.search(r'<input type="hidden" name="action" value="vote">(.*?)</form>', html, re.S)
    return dict(re.findall(r'name="(proposition|restants|total)" value="([^"]*)"', form.group(1)))


def test_a_citizen_takes_part_and_votes_card_by_card(client, consultation):
    home = client.get("/consultations/ia-pme/")
    assert "Participer" in home.content.decode()
    answer = client.post(
        "/consultations/ia-pme/participer/",
        {"tranche_age": "35_49", "departement": "33", "profil": "citoyen"},
    )
    assert answer.status_code == 302
    participant = Participant.objects.get(jeton_hash__isnull=False)
    assert (participant.tranche_age, participant.region) == ("35_49", "75")
    cookie = client.cookies[f"osezia_participant_{consultation.pk}"]
    assert cookie["httponly"] and cookie.value != participant.jeton_hash
    page = client.get("/consultations/ia-pme/voter/").content.decode()
    assert "Proposition 1 sur 3" in page
    fields = card_fields(page)
    voted = client.post(
        "/consultations/ia-pme/voter/", {**fields, "action": "vote", "vote": "pour"}
    ).content.decode()
    assert "votre vote : D&#x27;accord" in voted or "votre vote : D'accord" in voted
    assert "Coup de cœur" in voted and "Surtout pas" not in voted
    qualified = client.post(
        "/consultations/ia-pme/voter/",
        {**fields, "action": "qualifier", "qualification": "coup_de_coeur"},
    ).content.decode()
    assert "Proposition 2 sur 3" in qualified
    vote = Vote.objects.get()
    assert (vote.vote, vote.qualification) == ("pour", "coup_de_coeur")


def test_a_bad_vote_on_the_page_says_why_and_stores_nothing(client, consultation):
    client.post("/consultations/ia-pme/participer/", {})
    fields = card_fields(client.get("/consultations/ia-pme/voter/").content.decode())
    page = client.post(
        "/consultations/ia-pme/voter/", {**fields, "action": "vote", "vote": "bof"}
    ).content.decode()
    assert "fr-alert--error" in page and "Vote" in page
    assert not Vote.objects.exists()


def test_voting_without_participating_first_leads_to_the_profile_page(client, consultation):
    answer = client.get("/consultations/ia-pme/voter/")
    assert answer.status_code == 302 and answer["Location"].endswith("/participer/")


def test_a_proposal_from_the_page_waits_for_moderation(client, consultation):
    client.post("/consultations/ia-pme/participer/", {})
    refused = client.post("/consultations/ia-pme/proposer/", {"texte": "Former tout le monde"})
    assert "Il faut" in refused.content.decode()
    assert Proposition.objects.filter(statut="en_attente").count() == 0
    answer = client.post(
        "/consultations/ia-pme/proposer/", {"texte": "Il faut aider les artisans à choisir une IA"}
    )
    assert answer.status_code == 302
    assert Proposition.objects.filter(statut="en_attente").count() == 1


def test_suggestions_show_accepted_proposals_only(client, consultation):
    f.proposition(consultation, "Il faut former les salariés en attente", statut="en_attente")
    html = client.get(
        "/consultations/ia-pme/similaires/", {"texte": "former les salariés"}
    ).content.decode()
    assert "numéro" in html and "en attente" not in html


def test_moderation_is_for_operators_and_never_of_their_own(client, operator, consultation):
    pending = f.proposition(consultation, "Il faut une idée à relire", statut="en_attente")
    assert client.get("/consultations/ia-pme/moderation/").status_code == 404
    staff = login_with_code(Client(), operator)
    page = staff.get("/consultations/ia-pme/moderation/").content.decode()
    assert "Il faut une idée à relire" in page
    staff.post(
        "/consultations/ia-pme/moderation/",
        {"proposition": pending.pk, "decision": "refusee", "motif": ""},
    )
    pending.refresh_from_db()
    assert pending.statut == "en_attente"
    staff.post(
        "/consultations/ia-pme/moderation/",
        {"proposition": pending.pk, "decision": "refusee", "motif": "hors_sujet"},
    )
    pending.refresh_from_db()
    assert (pending.statut, pending.motif) == ("refusee", "hors_sujet")


def test_a_closed_consultation_shows_its_results_link_and_takes_no_vote(client):
    f.consultation(slug="close", state="close")
    page = client.get("/consultations/close/").content.decode()
    assert "Voir les résultats" in page and "Participer" not in page
    assert client.get("/consultations/close/voter/").status_code == 302
    assert client.get("/consultations/close/resultats/").status_code == 200
