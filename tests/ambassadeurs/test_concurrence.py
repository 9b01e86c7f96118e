"""Two requests routed at the same moment do not both take an ambassador's last free place
(the covering ambassadors are locked while a request is routed). PostgreSQL only: SQLite
serialises every write anyway."""

import threading

import pytest
from django.db import connection, connections

from osezia.ambassadeurs.models import Demande
from osezia.ambassadeurs.services import create_request
from tests.ambassadeurs.factories import AmbassadeurFactory, body


@pytest.mark.django_db(transaction=True)
def test_the_last_free_place_is_taken_once():
    if connection.vendor != "postgresql":
        pytest.skip("the row locks are PostgreSQL's")
    AmbassadeurFactory(id_externe="ONE", regions=["53"], naf=["C"], capacite_mensuelle=1)
    AmbassadeurFactory(id_externe="TWO", regions=["53"], capacite_mensuelle=1)
    start = threading.Barrier(4)
    errors = []

    def route():
        try:
            start.wait()
            create_request(body())
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=route) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    taken = sorted(Demande.objects.values_list("ambassadeur__id_externe", "tous_complets"))
    # One each while they have room, then the best-ranked one, full, with the warning.
    assert taken == [("ONE", False), ("ONE", True), ("ONE", True), ("TWO", False)]
