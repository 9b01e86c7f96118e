"""Taking part: participants, proposals, votes, reports, sequences and moderation."""

import random

import pytest
from django.core.exceptions import PermissionDenied

from osezia.consultation.models import Affichage, Participant, Proposition, Vote
from osezia.consultation.services import participation as svc
from osezia.consultation.services.participation import ConsultationError
from osezia.socle.ratelimit import RateLimited
from tests.consultation import factories as f

pytestmark = pytest.mark.django_db
ADDRESS = "203.0.113.7"


@pytest.fixture
def open_consultation():
    return f.consultation()


def test_a_participant_gets_a_token_stored_only_as_its_hash(open_consultation):
    participant, token = svc.create_participant(
        open_consultation, ADDRESS, tranche_age="25_34", departement="69", profil="entreprise"
    )
    stored = Participant.objects.get(pk=participant.pk)
    assert token not in (stored.jeton_hash, stored.pseudonyme)
    assert stored.jeton_hash == svc.hash_token(token)
    assert (stored.departement, stored.region) == ("69", "84")
    assert svc.participant_for_token(open_consultation, token) == stored
    assert svc.participant_for_token(open_consultation, token + "x") is None
    open_consultation.refresh_from_db()
    assert open_consultation.participants == 1


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"tranche_age": "40_45"}, "Tranche d'âge"),
        ({"profil": "robot"}, "Profil"),
        ({"departement": "999"}, "Département"),
        ({"departement": "6\x009"}, "Département"),
    ],
)
def test_a_bad_profile_is_refused_and_nothing_stored(open_consultation, fields, message):
    with pytest.raises(ConsultationError) as refused:
        svc.create_participant(open_consultation, ADDRESS, **fields)
    assert message in refused.value.message
    assert not Participant.objects.exists()


def test_nobody_joins_a_consultation_that_is_closed_or_not_open_yet():
    for state in ("close", "a_venir"):
        consultation = f.consultation(slug=f"c-{state}", state=state)
        with pytest.raises(ConsultationError):
            svc.create_participant(consultation, ADDRESS)


def test_an_account_has_one_participant_per_consultation(open_consultation, make_user):
    user = make_user()
    first = svc.participant_for_account(open_consultation, user, ADDRESS)
    assert svc.participant_for_account(open_consultation, user, ADDRESS) == first
    assert Participant.objects.filter(compte=user).count() == 1


@pytest.mark.parametrize(
    "texte, message",
    [
        ("", "obligatoire"),
        ("Former les salariés à l'IA", "« Il faut »"),
        ("Il faut " + "a" * 140, "140 caractères"),
        ("Il faut", "commencer"),
        ("Il faut ça", "complétez"),
        ("Il faut former\x07 les salariés", "caractères"),
    ],
)
def test_a_proposal_follows_the_one_sentence_rule(open_consultation, texte, message):
    participant = f.participant(open_consultation)
    with pytest.raises(ConsultationError) as refused:
        svc.propose(open_consultation, participant, texte)
    assert message.lower() in refused.value.message.lower()
    assert not Proposition.objects.exists()


def test_a_proposal_waits_for_moderation(open_consultation):
    participant = f.participant(open_consultation)
    proposition = svc.propose(
        open_consultation, participant, "il faut   former les salariés des PME à l'IA"
    )
    assert proposition.texte == "Il faut former les salariés des PME à l'IA"
    assert proposition.statut == "en_attente"
    with pytest.raises(ConsultationError, match="déjà été faite"):
        svc.propose(open_consultation, participant, "Il faut former les salariés des PME à l'IA")


