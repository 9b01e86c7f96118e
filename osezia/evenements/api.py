"""The business meetings' API under /api/v1/rencontres (contract of docs/evenements.md):
`POST /planification` takes IN.json and answers OUT.json (size cap, rate limit)."""

import json

from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Status

from osezia.socle.ratelimit import consume_request

from .planification import InstanceInvalide, planifier

router = Router(tags=["Rencontres d'affaires"])

TAILLE_MAX = 8 * 1024 * 1024  # bytes, as settings.API_BODY_LIMITS; 2,000 participants: 1.4 MB


def _erreur(status: int, detail: str):
    return Status(status, {"detail": detail})


@router.post(
    "/planification",
    auth=None,
    response={200: dict, 413: dict, 422: dict},
    summary="Planifier des rendez-vous (IN.json → OUT.json)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"type": "object"}}},
            "description": "L'instance IN.json (créneaux, tables, participants, intérêts, imposés).",
        }
    },
)
def planification(request: HttpRequest, limite_s: float = 30.0):
    """Le planificateur : une instance au format du contrat, la réponse OUT.json (rendez-vous,
    objectif, borne supérieure prouvée, statut, durée). 413 au-delà de 8 Mo, 422 (motif en
    français) pour une instance invalide, 429 au-delà de la limite d'appels."""
    consume_request(
        request,
        "rencontres-planification",
        getattr(settings, "RENCONTRES_PLANIFICATIONS_PAR_MINUTE", 6),
        60,
        "Trop de planifications demandées : réessayez dans une minute.",
    )
    longueur = request.META.get("CONTENT_LENGTH") or "0"
    if not longueur.isdigit() or int(longueur) > TAILLE_MAX:
        return _erreur(413, "Instance trop volumineuse : 8 Mo au plus.")
    corps = request.body  # read within the cap by socle.middleware (settings.API_BODY_LIMITS)
    try:
        donnees = json.loads(corps)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return _erreur(422, "Instance invalide : le corps n'est pas un JSON lisible.")
    if not 0 < limite_s <= 30:
        return _erreur(422, "limite_s : une durée entre 0 et 30 secondes.")
    try:
        return Status(200, planifier(donnees, limite_s=limite_s))
    except InstanceInvalide as exc:
        return _erreur(422, f"Instance invalide : {exc}")
