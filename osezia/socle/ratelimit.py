"""Rate limits counted once for every worker and machine.

`consume("contact", key, limit=5, period=3600)` lets `limit` calls per key through in a fixed
window of `period` seconds and raises `RateLimited` (with the seconds to wait) past that.
Counters live in Redis when it is the shared cache (`REDIS_URL`: `INCR` is atomic, `EXPIRE … NX`
sets the window's expiry once, both for every counter of the same call in one Lua script, one
round trip), else in the database table `CompteurLimite` (an atomic `UPDATE … + 1`).
`consume_all` counts several limits of one request at once.
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


_redis_clients: dict[str, object] = {}


def _redis():
    """One client (and its connection pool) per process and address: counting a call is
    one round trip, not a new client per cache operation."""
    import redis

    url = settings.CACHES["default"]["LOCATION"]
    if isinstance(url, list | tuple):  # several servers: the first one takes the writes
        url = url[0]
    client = _redis_clients.get(url)
    if client is None:
        client = _redis_clients[url] = redis.Redis.from_url(url)
    return client


# INCR every key, giving a key its expiry when it has none: one command for all the counters
# of a call, run atomically by Redis (cheaper for the worker than a pipeline of 2 × n).
_COUNT_SCRIPT = """
local counts = {}
for i, key in ipairs(KEYS) do
  counts[i] = redis.call('INCR', key)
  redis.call('EXPIRE', key, ARGV[i], 'NX')
end
return counts
"""
_scripts: dict[int, object] = {}


def _count_in_redis(keys: list[tuple[str, int]]) -> list[int]:
    """INCR every key and give it its expiry when it has none (`EXPIRE … NX`), in one round
    trip (a Lua script, sent once per process and then called by its digest); the counts in
    the same order."""
    client = _redis()
    script = _scripts.get(id(client))
    if script is None:
        script = _scripts[id(client)] = client.register_script(_COUNT_SCRIPT)
    answers = script(
        keys=[cache.make_key(key) for key, _ in keys], args=[period + 5 for _, period in keys]
    )
    return [int(count) for count in answers]


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
    return consume_all([(action, key, limit, period, message)])[0]


def consume_all(limits: list[tuple[str, str, int, int, str | None]]) -> list[int]:
    """`consume` for several (action, key, limit, period, message) at once — one round trip
    to Redis for all of them; raises `RateLimited` for the first one past its limit (every
    counter has been counted)."""
    (counted,) = consume_many([limits])
    if isinstance(counted, RateLimited):
        raise counted
    return counted


def consume_many(
    calls: list[list[tuple[str, str, int, int, str | None]]],
) -> list[list[int] | RateLimited]:
    """`consume_all` for several calls at once (the votes of many requests written together):
    every counter of every call counted in one round trip to Redis, in order (a key named by
    two calls counts twice). For each call, its counts, or the `RateLimited` of its first
    counter past its limit."""
    now = int(clock())
    flat = [limit for limits in calls for limit in limits]
    windows = [now // period for _, _, _, period, _ in flat]
    keys = [
        (_cache_key(action, key, window), period)
        for (action, key, _, period, _), window in zip(flat, windows, strict=True)
    ]
    if _uses_redis():
        counts = _count_in_redis(keys)
    else:
        counts = [_count_in_database(key, period) for key, period in keys]
    answers: list[list[int] | RateLimited] = []
    position = 0
    for limits in calls:
        mine = counts[position : position + len(limits)]
        answer: list[int] | RateLimited = mine
        for (_, _, limit, period, message), window, count in zip(
            limits, windows[position:], mine, strict=False
        ):
            if count > limit:
                retry = (window + 1) * period - now
                answer = RateLimited(max(1, retry), message or RateLimited.message)
                break
        answers.append(answer)
        position += len(limits)
    return answers


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
