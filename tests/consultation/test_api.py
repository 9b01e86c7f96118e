"""The consultation's HTTP contract under /api/v1/consultations."""

import threading

import pytest
from django.db import connection
from django.test import Client

from osezia.consultation.models import Participant, Proposition, Vote
from tests.conftest import login_with_code
from tests.consultation import factories as f

pytestmark = pytest.mark.django_db
BASE = "/api/v1/consultations"


@pytest.fixture
def consultation():
    return f.consultation(slug="ia-pme")


def join(client, slug="ia-pme", **profile):
    answer = client.post(f"{BASE}/{slug}/participants", profile, content_type="application/json")
    assert answer.status_code == 201, answer.content
    return answer.json()


def as_participant(token):
    return {"HTTP_X_PARTICIPANT": token}


def test_a_participant_joins_without_an_account(client, consultation):
    body = join(client, tranche_age="18_24", departement="2A", profil="citoyen")
    assert set(body) == {"participant_id", "jeton"}
    stored = Participant.objects.get(pseudonyme=body["participant_id"])
    assert (stored.departement, stored.region) == ("2A", "94")
    assert stored.jeton_hash != body["jeton"]


def test_a_bad_profile_answers_422_in_french(client, consultation):
    answer = client.post(
        f"{BASE}/ia-pme/participants", {"profil": "martien"}, content_type="application/json"
    )
    assert answer.status_code == 422
    assert "Profil" in answer.json()["detail"]
    assert not Participant.objects.exists()


def test_the_consultation_counts_accepted_proposals_participants_and_votes(client, consultation):
    accepted = f.proposition(consultation)
    f.proposition(consultation, "Il faut une idée en attente", statut="en_attente")
    f.vote(f.participant(consultation), accepted, "pour")
    join(client)
    consultation.participants = 2
    consultation.save()
    body = client.get(f"{BASE}/ia-pme").json()
    assert body["etat"] == "ouverte"
    assert (body["propositions"], body["participants"], body["votes"]) == (1, 2, 1)
    assert client.get(f"{BASE}/inconnue").status_code == 404


@pytest.mark.parametrize(
    "texte",
    ["", "Former les salariés à l'IA", "Il faut " + "x" * 140],
)
def test_a_proposal_breaking_the_rule_answers_422_and_nothing_is_stored(
    client, consultation, texte
):
    token = join(client)["jeton"]
    answer = client.post(
        f"{BASE}/ia-pme/propositions",
        {"texte": texte},
        content_type="application/json",
        **as_participant(token),
    )
    assert answer.status_code == 422
    assert answer.json()["detail"].startswith("Proposition")
    assert not Proposition.objects.exists()


def test_a_proposal_is_pending_and_needs_a_participant(client, consultation):
    anonymous = client.post(
        f"{BASE}/ia-pme/propositions",
        {"texte": "Il faut former les artisans à l'IA"},
        content_type="application/json",
    )
    assert anonymous.status_code == 401
    assert "X-Participant" in anonymous.json()["detail"]
    wrong = client.post(
        f"{BASE}/ia-pme/propositions",
        {"texte": "Il faut former les artisans à l'IA"},
        content_type="application/json",
        **as_participant("pas-un-jeton"),
    )
    assert wrong.status_code == 401
    token = join(client)["jeton"]
    answer = client.post(
        f"{BASE}/ia-pme/propositions",
        {"texte": "Il faut former les artisans à l'IA"},
        content_type="application/json",
        **as_participant(token),
    )
    assert answer.status_code == 201
    assert answer.json()["statut"] == "en_attente"


def test_nobody_joins_a_closed_consultation(client):
    f.consultation(slug="close", state="close")
    answer = client.post(f"{BASE}/close/participants", {}, content_type="application/json")
    assert answer.status_code == 422
    assert "close" in answer.json()["detail"]


def test_a_token_of_one_consultation_is_unknown_in_another(client, consultation):
    f.consultation(slug="autre")
    token = join(client)["jeton"]
    answer = client.get(f"{BASE}/autre/sequence", **as_participant(token))
    assert answer.status_code == 401


def test_votes_201_then_200_and_the_counters_follow(client, consultation):
    proposition = f.proposition(consultation)
    token = join(client)["jeton"]
    url = f"{BASE}/ia-pme/votes"
    first = client.post(
        url,
        {"proposition": proposition.pk, "vote": "pour", "qualification": "realiste"},
        content_type="application/json",
        **as_participant(token),
    )
    assert first.status_code == 201
    assert first.json() == {
        "proposition": proposition.pk,
        "vote": "pour",
        "qualification": "realiste",
    }
    second = client.post(
        url,
        {"proposition": proposition.pk, "vote": "neutre"},
        content_type="application/json",
        **as_participant(token),
    )
    assert second.status_code == 200
    proposition.refresh_from_db()
    assert (proposition.votes, proposition.pour, proposition.neutre) == (1, 0, 1)


@pytest.mark.parametrize(
    "body",
    [
        {"vote": "peut-être"},
        {"vote": "pour", "qualification": "surtout_pas"},
        {"vote": "pour", "qualification": "x" * 500},
        {"vote": "pour", "proposition": "abc"},
        {"vote": "pour", "proposition": 10**12},
        {"vote": "pour", "proposition": 10**20},
        {"vote": "pour", "proposition": -1},
    ],
)
def test_a_bad_vote_answers_422_and_nothing_is_stored(client, consultation, body):
    proposition = f.proposition(consultation)
    token = join(client)["jeton"]
    answer = client.post(
        f"{BASE}/ia-pme/votes",
        {"proposition": proposition.pk, **body},
        content_type="application/json",
        **as_participant(token),
    )
    assert answer.status_code == 422
    assert answer.json()["detail"]
    assert not Vote.objects.exists()


