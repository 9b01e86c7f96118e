"""The French error pages (400, 403, 404, 500, CSRF) shared by every app: JSON under /api/,
a DSFR page elsewhere."""

from django.http import JsonResponse
from django.shortcuts import render

from .errors import RequeteRefusee

ERROR_TEXTS = {
    400: ("Requête invalide", "La requête envoyée n'a pas pu être comprise."),
    403: ("Accès refusé", "Vous n'avez pas le droit d'effectuer cette action."),
    404: ("Page introuvable", "Ressource introuvable."),
    500: ("Erreur du service", "Le service rencontre un problème, réessayez plus tard."),
}


def _error(request, code: int, message: str = "", csrf: bool = False):
    """An error answer in French: JSON for the API, a DSFR page for the site."""
    title, api_detail = ERROR_TEXTS[code]
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message or api_detail}, status=code)
    return render(
        request,
        "socle/erreur.html",
        {"title": title, "code": code, "message": message, "csrf": csrf},
        status=code,
    )


def bad_request(request, exception=None):
    message = str(exception) if isinstance(exception, RequeteRefusee) else ""
    return _error(request, 400, message)


def page_not_found(request, exception=None):
    return _error(request, 404)


def permission_denied(request, exception=None):
    return _error(request, 403)


def server_error(request):
    return _error(request, 500)


def csrf_failure(request, reason=""):
    """A form sent without its security token (an expired page, cookies refused)."""
    message = (
        "Le formulaire a expiré ou les cookies sont bloqués : rechargez la page puis "
        "envoyez-le à nouveau."
    )
    return _error(request, 403, message, csrf=True)
