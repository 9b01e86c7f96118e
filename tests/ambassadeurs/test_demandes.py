"""Requests through the services: routing on the database, deadlines with the clock moved
forward, statuses, handing over."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from osezia.ambassadeurs.models import Attribution, Demande
from osezia.ambassadeurs.services import change_status, check_deadlines, create_request, hand_over
from tests.ambassadeurs.factories import AmbassadeurFactory, body

PARIS = ZoneInfo("Europe/Paris")
THURSDAY = datetime(2026, 12, 3, 10, 0, tzinfo=PARIS)


def at(day, hour=10):
    return datetime(2026, 12, day, hour, 0, tzinfo=PARIS)


@pytest.fixture
def sent(django_capture_on_commit_callbacks, settings):
    """Run the e-mails' on-commit tasks immediately (immediate backend)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    return django_capture_on_commit_callbacks


def test_a_sector_listed_as_a_parent_code_takes_the_request(db):
    AmbassadeurFactory(id_externe="DIV", regions=["53"], naf=["10"])
    AmbassadeurFactory(id_externe="REG", regions=["53"])
    demande = create_request(body(), now=THURSDAY)
    assert (demande.ambassadeur.id_externe, demande.rang) == ("DIV", 1)
    assert str(demande.echeance_premier_contact) == "2026-12-10"


def test_load_is_balanced_and_capacity_respected_on_a_series(db):
    AmbassadeurFactory(id_externe="A", regions=["53"], capacite_mensuelle=1)
    AmbassadeurFactory(id_externe="B", regions=["53"], capacite_mensuelle=2)
    AmbassadeurFactory(id_externe="N", capacite_mensuelle=10)
    taken = [create_request(body(), now=THURSDAY).ambassadeur.id_externe for _ in range(5)]
    assert taken == ["A", "B", "B", "N", "N"]


def test_everyone_full_goes_to_the_least_loaded_of_the_best_rank_and_warns(db, operator):
    AmbassadeurFactory(id_externe="A", regions=["53"], capacite_mensuelle=1)
    create_request(body(), now=THURSDAY)
    demande = create_request(body(), now=THURSDAY)
    assert demande.ambassadeur.id_externe == "A" and demande.tous_complets
    assert "complets" in demande.motif_routage


def test_nobody_covering_leaves_the_request_waiting(db):
    AmbassadeurFactory(regions=["84"])
    demande = create_request(body(), now=THURSDAY)
    assert demande.statut == "en_attente" and demande.ambassadeur is None


def test_reminder_at_day_3_and_reassignment_at_day_6_with_the_company_told(db, sent):
    AmbassadeurFactory(id_externe="FIRST", regions=["53"], naf=["C"], email="first@x.example")
    AmbassadeurFactory(id_externe="NEXT", regions=["53"], email="next@x.example")
    with sent(execute=True):
        demande = create_request(body(), now=THURSDAY)
    mail.outbox.clear()
    with sent(execute=True):
        assert check_deadlines(at(7)).relances == 0  # Mon: 2 working days
        report = check_deadlines(at(8))  # Tue: day 3
    assert report.relances == 1
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["contact@boulangerie.example", "first@x.example"]
    with sent(execute=True):
        assert check_deadlines(at(9)).relances == 0  # one reminder only
        assert check_deadlines(at(10)).reattributions == 0  # day 5: still in time
        report = check_deadlines(at(11))  # Fri: day 6
    assert report.reattributions == 1
    demande.refresh_from_db()
    assert demande.ambassadeur.id_externe == "NEXT"
    assert str(demande.echeance_premier_contact) == "2026-12-18"
    assert "Réattribuée" in demande.motif_routage
    assert {m.to[0] for m in mail.outbox} >= {"next@x.example", "contact@boulangerie.example"}
    first = Attribution.objects.filter(demande=demande).first()
    assert first.raison_fin == "delai"


def test_a_first_contact_stops_the_clock(db, make_user):
    user = make_user()
    AmbassadeurFactory(id_externe="A", regions=["53"], utilisateur=user)
    AmbassadeurFactory(id_externe="B", regions=["53"])
    demande = create_request(body(), now=THURSDAY)
    assert demande.ambassadeur.id_externe == "A"
    change_status(demande, user, "prise_en_charge", now=at(9))
    assert check_deadlines(at(20)).reattributions == 0
    demande.refresh_from_db()
    assert demande.dans_les_temps is True and demande.ambassadeur.id_externe == "A"
    change_status(demande, user, "accompagnee", now=at(21))
    demande.refresh_from_db()
    assert demande.statut == "accompagnee" and demande.cloturee_le
    with pytest.raises(ValidationError):
        change_status(demande, user, "prise_en_charge")


def test_pas_pour_moi_reroutes_to_another_ambassador_never_back(db, make_user):
    user = make_user()
    AmbassadeurFactory(id_externe="A", regions=["53"], naf=["C"], utilisateur=user)
    AmbassadeurFactory(id_externe="B", regions=["53"])
    demande = create_request(body(), now=THURSDAY)
    with pytest.raises(ValidationError):
        change_status(demande, user, "pas_pour_moi", motif="")
    change_status(demande, user, "pas_pour_moi", motif="Pas mon secteur", now=at(4))
    demande.refresh_from_db()
    assert (demande.statut, demande.ambassadeur.id_externe) == ("assignee", "B")
    statuses = list(demande.historique.values_list("apres", flat=True))
    assert statuses == ["assignee", "pas_pour_moi", "assignee"]


def test_hand_over_with_a_reason(db, make_user):
    user = make_user()
    AmbassadeurFactory(id_externe="A", regions=["53"], utilisateur=user)
    target = AmbassadeurFactory(id_externe="Z", regions=["84"])
    demande = create_request(body(), now=THURSDAY)
    with pytest.raises(ValidationError):
        hand_over(demande, user, target, "")
    hand_over(demande, user, target, "Elle connaît ce métier", now=at(4))
    demande.refresh_from_db()
    assert demande.ambassadeur == target
    assert "Elle connaît ce métier" in demande.motif_routage


def test_only_the_assigned_ambassador_moves_a_request_on(db, make_user):
    owner, other = make_user(), make_user()
    AmbassadeurFactory(regions=["53"], utilisateur=owner)
    intruder = AmbassadeurFactory(regions=["84"], utilisateur=other)
    demande = create_request(body(), now=THURSDAY)
    with pytest.raises(ValidationError):
        change_status(demande, other, "prise_en_charge")
    with pytest.raises(ValidationError):
        hand_over(demande, other, intruder, "Je la prends")
    assert Demande.objects.get(pk=demande.pk).statut == "assignee"
