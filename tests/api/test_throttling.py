"""The API counts calls per token, per person and per address in the shared cache."""

import pytest
from django.core.cache import cache
from django.test import Client

from tests.conftest import login_with_code


@pytest.fixture(autouse=True)
def _low_limits(db, settings):
    cache.clear()
    settings.API_RATE_PER_MINUTE = {"jeton": 4, "compte": 3, "anonyme": 2, "adresse": 6}


def test_anonymous_calls_past_the_limit_get_429_with_retry_after():
    client = Client()
    for _ in range(2):
        assert client.get("/api/v1/referentiels/regions").status_code == 200
    refused = client.get("/api/v1/referentiels/regions")
    assert refused.status_code == 429
    wait = int(refused["Retry-After"])
    assert 1 <= wait <= 60
    assert refused.json()["detail"] == f"Trop de requêtes : réessayez dans {wait} s."


def test_each_address_has_its_own_count_behind_the_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    first = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.1")
    second = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.2")
    for _ in range(2):
        assert first.get("/api/v1/referentiels/regions").status_code == 200
    assert first.get("/api/v1/referentiels/regions").status_code == 429
    # Another visitor behind the same proxy is not blocked by the first one.
    assert second.get("/api/v1/referentiels/regions").status_code == 200
    # A forged first entry does not give a fresh count.
    forged = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.1")
    assert forged.get("/api/v1/referentiels/regions").status_code == 429


def test_a_logged_in_person_is_counted_apart_from_anonymous_callers(make_user):
    client = login_with_code(Client(), make_user("CITOYEN"))
    statuses = [client.get("/api/v1/referentiels/regions").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_the_documentation_names_the_429_answer():
    schema = Client().get("/api/openapi.json").json()
    operation = schema["paths"]["/api/v1/referentiels/regions"]["get"]
    assert "429" in operation["responses"]


def test_failed_authentications_count_for_the_address_too():
    client = Client(HTTP_AUTHORIZATION="Bearer faux-jeton")
    statuses = [client.get("/api/v1/catalogue/fournisseur/solutions").status_code for _ in range(7)]
    assert statuses[:6] == [401] * 6
    assert statuses[6] == 429


def test_ipv6_addresses_of_one_line_share_their_count(settings):
    settings.API_RATE_PER_MINUTE = {"jeton": 4, "compte": 3, "anonyme": 2, "adresse": 100}
    for suffix in ("1", "2"):
        client = Client(REMOTE_ADDR=f"2001:db8:1:2::{suffix}")
        assert client.get("/api/v1/referentiels/regions").status_code == 200
    # A third address of the same /64 is over the anonymous limit of 2.
    assert (
        Client(REMOTE_ADDR="2001:db8:1:2::3").get("/api/v1/referentiels/regions").status_code == 429
    )
    assert (
        Client(REMOTE_ADDR="2001:db8:9:9::1").get("/api/v1/referentiels/regions").status_code == 200
    )


def test_simultaneous_calls_are_all_counted(transactional_db):
    """Counters are incremented atomically: 12 threads at once, limit 5, exactly 5 pass."""
    import threading

    from django.db import connection

    from osezia.socle.ratelimit import RateLimited, consume

    passed, barrier = [], threading.Barrier(12)

    def call():
        barrier.wait()
        try:
            consume("essai-course", "k", limit=5, period=3600)
            passed.append(1)
        except RateLimited:
            pass
        finally:
            connection.close()

    threads = [threading.Thread(target=call) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(passed) == 5


def test_a_daily_limit_still_holds_after_minutes_without_calls(monkeypatch):
    """The count of a long window keeps its own expiry (the database cache's incr used to
    reset it to five minutes)."""
    from datetime import timedelta

    from django.utils import timezone

    from osezia.socle import ratelimit

    start, now = ratelimit.clock(), timezone.now()
    for _ in range(3):
        ratelimit.consume("essai-jour", "k", limit=3, period=86400)
    # Ten minutes later, for every clock the counters may read.
    monkeypatch.setattr(ratelimit, "clock", lambda: start + 600)
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(minutes=10))
    monkeypatch.setattr("django.core.cache.backends.db.tz_now", lambda: now + timedelta(minutes=10))
    with pytest.raises(ratelimit.RateLimited):
        ratelimit.consume("essai-jour", "k", limit=3, period=86400)
