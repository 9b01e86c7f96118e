"""Votes written together (`cast_votes_with_tokens`, the hot path's batches): each vote gets
the answer it would get alone, the rows and counters are exact, nothing else is written."""

import pytest
from django.db import connection

from osezia.consultation.models import Participant, Vote
from osezia.consultation.services import participation
from osezia.consultation.services.participation import (
    ConsultationError,
    RateLimited,
    VoteByToken,
    VoteResult,
)
from tests.consultation import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_consultation():
    consultation = f.consultation(slug="ia-pme")
    propositions = [
        f.proposition(consultation, f"Il faut une idée pour l'IA n° {i}") for i in range(3)
    ]
    return consultation, propositions


def join(consultation):
    participant, token = participation.create_participant(consultation, address="192.0.2.1")
    return participant, token


def test_a_mixed_batch_answers_each_vote_as_alone(open_consultation):
    consultation, (first, second, _third) = open_consultation
    pending = f.proposition(consultation, "Il faut une idée pas encore lue", statut="en_attente")
    closed = f.consultation(slug="close", state="close")
    closed_proposition = f.proposition(closed)
    alice, alice_token = join(consultation)
    bruno, bruno_token = join(consultation)
    _late, late_token = participation.create_participant(
        f.consultation(slug="autre"), address="192.0.2.1"
    )
    closed_participant = f.participant(closed, jeton_hash=participation.hash_token("ferme"))

    answers = participation.cast_votes_with_tokens(
        [
            VoteByToken("ia-pme", alice_token, first.pk, "pour"),
            VoteByToken("ia-pme", alice_token, first.pk, "contre", "infaisable"),  # same pair
            VoteByToken("ia-pme", bruno_token, first.pk, "neutre"),
            VoteByToken("ia-pme", "jeton-inconnu", first.pk, "pour"),
            VoteByToken("ia-pme", late_token, first.pk, "pour"),  # another consultation's
            VoteByToken("ia-pme", alice_token, pending.pk, "pour"),
            VoteByToken("ia-pme", alice_token, second.pk, "peut-etre"),
            VoteByToken("close", "ferme", closed_proposition.pk, "pour"),
            VoteByToken("ia-pme", bruno_token, second.pk, "contre", "surtout_pas"),
        ]
    )
    assert answers[0] == VoteResult(first.pk, "pour", "", True)
    assert answers[1] == VoteResult(first.pk, "contre", "infaisable", False)
    assert answers[2] == VoteResult(first.pk, "neutre", "", True)
    assert answers[3] is None and answers[4] is None and answers[7] is None
    assert isinstance(answers[5], ConsultationError)
    assert "n'est pas soumise au vote" in answers[5].message
    assert isinstance(answers[6], ConsultationError) and "Vote" in answers[6].message
    assert answers[8] == VoteResult(second.pk, "contre", "surtout_pas", True)

    stored = {
        (v.participant_id, v.proposition_id): (v.vote, v.qualification) for v in Vote.objects.all()
    }
    assert stored == {
        (alice.pk, first.pk): ("contre", "infaisable"),
        (bruno.pk, first.pk): ("neutre", ""),
        (bruno.pk, second.pk): ("contre", "surtout_pas"),
    }
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.votes, first.pour, first.contre, first.neutre) == (2, 0, 1, 1)
    assert (second.votes, second.contre) == (1, 1)
    assert not Vote.objects.filter(participant=closed_participant).exists()


def test_a_participant_past_its_limit_is_refused_in_the_batch(open_consultation, settings):
    consultation, propositions = open_consultation
    settings.CONSULTATION_LIMITES = {
        **settings.CONSULTATION_LIMITES,
        "votes_par_participant_minute": 2,
    }
    _alice, token = join(consultation)
    _bruno, other = join(consultation)
    answers = participation.cast_votes_with_tokens(
        [VoteByToken("ia-pme", token, p.pk, "pour") for p in propositions]
        + [VoteByToken("ia-pme", other, propositions[0].pk, "pour")]
    )
    assert [type(a) for a in answers] == [VoteResult, VoteResult, RateLimited, VoteResult]
    assert answers[2].retry_after >= 1
    assert Vote.objects.count() == 3


def test_a_flood_of_votes_marks_the_participant_untrustworthy(open_consultation, settings):
    consultation, propositions = open_consultation
    settings.CONSULTATION_LIMITES = {
        **settings.CONSULTATION_LIMITES,
        "confiance_votes_par_minute": 2,
    }
    alice, token = join(consultation)
    participation.cast_votes_with_tokens(
        [VoteByToken("ia-pme", token, p.pk, "pour") for p in propositions[:2]]
    )
    assert Participant.objects.get(pk=alice.pk).fiable
    participation.cast_votes_with_tokens([VoteByToken("ia-pme", token, propositions[2].pk, "pour")])
    assert not Participant.objects.get(pk=alice.pk).fiable
    assert Vote.objects.filter(participant=alice).count() == 3  # kept, left out of scores


