"""Simultaneous approvals never commit more than the envelope: several companies accept
their quote at the same moment, the envelope covers two shares, two are approved and the
others wait. On SQLite (every transaction takes the write lock first) and on PostgreSQL (the
envelope's row locked, the conditional UPDATE)."""

import threading

import pytest
from django.db import connections

from osezia.expertise import etats, services
from osezia.expertise.models import Demande, Enveloppe

from .factories import company_member, envelope, expert, pme, to_quoted


@pytest.mark.django_db(transaction=True)
def test_simultaneous_approvals_never_over_commit(operator):
    the_expert = expert(capacite=90)
    envelope(operator, 10_000)  # two shares of 4 800 €
    files = []
    for _ in range(5):
        company = pme()
        leader = company_member(company)
        files.append((to_quoted(company, leader, operator, the_expert), leader))
    start = threading.Barrier(len(files))
    errors = []

    def approve(demande, leader):
        try:
            start.wait()
            services.accept(demande, leader)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=pair) for pair in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    found = Enveloppe.objects.get()
    assert found.engage_cents == 960_000 <= found.montant_cents
    states = sorted(Demande.objects.values_list("statut", flat=True))
    assert states == [etats.DEVIS_ACCEPTE] * 2 + [etats.EXPERT_ASSIGNE] * 3
    assert Demande.objects.filter(attente_enveloppe_depuis__isnull=False).count() == 3
