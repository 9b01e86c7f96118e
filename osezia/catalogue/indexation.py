"""How solutions enter the shared search index (read by `osezia.recherche.services`)."""

from osezia.recherche.documents import vocabulary_of
from osezia.referentiels.queries import naf_index

from .models import Solution
from .search import naf_chain

TYPE = "solution"


def document(solution: Solution) -> dict | None:
    """The index document of a solution's published version; None when it is not online."""
    if not solution.est_publiee:
        return None
    content = solution.version_publiee.contenu
    sectors = content["secteurs"]
    tree = sorted({code for s in sectors for code in naf_chain(s)})
    sections = sorted({naf_index()[s][1] for s in sectors if s in naf_index()}) or ["*"]
    extra = vocabulary_of(content["familles"])
    extra += content.get("certifications", []) + content.get("modeles_ia", [])
    price = content.get("tarif_min_eur_mois")
    if content["tarif_modele"] == "gratuit":
        price = 0
    return {
        "doc_id": f"{TYPE}:{solution.id_externe}",
        "type": TYPE,
        "nom": content["nom"],
        "resume": content["resume"],
        "description": content["description"],
        "vocabulaire": " ; ".join(e for e in extra if e),
        "familles": content["familles"],
        "secteurs": sectors or ["*"],
        "secteurs_arbre": tree,
        "sections": sections,
        "tailles": content["tailles"],
        "tarif": [content["tarif_modele"]],
        "deploiement": content["deploiement"],
        "hebergement": [content["hebergement"]],
        "risque": [content["risque_ia_act"]],
        "prix": price,
        "date": int(solution.version_publiee.decide_le.timestamp())
        if solution.version_publiee.decide_le
        else 0,
    }


def published():
    return Solution.objects.filter(version_publiee__isnull=False, retiree=False).select_related(
        "version_publiee"
    )


def documents():
    for solution in published().iterator(chunk_size=1000):
        data = document(solution)
        if data:
            yield data


def document_for(key: str) -> dict | None:
    solution = Solution.objects.filter(id_externe=key).select_related("version_publiee").first()
    return document(solution) if solution else None


def documents_for(keys: list[str]) -> dict[str, dict | None]:
    """The documents of these solutions, read in one query (missing ones are left out)."""
    solutions = Solution.objects.filter(id_externe__in=keys).select_related("version_publiee")
    return {solution.id_externe: document(solution) for solution in solutions}