def test_the_limits_count_the_same_by_token_and_by_instance(open_consultation, settings):
    """Through Django's path (an instance) or the fast path (a token), one counter."""
    consultation, propositions = open_consultation
    settings.CONSULTATION_LIMITES = {
        **settings.CONSULTATION_LIMITES,
        "votes_par_participant_minute": 1,
    }
    alice, token = join(consultation)
    participation.cast_vote(consultation, alice, propositions[0].pk, "pour")
    (answer,) = participation.cast_votes_with_tokens(
        [VoteByToken("ia-pme", token, propositions[1].pk, "pour")]
    )
    assert isinstance(answer, RateLimited)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the one-statement batch is PostgreSQL's"
)
def test_when_the_batch_statement_fails_every_vote_is_written_one_by_one(
    open_consultation, monkeypatch
):
    consultation, (first, second, _third) = open_consultation
    _alice, token = join(consultation)
    monkeypatch.setattr(participation, "_batch_statement", lambda connection: "SELECT nope")
    answers = participation.cast_votes_with_tokens(
        [
            VoteByToken("ia-pme", token, first.pk, "pour"),
            VoteByToken("ia-pme", token, second.pk, "contre"),
            VoteByToken("ia-pme", "inconnu", second.pk, "contre"),
        ]
    )
    assert answers == [
        VoteResult(first.pk, "pour", "", True),
        VoteResult(second.pk, "contre", "", True),
        None,
    ]
    first.refresh_from_db()
    assert (first.votes, first.pour) == (1, 1)


def test_a_batch_asks_each_changed_consultation_for_new_results_once(
    open_consultation, monkeypatch, django_capture_on_commit_callbacks
):
    consultation, (first, second, third) = open_consultation
    other = f.consultation(slug="autre-question")
    other_proposition = f.proposition(other)
    closed = f.consultation(slug="close", state="close")
    f.participant(closed, jeton_hash=participation.hash_token("ferme"))
    _alice, alice_token = join(consultation)
    _bruno, bruno_token = join(consultation)
    _chloe, chloe_token = participation.create_participant(other, address="192.0.2.1")
    asked = []
    monkeypatch.setattr(participation.resultats, "schedule_id", asked.append)

    with django_capture_on_commit_callbacks(execute=True):
        participation.cast_votes_with_tokens(
            [
                VoteByToken("ia-pme", alice_token, first.pk, "pour"),
                VoteByToken("ia-pme", alice_token, second.pk, "contre"),
                VoteByToken("ia-pme", bruno_token, first.pk, "neutre"),
                VoteByToken("ia-pme", alice_token, first.pk, "contre"),  # a second vote
                VoteByToken("autre-question", chloe_token, other_proposition.pk, "pour"),
            ]
        )
    assert sorted(asked) == sorted([consultation.pk, other.pk])

    asked.clear()
    with django_capture_on_commit_callbacks(execute=True):
        participation.cast_votes_with_tokens(
            [
                VoteByToken("close", "ferme", third.pk, "pour"),  # nothing written
                VoteByToken("ia-pme", "jeton-inconnu", third.pk, "pour"),
            ]
        )
    assert asked == []


