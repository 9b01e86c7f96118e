"""Requests refused before any view: a path with control characters, a query string with
control characters or invalid UTF-8, an API body over the size cap or carrying control characters.

Such input can never be a real page or a real value, and some databases refuse it outright
(PostgreSQL rejects NUL in text, psycopg cannot encode a lone surrogate): it is answered 400
(413 for a body too large) in French, never a 500. Pages raise `RequeteRefusee` (a `BadRequest` whose French message is shown), rendered by the
site's 400 page; the API answers JSON `{"detail": …}` like its other errors.
"""

import json
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import JsonResponse

from .errors import RequeteRefusee
from .validation import MESSAGE, forbidden_characters, forbidden_path

PATH_MESSAGE = "Adresse invalide : elle contient des caractères non autorisés."
QUERY_MESSAGE = "Paramètres de l'adresse invalides : ils contiennent des caractères non autorisés."
TOO_LARGE_MESSAGE = "Requête trop volumineuse : le corps de la requête dépasse {limit} octets."
API_PREFIX = "/api/"


def _decode(raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _bad_query(query_string: str) -> bool:
    # Form encoding: « + » is a space; every « %xx » must decode to valid UTF-8.
    decoded = _decode(unquote_to_bytes(query_string.replace("+", " ")))
    return decoded is None or forbidden_characters(decoded, multiline=True)


def _bad_path(request) -> bool:
    # Django has already re-escaped invalid UTF-8 in the path (« %FF »): harmless, it names
    # nothing and answers 404. What is left to refuse is control characters.
    return forbidden_characters(request.path_info)


NESTING_MESSAGE = "Corps de requête refusé : le JSON est imbriqué trop profondément."
METHOD_MESSAGE = "Méthode HTTP non autorisée pour cette adresse (voir l'en-tête Allow)."


class RefuseMalformedInputMiddleware:
    """Put first in MIDDLEWARE (after SecurityMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        api = request.path_info.startswith(API_PREFIX)
        if _bad_path(request):
            return self._refuse(request, api, PATH_MESSAGE)
        if _bad_query(request.META.get("QUERY_STRING", "")):
            return self._refuse(request, api, QUERY_MESSAGE)
        if api:
            refused = self._check_api_body(request)
            if refused is not None:
                return refused
        response = self.get_response(request)
        if api and response.status_code == 405 and "json" not in response.get("Content-Type", ""):
            # The API's routing answers a wrong method in English HTML: French JSON instead.
            french = JsonResponse({"detail": METHOD_MESSAGE}, status=405)
            if response.has_header("Allow"):
                french["Allow"] = response["Allow"]
            return french
        return response

    @staticmethod
    def _refuse(request, api: bool, message: str):
        """Answered here rather than raised: a refused address is an attacker's routine, not an
        error worth a traceback in the logs."""
        if api:
            return JsonResponse({"detail": message}, status=400)
        from .views import bad_request

        return bad_request(request, RequeteRefusee(message))

    @staticmethod
    def _check_api_body(request):
        default = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        # A few endpoints take larger bodies (e.g. a scheduling instance): their own cap.
        limit = getattr(settings, "API_BODY_LIMITS", {}).get(request.path_info, default)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit is not None and length > limit:
            return JsonResponse({"detail": TOO_LARGE_MESSAGE.format(limit=limit)}, status=413)
        if default is not None and length > default:
            # read here within the endpoint's own cap (Django's `body` would refuse it)
            request._body = request.read(length)
        # The API reads a JSON body whatever the declared type: check every one but files.
        if length == 0 or request.content_type.startswith("multipart/"):
            return None
        try:
            data = json.loads(request.body)
            path = forbidden_path(data)
        except (ValueError, UnicodeDecodeError):
            return None  # the API's own handler answers an unreadable body
        except RecursionError:
            return JsonResponse({"detail": NESTING_MESSAGE}, status=400)
        if path is None:
            return None
        return JsonResponse(
            {
                "detail": f"Requête invalide — {path} : {MESSAGE}",
                "erreurs": [{"champ": path, "message": MESSAGE}],
            },
            status=422,
        )


class ApiAddressLimitMiddleware:
    """Every API call counts for its client address before authentication: wrong tokens,
    anonymous calls to session endpoints and CSRF refusals are limited like the others.
    The limit is wide (`API_RATE_PER_MINUTE["adresse"]`): an office or a school shares one
    address; the per-person limits of `ApiThrottle` are the narrow ones. Paths listed in
    `API_ADDRESS_RATE_BY_PREFIX` count against their own limit instead (a consultation's
    votes come by thousands from one school or mobile network)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(API_PREFIX):
            from .client import client_ip
            from .ratelimit import RateLimited, address_key, consume

            action, limit = api_address_limit(request.path_info)
            try:
                consume(action, address_key(client_ip(request)), limit, 60)
            except RateLimited as exc:
                response = JsonResponse(
                    {"detail": f"Trop de requêtes : réessayez dans {exc.retry_after} s."},
                    status=429,
                )
                response["Retry-After"] = str(exc.retry_after)
                return response
        return self.get_response(request)


def api_address_limit(path_info: str) -> tuple[str, int]:
    """The per-address counter an API path counts against (its action and its limit a
    minute): `API_ADDRESS_RATE_BY_PREFIX`'s for the paths it lists, else the API's own."""
    for prefix, wider in getattr(settings, "API_ADDRESS_RATE_BY_PREFIX", {}).items():
        if path_info.startswith(prefix):
            return f"api-adresse:{prefix}", wider
    return "api-adresse", settings.API_RATE_PER_MINUTE["adresse"]
