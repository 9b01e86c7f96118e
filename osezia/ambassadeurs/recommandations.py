"""The ambassador a company's request would go to now, for the diagnostic's results (the
recommendations hub's section « ambassadeurs »): the same routing rule as a real request, read
without writing anything."""

from django.urls import reverse

from osezia.diagnostics import recommandations as hub
from osezia.diagnostics.recommandations import Contexte, Recommandation

from .services import demandes, routage_db


class SourceAmbassadeurs:
    code = "ambassadeurs"
    titre = "Votre ambassadeur IA"

    def recommander(self, contexte: Contexte) -> list[Recommandation]:
        region = contexte.region or (
            routage_db.region_of(contexte.departement) if contexte.departement else None
        )
        if not region or not contexte.naf:
            return []
        ambassador, choix = demandes.would_route(contexte.naf, region)
        if ambassador is None:
            return []
        query = f"?naf={contexte.naf}"
        if contexte.departement:
            query += f"&departement={contexte.departement}"
        if contexte.entreprise_id:
            query += f"&entreprise={contexte.entreprise_id}"
        return [
            Recommandation(
                titre=f"{ambassador.nom_complet} — {ambassador.get_reseau_display()}",
                description=(
                    f"{ambassador.get_type_ambassadeur_display()} qui couvre votre région et "
                    "votre activité : demandez à être accompagné depuis sa page, il ou elle "
                    "vous contacte dans les 5 jours ouvrés pour voir comment l'IA peut "
                    "améliorer votre activité et par où commencer."
                ),
                url=reverse("ambassadeurs:fiche", args=[ambassador.id_externe]),
                details={
                    "id_externe": ambassador.id_externe,
                    "rang": choix.rang,
                    "demande_url": reverse("ambassadeurs:demander") + query,
                },
            )
        ]


def install() -> None:
    hub.register(SourceAmbassadeurs())
