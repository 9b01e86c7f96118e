"""The platform's REST API: one NinjaAPI under /api, each module's router under /api/v1."""

from ninja import NinjaAPI

from . import errors

api = NinjaAPI(
    title="API Osez l'IA",
    version="1.0.0",
    description=(
        "API de la plateforme du plan national « Osez l'IA ». Les listes sont paginées "
        '(`?page=`, `?page_size=` jusqu\'à 100) et renvoient `{"count": N, "items": [...]}`. '
        "Les erreurs sont en JSON avec un champ `detail` en français."
    ),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)


def _mount() -> None:
    from osezia.diagnostics.api import router as diagnostics_router
    from osezia.entreprises.api import router as entreprises_router
    from osezia.referentiels.api import router as referentiels_router

    api.add_router("/v1/referentiels", referentiels_router)
    api.add_router("/v1/entreprises", entreprises_router)
    api.add_router("/v1/diagnostics", diagnostics_router)


_mount()
