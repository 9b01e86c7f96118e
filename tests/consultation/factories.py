"""Consultations, participants, proposals and votes for tests, written directly as rows (the
services' own tests go through the services)."""

import itertools
from datetime import timedelta

from django.utils import timezone

from osezia.consultation.models import Consultation, Participant, Proposition, Vote

_serial = itertools.count(1)


def consultation(slug: str = "ia-entreprises", state: str = "ouverte", **fields) -> Consultation:
    """A consultation opened yesterday and closing in a month (`state` « a_venir » or
    « close » moves the dates)."""
    now = timezone.now()
    opening, closing = now - timedelta(days=1), now + timedelta(days=30)
    if state == "a_venir":
        opening, closing = now + timedelta(days=2), now + timedelta(days=30)
    elif state == "close":
        opening, closing = now - timedelta(days=60), now - timedelta(days=1)
    fields.setdefault("question", "Comment l'IA peut-elle aider les entreprises françaises ?")
    fields.setdefault("ouverture", opening)
    fields.setdefault("cloture", closing)
    return Consultation.objects.create(slug=slug, **fields)


def participant(consultation: Consultation, **fields) -> Participant:
    fields.setdefault("pseudonyme", f"p{next(_serial):06d}")
    return Participant.objects.create(consultation=consultation, **fields)


def proposition(
    consultation: Consultation,
    texte: str = "Il faut former les salariés à l'intelligence artificielle",
    statut: str = "acceptee",
    **fields,
) -> Proposition:
    return Proposition.objects.create(
        consultation=consultation, texte=texte, statut=statut, **fields
    )


def vote(participant: Participant, proposition: Proposition, value: str = "pour", **fields):
    """A vote row and the proposal's counters moved as the services would."""
    row = Vote.objects.create(
        consultation=proposition.consultation,
        participant=participant,
        proposition=proposition,
        vote=value,
        **fields,
    )
    setattr(proposition, value, getattr(proposition, value) + 1)
    proposition.votes += 1
    proposition.save(update_fields=["votes", value])
    return row
