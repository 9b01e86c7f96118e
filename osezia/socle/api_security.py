"""Authentication and throttling shared by every router of the API.

- `session_auth`: the Django session, for the pages' own calls. An anonymous call answers 401
  (« connectez-vous »), never a CSRF error; a logged-in call must carry the CSRF token
  (`X-CSRFToken`), refused in French otherwise.
- `ApiThrottle`: requests per minute per provider token, per logged-in person, and per client
  address for anonymous calls. Past the limit: 429 with `Retry-After`. Every call also counts
  for its address before authentication (`socle.middleware.ApiAddressLimitMiddleware`), so that
  failed authentications and rotating tokens are limited too.
"""

import hashlib
import threading

from django.conf import settings
from ninja.errors import HttpError
from ninja.security import SessionAuth
from ninja.throttling import BaseThrottle
from ninja.utils import check_csrf

from .client import client_ip
from .ratelimit import RateLimited, address_key, consume

CSRF_REFUSED = (
    "Jeton CSRF absent ou invalide : rechargez la page, ou envoyez l'en-tête X-CSRFToken "
    "avec la valeur du cookie csrftoken."
)


class FrenchSessionAuth(SessionAuth):
    """Session authentication that says « not logged in » before it speaks of CSRF."""

    def _get_key(self, request):
        if not request.user.is_authenticated:
            return None
        exempt = getattr(request, "_ninja_csrf_exempt", False)
        if self.csrf and not exempt and check_csrf(request):
            raise HttpError(403, CSRF_REFUSED)
        return request.COOKIES.get(self.param_name)


session_auth = FrenchSessionAuth()


def _bearer(request) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


class ApiThrottle(BaseThrottle):
    """One throttle for the whole API (see the module's docstring)."""

    PERIOD = 60

    def __init__(self):
        self._state = threading.local()  # one throttle object serves every thread

    def _principal(self, request) -> tuple[str, str] | None:
        token = _bearer(request)
        if token and getattr(request, "auth", None) is not None:
            return "jeton", hashlib.sha256(token.encode()).hexdigest()
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return "compte", str(user.pk)
        return None

    def allow_request(self, request) -> bool:
        rates = settings.API_RATE_PER_MINUTE
        principal = self._principal(request)
        if principal is None:
            kind, key = "anonyme", address_key(client_ip(request))
        else:
            kind, key = principal
        try:
            consume(f"api-{kind}", key, rates[kind], self.PERIOD)
        except RateLimited as exc:
            self._state.wait = exc.retry_after
            return False
        return True

    def wait(self) -> float | None:
        return getattr(self._state, "wait", None)
