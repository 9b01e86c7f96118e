"""The platform's REST API: one NinjaAPI under /api, each module's router under /api/v1."""

from ninja import NinjaAPI

from osezia.socle.api_security import ApiThrottle

from . import errors
from .docs import DocumentationFr

ERROR_RESPONSES = {
    "400": "Corps de requête illisible (JSON invalide).",
    "401": "Authentification requise.",
    "403": "Action non autorisée.",
    "404": "Ressource introuvable (ou d'une autre entreprise).",
    "422": "Requête invalide : `detail` dit pourquoi, `erreurs` liste les champs en cause.",
    "429": "Trop de requêtes : `Retry-After` dit dans combien de secondes réessayer.",
}


class OsezIAApi(NinjaAPI):
    """The platform's API; its OpenAPI schema documents the French error answers of every
    operation (one `Erreur` schema), so clients and fuzzers know every status they can get."""

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["ChampErreur"] = {
            "type": "object",
            "properties": {"champ": {"type": "string"}, "message": {"type": "string"}},
            "required": ["champ", "message"],
        }
        components["Erreur"] = {
            "type": "object",
            "properties": {
                "detail": {"type": "string", "description": "Le message d'erreur, en français"},
                "erreurs": {"type": "array", "items": {"$ref": "#/components/schemas/ChampErreur"}},
            },
            "required": ["detail"],
        }
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                # An operation may declare a status itself, as an int (`response={429: …}`):
                # a second key « "429" » would be a duplicated key once in JSON, which
                # Swagger UI refuses (« duplicated mapping key »).
                declared = {str(code) for code in responses}
                for status, description in ERROR_RESPONSES.items():
                    if status in declared:
                        continue
                    responses.setdefault(
                        status,
                        {
                            "description": description,
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Erreur"}
                                }
                            },
                        },
                    )
        return schema


api = OsezIAApi(
    title="API Osez l'IA",
    version="1.0.0",
    description=(
        "API de la plateforme du plan national « Osez l'IA ». Les listes sont paginées "
        '(`?page=`, `?page_size=` jusqu\'à 100) et renvoient `{"count": N, "page": P, '
        '"page_size": T, "next": P+1, "previous": P-1, "items": [...]}`. '
        "Les erreurs sont en JSON avec un champ `detail` en français. Les appels sont limités "
        "par minute (par jeton, par compte connecté, par adresse pour les appels anonymes) : "
        "au-delà, la réponse 429 porte l'en-tête `Retry-After`."
    ),
    throttle=[ApiThrottle()],
    docs=DocumentationFr(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)


def _mount() -> None:
    from osezia.academie.api import router as academie_router
    from osezia.ambassadeurs.api import router as ambassadeurs_router
    from osezia.catalogue.api import router as catalogue_router
    from osezia.comptes.api import router as comptes_router
    from osezia.consultation.api import router as consultation_router
    from osezia.diagnostics.api import router as diagnostics_router
    from osezia.entreprises.api import router as entreprises_router
    from osezia.evenements.api import router as evenements_router
    from osezia.expertise.api import router as expertise_router
    from osezia.referentiels.api import router as referentiels_router

    api.add_router("/v1/referentiels", referentiels_router)
    api.add_router("/v1/comptes", comptes_router)
    api.add_router("/v1/entreprises", entreprises_router)
    api.add_router("/v1/diagnostics", diagnostics_router)
    api.add_router("/v1/catalogue", catalogue_router)
    api.add_router("/v1/academie", academie_router)
    api.add_router("/v1/consultations", consultation_router)
    api.add_router("/v1/ambassadeurs", ambassadeurs_router)
    api.add_router("/v1/expertise", expertise_router)
    api.add_router("/v1/rencontres", evenements_router)


_mount()
