"""French error messages for the API: every error is JSON with a French `detail`."""

import math

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from osezia.recherche.services import RETRY_AFTER, SearchUnavailable
from osezia.socle.ratelimit import RateLimited

_TEMPLATES = {
    "missing": "ce champ est obligatoire",
    "int_parsing": "doit être un nombre entier",
    "int_type": "doit être un nombre entier",
    "int_from_float": "doit être un nombre entier",
    "float_parsing": "doit être un nombre",
    "float_type": "doit être un nombre",
    "bool_parsing": "doit valoir true ou false",
    "string_type": "doit être une chaîne de caractères",
    "string_too_long": "ne doit pas dépasser {max_length} caractères",
    "string_too_short": "doit compter au moins {min_length} caractères",
    "string_pattern_mismatch": "ne respecte pas le format attendu",
    "too_short": "doit compter au moins {min_length} élément(s)",
    "too_long": "ne doit pas compter plus de {max_length} éléments",
    "int_parsing_size": "nombre trop grand",
    "greater_than_equal": "doit être supérieur ou égal à {ge}",
    "greater_than": "doit être supérieur à {gt}",
    "less_than_equal": "doit être inférieur ou égal à {le}",
    "less_than": "doit être inférieur à {lt}",
    "literal_error": "doit valoir {expected_fr}",
    "enum": "doit valoir {expected_fr}",
    "json_invalid": "le corps de la requête n'est pas un JSON valide",
    "model_attributes_type": "doit être un objet JSON",
    "dict_type": "doit être un objet JSON",
    "list_type": "doit être une liste",
    "extra_forbidden": "champ inconnu",
    "value_error": "{message}",
    "finite_number": "doit être un nombre fini",
    "bool_type": "doit valoir true ou false",
    "int_greater_than": "doit être supérieur à {gt}",
    "date_parsing": "doit être une date AAAA-MM-JJ",
    "date_from_datetime_parsing": "doit être une date AAAA-MM-JJ",
    "date_type": "doit être une date AAAA-MM-JJ",
    "datetime_parsing": "doit être une date et heure ISO 8601",
    "datetime_type": "doit être une date et heure ISO 8601",
    "uuid_parsing": "doit être un identifiant UUID",
    "uuid_type": "doit être un identifiant UUID",
    "decimal_parsing": "doit être un nombre décimal",
    "url_parsing": "doit être une adresse web valide",
    "url_scheme": "doit être une adresse web valide",
    "string_unicode": "doit être un texte en UTF-8",
    "none_required": "doit être vide",
}
# What a person reads for an error type the list above does not know: never English.
_FALLBACK = "valeur invalide"

_LOCATIONS = {"query", "body", "path", "form", "header", "cookie", "payload"}


def _field_name(loc) -> str:
    """The field as the client wrote it: pydantic's own steps (`function-after[…]`,
    `constrained-str`…) are left out."""
    parts = [
        str(p)
        for p in loc
        if str(p) not in _LOCATIONS and "[" not in str(p) and not str(p).startswith("constrained-")
    ]
    return ".".join(parts)


def _message(error: dict) -> str:
    template = _TEMPLATES.get(error.get("type", ""))
    ctx = dict(error.get("ctx") or {})
    if error.get("type") == "greater_than_equal" and ctx.get("ge") == 0:
        return "ne peut pas être négatif"
    if "expected" in ctx:
        ctx["expected_fr"] = str(ctx["expected"]).replace(" or ", " ou ")
    if "error" in ctx:
        ctx["message"] = str(ctx["error"]).removeprefix("Value error, ")
    if template:
        try:
            return template.format(**ctx)
        except (KeyError, IndexError):
            pass
    if error.get("type") in ("value_error", "assertion_error") and error.get("msg"):
        return str(error["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return _FALLBACK


def french_errors(errors: list[dict]) -> list[dict]:
    return [{"champ": _field_name(e.get("loc", ())), "message": _message(e)} for e in errors]


def install(api) -> None:
    """Register the French handlers on a NinjaAPI."""

    @api.exception_handler(NinjaValidationError)
    def validation_error(request, exc):
        erreurs = french_errors(exc.errors)
        detail = " ; ".join(
            f"{e['champ']} : {e['message']}" if e["champ"] else e["message"] for e in erreurs
        )
        return api.create_response(
            request,
            {"detail": f"Requête invalide — {detail.rstrip('.')}.", "erreurs": erreurs},
            status=422,
        )

    @api.exception_handler(DjangoValidationError)
    def domain_error(request, exc):
        if hasattr(exc, "message_dict"):
            erreurs = [
                {"champ": field, "message": " ".join(messages)}
                for field, messages in exc.message_dict.items()
            ]
        else:
            erreurs = [{"champ": "", "message": m} for m in exc.messages]
        detail = " ; ".join(
            f"{e['champ']} : {e['message']}"
            if e["champ"] and e["champ"] != "__all__"
            else e["message"]
            for e in erreurs
        )
        return api.create_response(request, {"detail": detail, "erreurs": erreurs}, status=422)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, {"detail": "Ressource introuvable."}, status=404)

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return api.create_response(
            request, {"detail": "Vous n'avez pas le droit d'effectuer cette action."}, status=403
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        if request.headers.get("Authorization"):
            detail = "Authentification requise : le jeton fourni est inconnu ou révoqué."
        else:
            detail = "Authentification requise : connectez-vous."
        return api.create_response(request, {"detail": detail}, status=401)

    @api.exception_handler(RateLimited)
    def rate_limited(request, exc):
        response = api.create_response(request, {"detail": str(exc)}, status=429)
        response["Retry-After"] = str(exc.retry_after)
        return response

    @api.exception_handler(SearchUnavailable)
    def search_unavailable(request, exc):
        response = api.create_response(
            request,
            {
                "detail": "La recherche est momentanément indisponible : réessayez dans "
                f"{RETRY_AFTER} secondes.",
                "erreurs": [],
            },
            status=503,
        )
        response["Retry-After"] = str(RETRY_AFTER)
        return response

    french = {
        400: "Le corps de la requête n'est pas un JSON lisible.",
        429: "Trop de requêtes : réessayez dans un instant (voir l'en-tête Retry-After).",
    }

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        if isinstance(exc, Throttled) and exc.wait:
            detail = f"Trop de requêtes : réessayez dans {math.ceil(exc.wait)} s."
        else:
            detail = french.get(exc.status_code, str(exc))
        return api.create_response(request, {"detail": detail}, status=exc.status_code)
