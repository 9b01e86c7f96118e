"""Searching the catalogue: what its list page and its API accept (`SPEC`, read by the shared
parser of `osezia.recherche.requete`), and the list form of a solution, from the index."""

from osezia.recherche import services as recherche
from osezia.recherche.requete import (
    MAX_QUERY,
    Facet,
    Option,
    SearchPage,
    SearchRequest,
    SearchSpec,
    parse,
)
from osezia.referentiels.queries import naf_index

from . import format as fmt

__all__ = ["MAX_QUERY", "SPEC", "item", "naf_chain", "ranked_ids", "read", "run"]

SORTS = {
    "pertinence": "Pertinence",
    "nom": "Nom",
    "prix": "Prix le plus bas",
    "recent": "Les plus récentes",
}


def naf_chain(code: str) -> tuple[str, ...]:
    """A NAF code and its parents, most specific first."""
    index = naf_index()
    chain = [code]
    for size in (5, 4, 2):
        if len(chain[-1]) > size:
            chain.append(chain[-1][:size])
    if chain[-1] in index:
        chain.append(index[chain[-1]][1])
    return tuple(dict.fromkeys(c for c in chain if c in index))


def _sector(raw) -> str:
    """A NAF code at any level (upper case), or "" for every sector."""
    code = str(raw or "").strip().upper()
    if code and code not in naf_index():
        raise ValueError(f"« {code[:12]} » n'est pas un code NAF rév. 2")
    return code


def _filters(request: SearchRequest) -> dict:
    sector = request.options.get("secteur")
    return {"secteur_chain": naf_chain(sector)} if sector else {}


def _codes(codes) -> dict[str, str]:
    return {c: c for c in codes}


SPEC = SearchSpec(
    doc_type="solution",
    facets=(
        Facet("famille", "familles", _codes(fmt.FAMILLES)),
        Facet("taille", "tailles", _codes(fmt.TAILLES)),
        Facet("tarif", "tarif", _codes(fmt.MODELES_TARIF)),
        Facet("deploiement", "deploiement", _codes(fmt.DEPLOIEMENTS)),
        Facet("hebergement", "hebergement", _codes(fmt.HEBERGEMENTS)),
        Facet("risque_ia_act", "risque", _codes(fmt.RISQUES)),
    ),
    options=(Option("secteur", _sector),),
    sorts=SORTS,
    page_size=20,
    counts={"secteur": "sections"},  # by NAF section; "*": solutions for every sector
    filters=_filters,
)


def read(params) -> SearchRequest:
    """The catalogue search of these parameters; ValidationError with French messages."""
    return parse(params, SPEC)


def run(request: SearchRequest, facets: bool = False, snippets: bool = False) -> SearchPage:
    return recherche.search_page(request, SPEC, facets=facets, snippets=snippets)


def item(hit) -> dict:
    """The list form of a solution, straight from the index."""
    fields = hit.fields
    return {
        "id_externe": hit.doc_id.split(":", 1)[1],
        "nom": fields.get("nom", ""),
        "resume": fields.get("resume", ""),
        "familles": fields.get("familles", []),
        "secteurs": [s for s in fields.get("secteurs", []) if s != "*"],
        "tailles": fields.get("tailles", []),
        "hebergement": (fields.get("hebergement") or [""])[0],
        "deploiement": fields.get("deploiement", []),
        "risque_ia_act": (fields.get("risque") or [""])[0],
        "tarif": (fields.get("tarif") or [""])[0],
        "prix_min_eur_mois": fields.get("prix") if fields.get("prix", 10**9) < 10**9 else None,
        "score": round(hit.score, 4),
        "extrait": hit.snippet,
    }


def ranked_ids(query: dict, page_size: int = 10) -> list[str]:
    """The ranked ids for one evaluation query `{"q", "filtres"}` (tests and benchmarks)."""
    filters = query.get("filtres", {})
    request = read({"q": query["q"], "page_size": page_size, **filters})
    return [item(hit)["id_externe"] for hit in run(request).hits]
