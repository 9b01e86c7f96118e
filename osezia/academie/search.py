"""Searching the Académie: the public filters of pages and API, on the shared index, and the
list form of a training (the action that answers the filters, its next session)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError

from osezia.catalogue.search import expand, family_hints
from osezia.recherche import services as recherche
from osezia.recherche.index import Filters, Results
from osezia.referentiels.models import FamilleCasUsage, Region

from . import format as fmt
from .models import Formation
from .services.trainings import next_session, with_details

MAX_QUERY = 200
SORTS = {
    "pertinence": "pertinence",
    "date": "date",
    "prix": "prix",
    "nom": "nom",
}
FACETS = (
    "publics",
    "modalite",
    "region",
    "financements",
    "familles",
    "niveau",
    "certifiante",
    "duree",
)


def _families() -> dict[str, str]:
    return dict(FamilleCasUsage.objects.values_list("code", "libelle_court"))


def _regions() -> dict[str, str]:
    return dict(Region.objects.values_list("code", "libelle"))


def allowed_values() -> dict[str, tuple[str, dict]]:
    """Filter name (as in URLs and the API) → (index field, accepted codes and labels)."""
    return {
        "public": ("publics", fmt.PUBLICS),
        "modalite": ("modalite", fmt.MODALITES),
        "region": ("region", _regions()),
        "financement": ("financements", fmt.FINANCEMENTS),
        "famille": ("familles", _families()),
        "niveau": ("niveau", fmt.NIVEAUX),
        "duree": ("duree", fmt.DUREES),
    }


TUTORIAL_FILTERS = ("public", "famille")


@dataclass
class Query:
    q: str = ""
    values: dict = field(default_factory=dict)
    certifiante: bool | None = None
    gratuit: bool = False
    sort: str = "pertinence"


def _as_list(raw) -> list[str]:
    if raw is None:
        return []
    values = raw if isinstance(raw, list | tuple) else [raw]
    return [str(v).strip() for v in values if v is not None and str(v).strip()]


def parse(q=None, tri=None, certifiante=None, gratuit=None, allowed=None, **values) -> Query:
    """Check the filters; raise ValidationError with French messages."""
    allowed = allowed or allowed_values()
    errors = {}
    q = (q or "").strip()
    if len(q) > MAX_QUERY:
        errors["q"] = f"la recherche ne doit pas dépasser {MAX_QUERY} caractères"
    sort = tri or "pertinence"
    if sort not in SORTS:
        errors["tri"] = f"tri inconnu (valeurs possibles : {', '.join(SORTS)})"
    cleaned = {}
    for name, raw in values.items():
        if name not in allowed:
            continue
        codes = _as_list(raw)
        if name == "public":
            codes = [c.upper() for c in codes]
        unknown = [c for c in codes if c not in allowed[name][1]]
        if unknown:
            accepted = ", ".join(list(allowed[name][1])[:25])
            errors[name] = (
                f"valeur inconnue : {', '.join(unknown)} (valeurs possibles : {accepted})"
            )
        cleaned[name] = codes
    if errors:
        raise ValidationError(errors)
    return Query(q=q, values=cleaned, certifiante=certifiante, gratuit=bool(gratuit), sort=sort)


def _filters(query: Query, doc_type: str, allowed) -> Filters:
    terms = {allowed[name][0]: codes for name, codes in query.values.items() if codes}
    if query.certifiante is not None:
        terms["certifiante"] = ["oui" if query.certifiante else "non"]
    return Filters(type=doc_type, terms=terms, prix_max=0 if query.gratuit else None)


def run(
    query: Query,
    doc_type: str = "formation",
    page: int = 1,
    page_size: int = 20,
    facets: bool = False,
    allowed=None,
) -> Results:
    allowed = allowed or allowed_values()
    return recherche.search(
        expand(query.q),
        _filters(query, doc_type, allowed),
        limit=page_size,
        offset=(page - 1) * page_size,
        sort=query.sort,
        facets=FACETS if facets else False,
        family_hints=family_hints(query.q),
    )


def published_count(doc_type: str = "formation") -> int:
    """How many trainings (or tutorials) are online, from the index (no count over a table)."""
    return recherche.search("", Filters(type=doc_type), limit=1).count


def main_action(formation: Formation, query: Query | None = None):
    """The action a list shows for this training: the one in the region or modality asked,
    else the one whose session comes first."""
    actions = list(formation.actions.all())
    if query:
        regions = query.values.get("region") or []
        modalites = query.values.get("modalite") or []
        publics = query.values.get("public") or []
        matching = [
            a
            for a in actions
            if (not regions or a.region_id in regions)
            and (not modalites or a.modalite in modalites)
            and (not publics or set(publics) & set(a.publics))
        ]
        actions = matching or actions
    dated = [(s.debut, a) for a in actions if (s := next_session(a)) and s.debut]
    if dated:
        return min(dated, key=lambda pair: pair[0])[1]
    return actions[0] if actions else None


def euros(cents: int | None) -> float | None:
    return None if cents is None else float(Decimal(cents) / 100)


def session_data(session) -> dict | None:
    if session is None:
        return None
    return {
        "id": session.pk,
        "debut": session.debut,
        "fin": session.fin,
        "places": session.places,
        "places_restantes": session.places_restantes,
        "etat_recrutement": session.etat_recrutement,
    }


def item(formation: Formation, query: Query | None = None) -> dict:
    """The list form of a training (the API contract)."""
    action = main_action(formation, query)
    session = next_session(action) if action else None
    actions = list(formation.actions.all())
    return {
        "id": formation.reference,
        "intitule": formation.intitule,
        "organisme": formation.organisme.nom,
        "publics": [p for p in fmt.PUBLICS if any(p in a.publics for a in actions)],
        "modalite": action.modalite if action else None,
        "region": action.region_id if action else None,
        "departement": action.departement_id if action else None,
        "ville": action.ville if action else "",
        "duree_heures": action.duree_heures if action else None,
        "prix_ttc_eur": euros(action.prix_ttc_centimes) if action else None,
        "financements": [f for f in fmt.FINANCEMENTS if any(f in a.financements for a in actions)],
        "familles": formation.familles,
        "certifiante": formation.certifiante,
        "prochaine_session": session.debut if session else None,
        "prochaine_session_detail": session_data(session),
    }


def formations_for(results: Results) -> list[Formation]:
    """The stored trainings of a page of results, in rank order, in three queries."""
    references = [hit.doc_id.split(":", 1)[1] for hit in results.hits]
    found = {
        f.reference: f for f in with_details(Formation.objects.filter(reference__in=references))
    }
    return [found[r] for r in references if r in found and found[r].publiee]
