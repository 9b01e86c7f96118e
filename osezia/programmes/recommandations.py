"""Funding the company may claim, for the diagnostic's recommendations hub."""

from osezia.diagnostics import recommandations as hub
from osezia.diagnostics.recommandations import Contexte, Recommandation
from osezia.referentiels.models import Region

from .eligibilite import eligibilities, structuring_projects


class SourceFinancements:
    """This module's answer to the recommendations hub (registered in `apps.py`)."""

    code = "financements"
    titre = "Financements et programmes"

    def recommander(self, contexte: Contexte) -> list[Recommandation]:
        structuring = structuring_projects(contexte.cas_usage)
        region = (
            Region.objects.filter(code=contexte.region).values_list("libelle", flat=True).first()
            if contexte.region
            else None
        )
        found = eligibilities(
            contexte.categorie_taille,
            contexte.naf_chain,
            structuring,
            level=contexte.niveau,
            effectif=contexte.effectif,
            region_name=region,
        )
        return [
            Recommandation(titre=e.titre, description=e.raison, details={"code": e.code})
            for e in found
            if e.eligible
        ]


def install() -> None:
    """Called from `AppConfig.ready()`: the hub asks this module from now on."""
    hub.register(SourceFinancements())