def test_a_second_vote_replaces_the_first_and_moves_the_counters(open_consultation):
    participant = f.participant(open_consultation)
    proposition = f.proposition(open_consultation)
    first = svc.cast_vote(open_consultation, participant, proposition.pk, "pour", "coup_de_coeur")
    again = svc.cast_vote(open_consultation, participant, proposition.pk, "contre", "infaisable")
    assert (first.created, again.created) == (True, False)
    proposition.refresh_from_db()
    assert (proposition.votes, proposition.pour, proposition.contre) == (1, 0, 1)
    stored = Vote.objects.get()
    assert (stored.vote, stored.qualification) == ("contre", "infaisable")


@pytest.mark.parametrize(
    "vote, qualification",
    [("oui", ""), ("pour", "surtout_pas"), ("neutre", "coup_de_coeur"), ("contre", "inconnue")],
)
def test_an_unknown_vote_or_a_qualification_of_another_vote_is_refused(
    open_consultation, vote, qualification
):
    participant = f.participant(open_consultation)
    proposition = f.proposition(open_consultation)
    with pytest.raises(ConsultationError):
        svc.cast_vote(open_consultation, participant, proposition.pk, vote, qualification)
    assert not Vote.objects.exists()


def test_no_vote_on_a_closed_consultation_or_a_proposal_not_accepted(open_consultation):
    participant = f.participant(open_consultation)
    pending = f.proposition(open_consultation, "Il faut une charte de l'IA", statut="en_attente")
    with pytest.raises(ConsultationError, match="pas soumise au vote"):
        svc.cast_vote(open_consultation, participant, pending.pk, "pour")
    closed = f.consultation(slug="close", state="close")
    accepted = f.proposition(closed)
    with pytest.raises(ConsultationError, match="close"):
        svc.cast_vote(closed, f.participant(closed), accepted.pk, "pour")
    other = f.proposition(closed, "Il faut une autre idée")
    with pytest.raises(ConsultationError, match="inconnue"):
        svc.cast_vote(open_consultation, participant, other.pk, "pour")
    assert not Vote.objects.exists()


def test_a_hidden_proposal_takes_no_new_vote_and_no_change_of_vote(open_consultation):
    first, second = f.participant(open_consultation), f.participant(open_consultation)
    proposition = f.proposition(open_consultation)
    svc.cast_vote(open_consultation, first, proposition.pk, "pour")
    Proposition.objects.filter(pk=proposition.pk).update(masquee=True)
    with pytest.raises(ConsultationError, match="pas soumise au vote"):
        svc.cast_vote(open_consultation, second, proposition.pk, "contre")
    with pytest.raises(ConsultationError, match="pas soumise au vote"):
        svc.cast_vote(open_consultation, first, proposition.pk, "contre")
    proposition.refresh_from_db()
    assert (proposition.votes, proposition.pour, proposition.contre) == (1, 1, 0)
    assert list(Vote.objects.values_list("participant_id", "vote")) == [(first.pk, "pour")]


def test_votes_are_limited_per_participant_and_a_flood_is_not_trusted(open_consultation, settings):
    settings.CONSULTATION_LIMITES = {
        **settings.CONSULTATION_LIMITES,
        "votes_par_participant_minute": 6,
        "confiance_votes_par_minute": 4,
    }
    participant = f.participant(open_consultation)
    propositions = [f.proposition(open_consultation, f"Il faut l'idée {i}") for i in range(7)]
    for proposition in propositions[:6]:
        svc.cast_vote(open_consultation, participant, proposition.pk, "pour")
    with pytest.raises(RateLimited) as refused:
        svc.cast_vote(open_consultation, participant, propositions[6].pk, "pour")
    assert refused.value.retry_after >= 1
    assert Vote.objects.count() == 6  # kept
    participant.refresh_from_db()
    assert participant.fiable is False  # but out of the scores


def test_many_participants_from_one_address_are_kept_but_not_trusted(open_consultation, settings):
    settings.CONSULTATION_LIMITES = {
        **settings.CONSULTATION_LIMITES,
        "participants_par_adresse_heure": 5,
        "confiance_participants_par_adresse_heure": 3,
    }
    created = [svc.create_participant(open_consultation, ADDRESS)[0] for _ in range(5)]
    assert [p.fiable for p in created] == [True, True, True, False, False]
    with pytest.raises(RateLimited):
        svc.create_participant(open_consultation, ADDRESS)
    assert svc.create_participant(open_consultation, "198.51.100.1")[0].fiable