def test_votes_past_the_limit_answer_429_with_retry_after(client, consultation, settings):
    settings.CONSULTATION_LIMITES = {
        **settings.CONSULTATION_LIMITES,
        "votes_par_participant_minute": 2,
    }
    propositions = [f.proposition(consultation, f"Il faut l'idée {i}") for i in range(3)]
    token = join(client)["jeton"]
    statuses = []
    for proposition in propositions:
        answer = client.post(
            f"{BASE}/ia-pme/votes",
            {"proposition": proposition.pk, "vote": "contre"},
            content_type="application/json",
            **as_participant(token),
        )
        statuses.append(answer.status_code)
    assert statuses == [201, 201, 429]
    assert int(answer["Retry-After"]) >= 1
    assert Vote.objects.count() == 2


def test_a_logged_in_account_votes_with_its_session_and_the_csrf_token(make_user, consultation):
    proposition = f.proposition(consultation)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(make_user())
    body = {"proposition": proposition.pk, "vote": "pour"}
    refused = browser.post(f"{BASE}/ia-pme/votes", body, content_type="application/json")
    assert refused.status_code == 403
    browser.get("/")  # sets the csrftoken cookie
    token = browser.cookies["csrftoken"].value
    answer = browser.post(
        f"{BASE}/ia-pme/votes", body, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert answer.status_code == 201
    assert Vote.objects.get().participant.compte is not None


def test_the_sequence_holds_accepted_proposals_only(client, consultation):
    for i in range(15):
        f.proposition(consultation, f"Il faut l'idée {i}", auteur=f.participant(consultation))
    f.proposition(consultation, "Il faut l'idée refusée", statut="refusee", motif="doublon")
    token = join(client)["jeton"]
    items = client.get(f"{BASE}/ia-pme/sequence", **as_participant(token)).json()["items"]
    assert len(items) == 12
    assert set(items[0]) == {"id", "texte"}
    assert all("refusée" not in item["texte"] for item in items)
    again = client.get(f"{BASE}/ia-pme/sequence", **as_participant(token)).json()["items"]
    assert len(again) == 3
    assert not {i["id"] for i in items} & {i["id"] for i in again}


def test_moderation_is_for_operators_only(client, logged_in_client, operator, consultation):
    pending = f.proposition(consultation, "Il faut une idée à modérer", statut="en_attente")
    url = f"{BASE}/ia-pme/propositions/{pending.pk}/moderation"
    body = {"decision": "acceptee"}
    assert client.post(url, body, content_type="application/json").status_code == 401
    assert logged_in_client.post(url, body, content_type="application/json").status_code == 404
    assert logged_in_client.get(f"{BASE}/ia-pme/moderation").status_code == 404
    staff = login_with_code(Client(), operator)
    queue = staff.get(f"{BASE}/ia-pme/moderation").json()
    assert queue["count"] == 1 and [p["id"] for p in queue["items"]] == [pending.pk]
    refused = staff.post(url, {"decision": "refusee"}, content_type="application/json")
    assert refused.status_code == 422
    answer = staff.post(url, body, content_type="application/json")
    assert answer.status_code == 200
    pending.refresh_from_db()
    assert pending.statut == "acceptee"


def test_reports_hide_a_proposal_at_three(client, consultation):
    proposition = f.proposition(consultation)
    for _ in range(3):
        token = join(client)["jeton"]
        answer = client.post(
            f"{BASE}/ia-pme/signalements",
            {"proposition": proposition.pk},
            content_type="application/json",
            **as_participant(token),
        )
        assert answer.json()["nouveau"] is True
    proposition.refresh_from_db()
    assert proposition.masquee
    assert client.get(f"{BASE}/ia-pme").json()["propositions"] == 0


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_identical_votes_store_one_vote():
    consultation = f.consultation(slug="ia-pme")
    proposition = f.proposition(consultation)
    token = join(Client())["jeton"]
    barrier = threading.Barrier(50)
    statuses = []

    def send():
        try:
            barrier.wait()
            answer = Client().post(
                f"{BASE}/ia-pme/votes",
                {"proposition": proposition.pk, "vote": "pour"},
                content_type="application/json",
                **as_participant(token),
            )
            statuses.append(answer.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(statuses) <= {200, 201, 429}
    assert statuses.count(201) == 1
    assert Vote.objects.count() == 1
    proposition.refresh_from_db()
    assert (proposition.votes, proposition.pour) == (1, 1)


def test_an_operator_republishes_a_reported_proposal_through_the_api(operator, consultation):
    hidden = f.proposition(consultation, signalements=3, masquee=True)
    staff = login_with_code(Client(), operator)
    url = f"{BASE}/ia-pme/propositions/{hidden.pk}/moderation"
    answer = staff.post(url, {"decision": "acceptee"}, content_type="application/json")
    assert answer.status_code == 200
    hidden.refresh_from_db()
    assert not hidden.masquee and hidden.signalements_revus == 3 and hidden.statut == "acceptee"


def test_suggestions_and_exports_are_limited_per_address(client, consultation, settings):
    settings.CONSULTATION_LIMITES = {
        **settings.CONSULTATION_LIMITES,
        "suggestions_par_adresse_minute": 2,
    }
    url = f"{BASE}/ia-pme/propositions/similaires"
    statuses = [client.get(url, {"texte": "former les salariés"}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    exports = [client.get(f"{BASE}/ia-pme/export/propositions.csv").status_code for _ in range(31)]
    assert exports[:30] == [200] * 30 and exports[30] == 429
