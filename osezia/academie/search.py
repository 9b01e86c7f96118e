"""Searching the Académie: what its list pages and API accept (`SPEC` for trainings,
`TUTORIAL_SPEC` for tutorials, read by the shared parser of `osezia.recherche.requete`), and
the list form of a training (the action that answers the filters, its next session)."""

from decimal import Decimal

from osezia.recherche import services as recherche
from osezia.recherche.index import Filters
from osezia.recherche.requete import (
    MAX_QUERY,
    Facet,
    Option,
    SearchPage,
    SearchRequest,
    SearchSpec,
    parse,
    yes_no,
)
from osezia.referentiels.models import FamilleCasUsage, Region

from . import format as fmt
from .models import Formation, Tutoriel
from .services.trainings import next_session, with_details

__all__ = ["MAX_QUERY", "SPEC", "TUTORIAL_SPEC", "item", "read", "run"]


def _families() -> dict[str, str]:
    return dict(FamilleCasUsage.objects.values_list("code", "libelle_court"))


def _regions() -> dict[str, str]:
    return dict(Region.objects.values_list("code", "libelle"))


def _filters(request: SearchRequest) -> dict:
    extra: dict = {}
    certifiante = request.options.get("certifiante")
    if certifiante is not None:
        extra["terms"] = {"certifiante": ["oui" if certifiante else "non"]}
    if request.options.get("gratuit"):
        extra["prix_max"] = 0
    return extra


SPEC = SearchSpec(
    doc_type="formation",
    facets=(
        Facet("public", "publics", fmt.PUBLICS, upper=True),
        Facet("modalite", "modalite", fmt.MODALITES),
        Facet("region", "region", _regions),
        Facet("financement", "financements", fmt.FINANCEMENTS),
        Facet("famille", "familles", _families),
        Facet("niveau", "niveau", fmt.NIVEAUX),
        Facet("duree", "duree", fmt.DUREES),
    ),
    options=(
        Option("certifiante", yes_no),
        Option("gratuit", lambda raw: bool(yes_no(raw))),
    ),
    sorts={
        "pertinence": "Pertinence",
        "date": "Prochaine session",
        "prix": "Prix le plus bas",
        "nom": "Intitulé",
    },
    page_size=20,
    counts={"certifiante": "certifiante"},
    filters=_filters,
)
TUTORIAL_SPEC = SPEC.only("public", "famille", doc_type="tutoriel")


def read(params, spec: SearchSpec = SPEC) -> SearchRequest:
    """The Académie search of these parameters; ValidationError with French messages."""
    return parse(params, spec)


def run(request: SearchRequest, spec: SearchSpec = SPEC, facets: bool = False) -> SearchPage:
    return recherche.search_page(request, spec, facets=facets)


def published_count(doc_type: str = "formation") -> int:
    """How many trainings (or tutorials) are online, from the index (no count over a table)."""
    return recherche.search("", Filters(type=doc_type), limit=1).count


def main_action(formation: Formation, query: SearchRequest | None = None):
    """The action a list shows for this training: the one in the region or modality asked,
    else the one whose session comes first."""
    actions = list(formation.actions.all())
    if query:
        regions = query.selected("region")
        modalites = query.selected("modalite")
        publics = query.selected("public")
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


def item(formation: Formation, query: SearchRequest | None = None) -> dict:
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


def formations_for(results: SearchPage) -> list[Formation]:
    """The stored trainings of a page of results, in rank order, in three queries."""
    references = [hit.doc_id.split(":", 1)[1] for hit in results.hits]
    found = {
        f.reference: f for f in with_details(Formation.objects.filter(reference__in=references))
    }
    return [found[r] for r in references if r in found and found[r].publiee]


def tutorials_for(results: SearchPage) -> list:
    """The stored tutorials of a page of results, in rank order, in one query."""
    slugs = [hit.doc_id.split(":", 1)[1] for hit in results.hits]
    found = {t.slug: t for t in Tutoriel.objects.filter(slug__in=slugs, publie=True)}
    return [found[s] for s in slugs if s in found]
