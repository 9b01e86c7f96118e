"""Rate limits counted in the shared cache, so that every worker and machine counts together.

`consume("contact", key, limit=5, period=3600)` lets `limit` calls per key through in a fixed
window of `period` seconds and raises `RateLimited` (with the seconds to wait) past that. The
cache is the one in `CACHES["default"]`: the database cache by default, Redis when configured.
"""

import hashlib
import time
from dataclasses import dataclass

from django.core.cache import cache

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


def consume(action: str, key: str, limit: int, period: int, message: str | None = None) -> int:
    """Count one call of `action` by `key`; raise `RateLimited` past `limit` per `period` s.

    Returns the number of calls counted in the current window (this one included)."""
    now = int(time.time())
    window = now // period
    cache_key = _cache_key(action, key, window)
    # add() is atomic on every backend: it creates the counter only when absent.
    if cache.add(cache_key, 1, timeout=period + 5):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add() and incr()
            cache.add(cache_key, 1, timeout=period + 5)
            count = 1
    if count > limit:
        retry = (window + 1) * period - now
        raise RateLimited(max(1, retry), message or RateLimited.message)
    return count


def request_key(request) -> str:
    """Who a request counts for: the account when logged in, else the client's address."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"u{user.pk}"
    return f"ip{client_ip(request) or 'inconnue'}"


def consume_request(
    request, action: str, limit: int, period: int, message: str | None = None
) -> int:
    """`consume` for the person (or address) behind a request."""
    return consume(action, request_key(request), limit, period, message)
