"""Searching the catalogue: the public filters and sorts of pages and API, on the shared index."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from osezia.recherche import services as recherche
from osezia.recherche.index import Filters, Results
from osezia.referentiels.queries import naf_index

from . import format as fmt

SORTS = ("pertinence", "nom", "prix", "recent")
FILTERS = {
    "famille": ("familles", fmt.FAMILLES),
    "taille": ("tailles", fmt.TAILLES),
    "tarif": ("tarif", fmt.MODELES_TARIF),
    "deploiement": ("deploiement", fmt.DEPLOIEMENTS),
    "hebergement": ("hebergement", fmt.HEBERGEMENTS),
    "risque_ia_act": ("risque", fmt.RISQUES),
}
MAX_QUERY = 200


@dataclass
class Query:
    q: str = ""
    secteur: str = ""
    values: dict | None = None  # filter name → list of codes
    sort: str = "pertinence"


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


def parse(q: str | None, secteur: str | None, sort: str | None, **values) -> Query:
    """Check the public filters; raise ValidationError with French messages."""
    errors = {}
    q = (q or "").strip()
    if len(q) > MAX_QUERY:
        errors["q"] = f"la recherche ne doit pas dépasser {MAX_QUERY} caractères"
    secteur = (secteur or "").strip().upper()
    if secteur and secteur not in naf_index():
        errors["secteur"] = f"« {secteur} » n'est pas un code NAF rév. 2"
    sort = sort or "pertinence"
    if sort not in SORTS:
        errors["tri"] = f"tri inconnu (valeurs possibles : {', '.join(SORTS)})"
    cleaned = {}
    for name, raw in values.items():
        if name not in FILTERS:
            continue
        codes = [c for c in (raw if isinstance(raw, list | tuple) else [raw]) if c]
        allowed = FILTERS[name][1]
        unknown = [c for c in codes if c not in allowed]
        if unknown:
            errors[name] = (
                f"valeur inconnue : {', '.join(unknown)} (valeurs possibles : {', '.join(allowed)})"
            )
        cleaned[name] = codes
    if errors:
        raise ValidationError(errors)
    return Query(q=q, secteur=secteur, values=cleaned, sort=sort)


def family_hints(text: str) -> dict[str, float]:
    """Families the words of the query point to (the diagnostic's lexicon of needs)."""
    if not text:
        return {}
    from osezia.diagnostics.engine import default_knowledge

    analysis = default_knowledge().lexicon.analyse(text)
    return {family: analysis.signal(family) for family in analysis.matches}


def expand(text: str) -> str:
    """The query with the canonical form of colloquial words added (« bot » → « chatbot »,
    « compta » → « comptabilité »), from the reviewed lexicon of needs."""
    if not text:
        return text
    from osezia.diagnostics.engine import default_knowledge
    from osezia.langue.texte import words

    synonyms = default_knowledge().lexicon.synonyms
    extra = [" ".join(synonyms[w]) for w in words(text) if w in synonyms]
    return " ".join([text, *extra])


def run(
    query: Query, page: int = 1, page_size: int = 20, facets: bool = False, snippets: bool = False
) -> Results:
    filters = Filters(
        type="solution",
        secteur_chain=naf_chain(query.secteur) if query.secteur else (),
        terms={FILTERS[name][0]: codes for name, codes in (query.values or {}).items() if codes},
    )
    return recherche.search(
        expand(query.q),
        filters,
        limit=page_size,
        offset=(page - 1) * page_size,
        sort=query.sort,
        facets=facets,
        snippets=snippets,
        family_hints=family_hints(query.q),
    )


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
    parsed = parse(
        query["q"],
        filters.get("secteur"),
        None,
        **{n: [filters[n]] for n in FILTERS if n in filters},
    )
    return [item(hit)["id_externe"] for hit in run(parsed, page_size=page_size).hits]
