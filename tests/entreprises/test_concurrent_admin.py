"""Two claims accepted at the same moment on a company without admin: one person becomes its
admin, the other a plain member, and neither operator gets an error."""

import contextlib
import threading
from unittest import mock

import pytest
from django.db import connection, connections

from osezia.comptes.models import Adhesion
from osezia.entreprises import services
from osezia.referentiels.models import Naf
from osezia.referentiels.services import load_referentiels
from tests.comptes.factories import UtilisateurFactory
from tests.entreprises.factories import EntrepriseFactory


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_first_members_give_one_admin_and_no_error():
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers: the race needs PostgreSQL's concurrent writes")
    if not Naf.objects.filter(code="10.71C").exists():
        load_referentiels()  # an earlier transactional test emptied the reference tables
    entreprise = EntrepriseFactory()
    people = [UtilisateurFactory(), UtilisateurFactory()]
    # Hold each writer between its « is there an admin? » check and its insert until the
    # other has checked too (or two seconds have passed: when the company row is locked, the
    # second one waits for the first to commit and never reaches this point in time).
    barrier = threading.Barrier(2, timeout=2)
    real_get_or_create = Adhesion.objects.get_or_create

    def slow_get_or_create(*args, **kwargs):
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()
        return real_get_or_create(*args, **kwargs)

    errors = []

    def accept(user):
        try:
            services.add_member(entreprise, user, admin=True)
        except Exception as exc:  # noqa: BLE001 — the failure this test is about
            errors.append(exc)
        finally:
            connections.close_all()

    with mock.patch.object(Adhesion.objects, "get_or_create", slow_get_or_create):
        threads = [threading.Thread(target=accept, args=(user,)) for user in people]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert errors == []
    adhesions = Adhesion.objects.filter(entreprise=entreprise)
    assert adhesions.count() == 2
    assert adhesions.filter(est_admin=True).count() == 1


@pytest.mark.django_db
def test_a_second_admin_insert_after_the_check_joins_as_a_plain_member():
    """Where row locks do not exist, the insert that loses the race falls back to a plain
    membership instead of an error (simulated: the check read « no admin » before another admin committed)."""
    entreprise = EntrepriseFactory()
    first, second = UtilisateurFactory(), UtilisateurFactory()
    Adhesion.objects.create(utilisateur=first, entreprise=entreprise, est_admin=True)
    real_filter = Adhesion.objects.filter
    stale = mock.Mock()
    stale.exists.return_value = False  # the check read before the other admin committed

    def filter_once_stale(*args, **kwargs):
        if kwargs.get("est_admin") is True:
            return stale
        return real_filter(*args, **kwargs)

    with mock.patch.object(Adhesion.objects, "filter", filter_once_stale):
        adhesion = services.add_member(entreprise, second, admin=True)
    assert stale.exists.called
    assert adhesion.est_admin is False
    assert list(
        Adhesion.objects.filter(entreprise=entreprise, est_admin=True).values_list(
            "utilisateur", flat=True
        )
    ) == [first.pk]
