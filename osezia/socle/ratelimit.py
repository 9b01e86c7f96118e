"""Rate limits counted once for every worker and machine.

`consume("contact", key, limit=5, period=3600)` lets `limit` calls per key through in a fixed
window of `period` seconds and raises `RateLimited` (with the seconds to wait) past that.
Counters live in Redis when it is the shared cache (`REDIS_URL`: `INCR` is atomic and keeps the
expiry), else in the database table `CompteurLimite` (an atomic `UPDATE … + 1`).
"""

import hashlib
import ipaddress
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .client import client_ip


@dataclass
class RateLimited(Exception):  # noqa: N818 - reads better at the call sites
    retry_after: int
    message: str = "Trop de demandes en peu de temps : réessayez dans quelques minutes."

    def __str__(self) -> str:
        return self.message


def _cache_key(action: str, key: str, window: int) -> str:
    digest = hashlib.sha256(f"{action}\x1f{key}".encode()).hexdigest()[:32]
    return f"rl:{action}:{digest}:{window}"


def _uses_redis() -> bool:
    return settings.CACHES["default"]["BACKEND"].endswith("RedisCache")


def _count_in_redis(key: str, period: int) -> int:
    # add() creates the counter with its expiry only when absent; incr() keeps the expiry.
    if cache.add(key, 1, timeout=period + 5):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=period + 5)
        return 1


def _count_in_database(key: str, period: int) -> int:
    from .models import CompteurLimite

    counters = CompteurLimite.objects
    with transaction.atomic():
        if not counters.filter(cle=key).update(compte=F("compte") + 1):
            try:
                with transaction.atomic():
                    expires = timezone.now() + timedelta(seconds=period + 5)
                    counters.create(cle=key, compte=1, expire_le=expires)
            except IntegrityError:  # created at the same moment by another call
                counters.filter(cle=key).update(compte=F("compte") + 1)
            else:
                # A new window has begun for this key: forget the windows that are over
                # (an indexed range delete, once per key and window, never at random).
                counters.filter(expire_le__lt=timezone.now()).delete()
                return 1
        count = counters.filter(cle=key).values_list("compte", flat=True).first()
    return count or 1


def clock() -> float:
    """The time the windows are counted in (seconds since the epoch); one place to read it."""
    return time.time()


def consume(action: str, key: str, limit: int, period: int, message: str | None = None) -> int:
    """Count one call of `action` by `key`; raise `RateLimited` past `limit` per `period` s.

    Returns the number of calls counted in the current window (this one included)."""
    now = int(clock())
    window = now // period
    cache_key = _cache_key(action, key, window)
    if _uses_redis():
        count = _count_in_redis(cache_key, period)
    else:
        count = _count_in_database(cache_key, period)
    if count > limit:
        retry = (window + 1) * period - now
        raise RateLimited(max(1, retry), message or RateLimited.message)
    return count


def address_key(address: str) -> str:
    """An address as rate limits count it: IPv6 by its /64 (what one subscriber gets), so that
    one line cannot draw a fresh counter for every address it owns."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address or "inconnue"
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network(f"{parsed}/64", strict=False))


def request_key(request) -> str:
    """Who a request counts for: the account when logged in, else the client's address."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"u{user.pk}"
    return f"ip{address_key(client_ip(request))}"


def consume_request(
    request, action: str, limit: int, period: int, message: str | None = None
) -> int:
    """`consume` for the person (or address) behind a request."""
    return consume(action, request_key(request), limit, period, message)
