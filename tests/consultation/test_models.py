"""The consultation's invariants held by the database itself."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from osezia.consultation.models import Consultation, Participant, Proposition, Vote


@pytest.fixture
def setup(db):
    now = timezone.now()
    consultation = Consultation.objects.create(
        slug="ia",
        question="Q ?",
        ouverture=now - timedelta(days=1),
        cloture=now + timedelta(days=1),
    )
    participant = Participant.objects.create(consultation=consultation, pseudonyme="p1")
    proposition = Proposition.objects.create(
        consultation=consultation, texte="Il faut former", statut="acceptee"
    )
    return consultation, participant, proposition


def test_state_is_derived_from_the_dates(setup):
    consultation, _, _ = setup
    now = timezone.now()
    assert consultation.etat(now) == "ouverte"
    assert consultation.etat(now - timedelta(days=2)) == "a_venir"
    assert consultation.etat(now + timedelta(days=2)) == "close"


def test_one_vote_per_participant_and_proposal(setup):
    consultation, participant, proposition = setup
    Vote.objects.create(
        consultation=consultation, participant=participant, proposition=proposition, vote="pour"
    )
    with transaction.atomic(), pytest.raises(IntegrityError):
        Vote.objects.create(
            consultation=consultation,
            participant=participant,
            proposition=proposition,
            vote="contre",
        )


@pytest.mark.parametrize(
    "vote, qualification",
    [("pour", "surtout_pas"), ("neutre", "banalite"), ("contre", "realiste"), ("bof", "")],
)
def test_a_qualification_must_go_with_its_vote(setup, vote, qualification):
    consultation, participant, proposition = setup
    with transaction.atomic(), pytest.raises(IntegrityError):
        Vote.objects.create(
            consultation=consultation,
            participant=participant,
            proposition=proposition,
            vote=vote,
            qualification=qualification,
        )


def test_banality_goes_with_pour_and_contre(setup):
    consultation, participant, proposition = setup
    Vote.objects.create(
        consultation=consultation,
        participant=participant,
        proposition=proposition,
        vote="contre",
        qualification="banalite",
    )


def test_a_refusal_has_a_reason_and_counters_stay_coherent(setup):
    consultation, _, proposition = setup
    with transaction.atomic(), pytest.raises(IntegrityError):
        Proposition.objects.filter(pk=proposition.pk).update(statut="refusee")
    Proposition.objects.filter(pk=proposition.pk).update(statut="refusee", motif="doublon")
    with transaction.atomic(), pytest.raises(IntegrityError):
        Proposition.objects.filter(pk=proposition.pk).update(pour=1)