def test_second_votes_in_a_later_batch_replace_the_stored_votes(open_consultation, monkeypatch):
    """A pair stored before the batch: the vote replaced, counters moved from the stored
    value; the same value again moves nothing; a proposal hidden since then is refused."""
    consultation, (first, second, third) = open_consultation
    one_by_one = []
    alone = participation._vote_one_by_one

    def spy(request, *args):
        one_by_one.append(request.proposition)
        return alone(request, *args)

    monkeypatch.setattr(participation, "_vote_one_by_one", spy)
    alice, alice_token = join(consultation)
    bruno, bruno_token = join(consultation)
    participation.cast_votes_with_tokens(
        [
            VoteByToken("ia-pme", alice_token, first.pk, "pour"),
            VoteByToken("ia-pme", alice_token, second.pk, "neutre"),
            VoteByToken("ia-pme", bruno_token, first.pk, "pour", "realiste"),
            VoteByToken("ia-pme", bruno_token, third.pk, "contre"),
        ]
    )
    third.masquee = True
    third.save(update_fields=["masquee"])

    answers = participation.cast_votes_with_tokens(
        [
            VoteByToken("ia-pme", alice_token, first.pk, "contre", "infaisable"),  # changed
            VoteByToken("ia-pme", alice_token, second.pk, "neutre"),  # the same again
            VoteByToken("ia-pme", bruno_token, first.pk, "pour", "coup_de_coeur"),  # qualified
            VoteByToken("ia-pme", bruno_token, third.pk, "pour"),  # hidden since
            VoteByToken("ia-pme", bruno_token, second.pk, "pour"),  # a new vote beside them
        ]
    )
    assert answers[0] == VoteResult(first.pk, "contre", "infaisable", False)
    assert answers[1] == VoteResult(second.pk, "neutre", "", False)
    assert answers[2] == VoteResult(first.pk, "pour", "coup_de_coeur", False)
    assert isinstance(answers[3], ConsultationError)
    assert "n'est pas soumise au vote" in answers[3].message
    assert answers[4] == VoteResult(second.pk, "pour", "", True)
    if connection.vendor == "postgresql":  # one statement for the second votes: only the
        assert one_by_one == [third.pk]  # refused one goes alone, to read its reason

    stored = {
        (v.participant_id, v.proposition_id): (v.vote, v.qualification) for v in Vote.objects.all()
    }
    assert stored == {
        (alice.pk, first.pk): ("contre", "infaisable"),
        (alice.pk, second.pk): ("neutre", ""),
        (bruno.pk, first.pk): ("pour", "coup_de_coeur"),
        (bruno.pk, third.pk): ("contre", ""),
        (bruno.pk, second.pk): ("pour", ""),
    }
    for proposition, expected in (
        (first, (2, 1, 1, 0)),
        (second, (2, 1, 0, 1)),
        (third, (1, 0, 1, 0)),
    ):
        proposition.refresh_from_db()
        counters = (proposition.votes, proposition.pour, proposition.contre, proposition.neutre)
        assert counters == expected, proposition.pk


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the one-statement batch is PostgreSQL's"
)
def test_when_the_replacement_statement_fails_second_votes_are_written_one_by_one(
    open_consultation, monkeypatch
):
    consultation, (first, second, _third) = open_consultation
    _alice, token = join(consultation)
    participation.cast_votes_with_tokens([VoteByToken("ia-pme", token, first.pk, "pour")])
    monkeypatch.setattr(participation, "_replacement_statement", lambda connection: "SELECT x")
    answers = participation.cast_votes_with_tokens(
        [
            VoteByToken("ia-pme", token, first.pk, "neutre"),
            VoteByToken("ia-pme", token, second.pk, "contre"),
        ]
    )
    assert answers == [
        VoteResult(first.pk, "neutre", "", False),
        VoteResult(second.pk, "contre", "", True),
    ]
    first.refresh_from_db()
    assert (first.votes, first.pour, first.neutre) == (1, 0, 1)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent batches need PostgreSQL's connections"
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_batches_replacing_the_same_votes_keep_the_counters_exact(settings):
    """Batches of several processes replace the same stored votes at the same moment, each
    with other values: the counters always match the votes stored last."""
    import threading

    settings.CONSULTATION_LIMITES = {
        **settings.CONSULTATION_LIMITES,
        "votes_par_participant_minute": 10_000,
        "confiance_votes_par_minute": 10_000,
    }

    consultation = f.consultation(slug="ia-pme")
    propositions = [f.proposition(consultation, f"Il faut une idée n° {i}") for i in range(4)]
    tokens = [join(consultation)[1] for _ in range(3)]
    participation.cast_votes_with_tokens(
        [VoteByToken("ia-pme", t, p.pk, "pour") for t in tokens for p in propositions]
    )
    values = ["contre", "neutre", "pour"]
    barrier = threading.Barrier(12)
    errors = []

    def send(number):
        try:
            barrier.wait()
            for round_ in range(5):
                value = values[(number + round_) % 3]
                answers = participation.cast_votes_with_tokens(
                    [VoteByToken("ia-pme", t, p.pk, value) for t in tokens for p in propositions]
                )
                assert all(isinstance(a, VoteResult) and not a.created for a in answers), answers
        except Exception as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert Vote.objects.count() == 12
    for proposition in propositions:
        proposition.refresh_from_db()
        rows = list(Vote.objects.filter(proposition=proposition).values_list("vote", flat=True))
        assert proposition.votes == 3
        assert (proposition.pour, proposition.contre, proposition.neutre) == tuple(
            rows.count(value) for value in ("pour", "contre", "neutre")
        )
