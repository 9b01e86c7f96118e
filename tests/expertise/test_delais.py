"""The expert accepts a file within 5 French working days (public holidays counted), else a
reminder at day 3, then the file goes back to the operators (command and task)."""

from datetime import date, datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from osezia.expertise import etats, services
from osezia.expertise.models import Demande

from .factories import company_member, expert, pme, to_assigned

pytestmark = pytest.mark.django_db


def at(day: str, hour: int = 10):
    return timezone.make_aware(datetime.fromisoformat(f"{day}T{hour:02d}:00"))


@pytest.fixture
def assigned_on_christmas_eve(operator):
    company = pme()
    return to_assigned(company, company_member(company), operator, expert(), now=at("2026-12-24"))


def test_the_deadline_skips_christmas_new_year_and_weekends(assigned_on_christmas_eve):
    # 25 Dec (Fri) and 1 Jan (Fri) are holidays: 28, 29, 30, 31 Dec and 4 Jan.
    assert assigned_on_christmas_eve.echeance_acceptation == date(2027, 1, 4)


def test_a_reminder_at_day_three_then_the_file_goes_back(
    assigned_on_christmas_eve, immediate_tasks, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    demande = assigned_on_christmas_eve
    assert services.check_deadlines(at("2026-12-29")).relances == 0
    with immediate_tasks(execute=True):
        report = services.check_deadlines(at("2026-12-30"))
    assert report.relances == 1
    assert any("Rappel" in m.subject for m in mail.outbox)
    assert services.check_deadlines(at("2026-12-31")).relances == 0  # once
    assert services.check_deadlines(at("2027-01-04", 18)).retours == 0  # the last day is given
    report = services.check_deadlines(at("2027-01-05"))
    assert report.retours == 1
    demande.refresh_from_db()
    assert (demande.statut, demande.expert) == (etats.ELIGIBLE, None)
    last = services.timeline(demande).last()
    assert (last.partie, last.motif, last.libelle_motif) == (
        "systeme",
        "delai_depasse",
        "délai d'acceptation dépassé",
    )


def test_an_accepted_file_is_left_alone(assigned_on_christmas_eve):
    services.accept_file(
        assigned_on_christmas_eve,
        assigned_on_christmas_eve.expert.utilisateur,
        now=at("2026-12-28"),
    )
    assert services.check_deadlines(at("2027-01-08")).retours == 0
    assert Demande.objects.get().statut == etats.EXPERT_ASSIGNE


def test_the_command_says_what_it_did(assigned_on_christmas_eve, capsys):
    call_command("verifier_delais_expertise", maintenant="2027-01-06")
    assert "1 dossier(s) rendu(s) aux opérateurs" in capsys.readouterr().out
