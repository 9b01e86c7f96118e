"""Solutions for a diagnostic's use cases, for the recommendations hub."""

from django.urls import reverse

from osezia.diagnostics import recommandations as hub
from osezia.diagnostics.recommandations import Contexte, Recommandation
from osezia.recherche import services as recherche
from osezia.recherche.index import Filters
from osezia.referentiels.models import Naf

from .search import item

PER_USE_CASE = 2
USE_CASES = 3
# Ready to use: offered as a service (nothing to install), for the company's size and sector.
READY_DEPLOYMENT = "saas"


class SourceCatalogue:
    """This module's answer to the recommendations hub (registered in `apps.py`)."""

    code = "catalogue"
    titre = "Solutions prêtes à déployer"

    def solutions_pretes(self, taille: str, secteur_chain: tuple[str, ...]) -> dict[str, int]:
        """Per family, the published solutions offered as a service for this size and this
        sector (or every sector), counted in the search index (one query)."""
        filters = Filters(
            type="solution",
            secteur_chain=secteur_chain,
            terms={"tailles": [taille], "deploiement": [READY_DEPLOYMENT]},
        )
        results = recherche.search("", filters, limit=1, facets=("familles",))
        return {family: n for family, n in results.facets.get("familles", {}).items() if n}

    def recommander(self, contexte: Contexte) -> list[Recommandation]:
        """For each of the first use cases: the published solutions of that family that fit
        the company's sector (or every sector), size, budget and hosting preference, those
        whose text speaks of the company's activity first."""
        activity = (
            Naf.objects.filter(code=contexte.naf).values_list("libelle", flat=True).first() or ""
        )
        found, seen = [], set()
        for use_case in contexte.cas_usage[:USE_CASES]:
            terms = {"familles": [use_case["famille"]], "tailles": [contexte.categorie_taille]}
            if contexte.hebergements:
                terms["hebergement"] = list(contexte.hebergements)
            filters = Filters(
                type="solution",
                secteur_chain=contexte.naf_chain,
                terms=terms,
                prix_max=contexte.budget_max_eur_mois,
            )
            results = recherche.search(activity, filters, limit=PER_USE_CASE + 2)
            if not results.hits:
                results = recherche.search("", filters, limit=PER_USE_CASE + 2)
            for hit in results.hits:
                data = item(hit)
                if data["id_externe"] in seen:
                    continue
                seen.add(data["id_externe"])
                found.append(
                    Recommandation(
                        titre=data["nom"],
                        description=data["resume"],
                        famille=use_case["libelle"],
                        url=reverse("catalogue:solution", args=[data["id_externe"]]),
                    )
                )
                if sum(1 for r in found if r.famille == use_case["libelle"]) >= PER_USE_CASE:
                    break
        return found


def install() -> None:
    """Called from `AppConfig.ready()`: the hub asks this module from now on."""
    hub.register(SourceCatalogue())
