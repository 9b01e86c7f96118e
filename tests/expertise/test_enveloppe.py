"""The regional envelope of the State's share: a quote is approved only while it covers the
share, the others wait in order and are approved when the envelope is raised or freed."""

import pytest
from django.core.exceptions import ValidationError

from osezia.expertise import etats, services
from osezia.expertise.models import Demande, Enveloppe

from .factories import company_member, envelope, expert, pme, to_quoted

pytestmark = pytest.mark.django_db

SHARE = 480_000  # 40 % of 10 days at 1 200 € HT, in cents


def quoted(operator, the_expert):
    company = pme()
    leader = company_member(company)
    return to_quoted(company, leader, operator, the_expert), leader


def test_the_state_share_is_committed_on_acceptance(operator):
    the_expert = expert()
    envelope(operator, 10_000)
    demande, leader = quoted(operator, the_expert)
    demande, message = services.accept(demande, leader)
    assert demande.statut == etats.DEVIS_ACCEPTE
    assert "réservée" in message
    found = Enveloppe.objects.get()
    assert (found.engage_cents, found.restant_cents) == (SHARE, 1_000_000 - SHARE)


def test_an_exhausted_envelope_queues_in_order_and_a_raise_serves_the_queue(operator):
    the_expert = expert(capacite=90)
    envelope(operator, 5_000)  # one share of 4 800 €
    first, first_leader = quoted(operator, the_expert)
    second, second_leader = quoted(operator, the_expert)
    third, third_leader = quoted(operator, the_expert)
    assert services.accept(first, first_leader)[0].statut == etats.DEVIS_ACCEPTE
    second, message = services.accept(second, second_leader)
    assert second.statut == etats.EXPERT_ASSIGNE
    assert "épuisée" in message and "position 1" in message
    third, message = services.accept(third, third_leader)
    assert "position 2" in message
    assert services.queue_rank(Demande.objects.get(pk=third.pk)) == 2
    # Room for one more share: the first in the queue only.
    envelope(operator, 10_000)
    states = dict(Demande.objects.values_list("pk", "statut"))
    assert (states[second.pk], states[third.pk]) == (etats.DEVIS_ACCEPTE, etats.EXPERT_ASSIGNE)
    assert services.timeline(second).last().partie == "systeme"
    assert services.queue_rank(Demande.objects.get(pk=third.pk)) == 1
    # A committed file cancelled frees its share for the next in line.
    services.move(first, first_leader, etats.ANNULEE, "renoncement_entreprise")
    assert Demande.objects.get(pk=third.pk).statut == etats.DEVIS_ACCEPTE
    found = Enveloppe.objects.get()
    assert found.engage_cents == 2 * SHARE <= found.montant_cents


def test_a_newcomer_does_not_jump_the_queue(operator):
    the_expert = expert(capacite=90)
    envelope(operator, 5_000)
    first, first_leader = quoted(operator, the_expert)
    services.accept(first, first_leader)
    big, big_leader = quoted(operator, the_expert)
    services.accept(big, big_leader)  # waits
    envelope(operator, 9_000)  # 4 200 € left: not enough for the one waiting
    small_company = pme()
    small_leader = company_member(small_company)
    small = to_quoted(small_company, small_leader, operator, the_expert, jours=2)  # 960 € share
    small, message = services.accept(small, small_leader)
    assert small.statut == etats.EXPERT_ASSIGNE and "position 2" in message


def test_an_envelope_cannot_go_below_what_is_committed(operator):
    the_expert = expert()
    envelope(operator, 10_000)
    demande, leader = quoted(operator, the_expert)
    services.accept(demande, leader)
    with pytest.raises(ValidationError, match="engagés"):
        envelope(operator, 4_000)


def test_without_an_envelope_the_file_waits(operator):
    the_expert = expert()
    demande, leader = quoted(operator, the_expert)
    demande, message = services.accept(demande, leader)
    assert demande.statut == etats.EXPERT_ASSIGNE and "épuisée" in message
