import pytest
from django.core.cache import cache
from django.test import RequestFactory

from osezia.socle.client import client_ip
from osezia.socle.ratelimit import RateLimited, consume, consume_all


@pytest.fixture(autouse=True)
def _clear_cache(db):
    cache.clear()


def test_limit_is_counted_in_the_shared_cache_and_says_how_long_to_wait():
    for _ in range(3):
        consume("essai", "k", limit=3, period=60)
    with pytest.raises(RateLimited) as exc:
        consume("essai", "k", limit=3, period=60)
    assert 1 <= exc.value.retry_after <= 60
    assert "réessayez" in str(exc.value)
    # Another key, another action: counted apart.
    consume("essai", "autre", limit=3, period=60)
    consume("autre-action", "k", limit=3, period=60)


def test_the_default_cache_is_shared_between_processes(settings):
    # The database cache (or Redis): never the per-process memory cache.
    backend = settings.CACHES["default"]["BACKEND"]
    assert backend.endswith(("DatabaseCache", "RedisCache"))


@pytest.mark.parametrize(
    ("count", "remote", "forwarded", "expected"),
    [
        (0, "10.0.0.1", "203.0.113.9", "10.0.0.1"),  # no proxy: the header is the client's
        (1, "10.0.0.1", "203.0.113.9", "203.0.113.9"),
        (1, "10.0.0.1", "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # a forged first entry
        (2, "10.0.0.1", "6.6.6.6, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (1, "10.0.0.1", "", "10.0.0.1"),  # not through the proxy
        (1, "10.0.0.1", "pas-une-ip", "10.0.0.1"),
    ],
)
def test_client_ip_trusts_only_the_declared_proxies(settings, count, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_the_limits_hold_on_redis_when_it_is_configured():
    import socket

    from django.core.cache import caches
    from django.test import override_settings

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        pytest.skip("pas de Redis sur cette machine")
    redis = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": "osezia-test",
        }
    }
    with override_settings(CACHES=redis):
        assert type(caches["default"]).__name__ == "RedisCache"
        caches["default"].clear()
        for _ in range(2):
            consume("essai-redis", "k", limit=2, period=60)
        with pytest.raises(RateLimited):
            consume("essai-redis", "k", limit=2, period=60)
        # Several limits in one round trip, each counter with the expiry of its window.
        assert consume_all([("essai-a", "k", 5, 60, None), ("essai-b", "k", 5, 3600, None)]) == [
            1,
            1,
        ]
        with pytest.raises(RateLimited) as refused:
            consume_all([("essai-a", "k", 5, 60, None), ("essai-b", "k", 1, 3600, "Trop.")])
        assert str(refused.value) == "Trop." and refused.value.retry_after <= 3600
        from osezia.socle.ratelimit import _redis

        ttls = [_redis().ttl(k) for k in _redis().keys("osezia-test:*rl:essai-*")]
        assert ttls and all(0 < ttl <= 3605 for ttl in ttls)
        caches["default"].clear()


def test_counters_of_windows_that_are_over_are_forgotten_when_a_new_window_begins(monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from osezia.socle import ratelimit
    from osezia.socle.models import CompteurLimite

    start = ratelimit.clock()
    consume("essai", "ancien", limit=3, period=60)
    consume("essai", "ancien", limit=3, period=60)  # counted on the same row: nothing pruned
    assert CompteurLimite.objects.count() == 1
    later = timezone.now() + timedelta(minutes=5)
    monkeypatch.setattr(ratelimit, "clock", lambda: start + 300)
    monkeypatch.setattr(timezone, "now", lambda: later)
    consume("essai", "nouveau", limit=3, period=60)
    # The old window's row is gone; the new one counts from 1.
    assert list(CompteurLimite.objects.values_list("compte", flat=True)) == [1]
