"""Funding the company may claim, for the diagnostic's recommendations hub."""

from osezia.diagnostics.recommandations import Contexte, Recommandation

from .eligibilite import eligibilities


class Fournisseur:
    code = "financements"

    def recommander(self, contexte: Contexte) -> list[Recommandation]:
        structuring = [
            u["libelle"]
            for u in contexte.cas_usage[:5]
            if u["priorite"] == "projet_structurant" and u["valeur"] >= 50
        ]
        return [
            Recommandation(titre=e.titre, description=e.raison, details={"code": e.code})
            for e in eligibilities(contexte.categorie_taille, contexte.naf_chain, structuring)
            if e.eligible
        ]