def test_three_distinct_reports_hide_a_proposal_until_it_is_reviewed(open_consultation, operator):
    proposition = f.proposition(open_consultation)
    reporters = [f.participant(open_consultation) for _ in range(3)]
    assert svc.report(open_consultation, reporters[0], proposition.pk)
    assert not svc.report(open_consultation, reporters[0], proposition.pk)  # once each
    svc.report(open_consultation, reporters[1], proposition.pk)
    proposition.refresh_from_db()
    assert not proposition.masquee
    svc.report(open_consultation, reporters[2], proposition.pk)
    proposition.refresh_from_db()
    assert proposition.masquee and proposition.signalements == 3
    assert proposition in svc.moderation_queue(open_consultation, operator)
    with pytest.raises(ConsultationError):
        svc.cast_vote(open_consultation, f.participant(open_consultation), proposition.pk, "pour")
    svc.review_reports(proposition.pk, operator, keep=True)
    proposition.refresh_from_db()
    assert not proposition.masquee
    assert proposition not in svc.moderation_queue(open_consultation, operator)


def test_an_operator_never_moderates_their_own_proposal(open_consultation, operator):
    own = svc.participant_for_account(open_consultation, operator, ADDRESS)
    mine = svc.propose(open_consultation, own, "Il faut ouvrir les données publiques aux PME")
    theirs = svc.propose(
        open_consultation, f.participant(open_consultation), "Il faut former les élus à l'IA"
    )
    assert svc.moderation_queue(open_consultation, operator) == [theirs]
    with pytest.raises(PermissionDenied):
        svc.moderate(mine.pk, operator, "acceptee")
    mine.refresh_from_db()
    assert mine.statut == "en_attente"


def test_a_refusal_needs_a_reason_from_the_list(open_consultation, operator):
    pending = f.proposition(open_consultation, "Il faut acheter mon logiciel", statut="en_attente")
    with pytest.raises(ConsultationError, match="Motif"):
        svc.moderate(pending.pk, operator, "refusee", "pas envie")
    refused = svc.moderate(pending.pk, operator, "refusee", "publicite")
    assert (refused.statut, refused.motif, refused.modere_par) == ("refusee", "publicite", operator)
    with pytest.raises(ConsultationError, match="déjà été modérée"):
        svc.moderate(pending.pk, operator, "acceptee")


def test_a_sequence_never_repeats_a_proposal_voted_on_or_shown(open_consultation):
    authors = [f.participant(open_consultation) for _ in range(30)]
    for i, author in enumerate(authors):
        f.proposition(open_consultation, f"Il faut l'idée numéro {i}", auteur=author)
    f.proposition(open_consultation, "Il faut une idée en attente", statut="en_attente")
    me = f.participant(open_consultation)
    first = svc.next_sequence(open_consultation, me, rng=random.Random(1))
    assert len(first) == 12
    assert len({p.auteur_id for p in first}) == 12
    svc.cast_vote(open_consultation, me, first[0].pk, "pour")
    second = svc.next_sequence(open_consultation, me, rng=random.Random(2))
    assert not {p.pk for p in first} & {p.pk for p in second}
    assert Affichage.objects.filter(participant=me).count() == 24
    assert all(p.statut == "acceptee" for p in first + second)


def test_a_participant_is_never_shown_their_own_proposal(open_consultation):
    me = f.participant(open_consultation)
    f.proposition(open_consultation, "Il faut mon idée", auteur=me)
    other = f.proposition(open_consultation, "Il faut une autre idée")
    assert svc.next_sequence(open_consultation, me) == [other]
