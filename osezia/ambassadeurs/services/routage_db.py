"""The bridge between the tables and the pure routing engine (`routage.py`)."""

from functools import lru_cache

from django.db.models import Count, Max

from osezia.referentiels.models import Naf
from osezia.referentiels.queries import departement_regions

from .. import routage
from ..models import OPEN_STATUSES, Ambassadeur, Attribution, Demande


@lru_cache(maxsize=1)
def naf_parents() -> dict[str, str | None]:
    """Every NAF code → its parent's code (None for a section), read once per process."""
    return dict(Naf.objects.values_list("code", "parent_id"))


def clear_caches() -> None:
    naf_parents.cache_clear()


def chain(naf_code: str) -> tuple[str, ...]:
    return routage.naf_chain(naf_code, naf_parents())


def region_of(departement: str) -> str | None:
    return departement_regions().get(departement)


def coverage(ambassadors=None) -> dict[int, tuple[frozenset[str], frozenset[str]]]:
    """Active ambassador id → (its region codes, its NAF codes), in three queries."""
    if ambassadors is None:
        ambassadors = Ambassadeur.objects.filter(statut=Ambassadeur.Statut.ACTIF)
    ids = list(ambassadors.values_list("pk", flat=True))
    regions: dict[int, set[str]] = {pk: set() for pk in ids}
    nafs: dict[int, set[str]] = {pk: set() for pk in ids}
    through_r = Ambassadeur.regions.through.objects.filter(ambassadeur_id__in=ids)
    for pk, code in through_r.values_list("ambassadeur_id", "region_id"):
        regions[pk].add(code)
    through_n = Ambassadeur.naf.through.objects.filter(ambassadeur_id__in=ids)
    for pk, code in through_n.values_list("ambassadeur_id", "naf_id"):
        nafs[pk].add(code)
    return {pk: (frozenset(regions[pk]), frozenset(nafs[pk])) for pk in ids}


def candidates(cible: routage.Cible, lock: bool = False) -> dict[str, tuple[int, routage.Candidat]]:
    """id_externe → (pk, Candidat) for the active ambassadors who cover the company, with
    their open requests and last assignment read after locking their rows (`lock`, inside
    a transaction): two requests routed at once cannot both take the last free place."""
    active = Ambassadeur.objects.filter(statut=Ambassadeur.Statut.ACTIF)
    covered = coverage(active)
    ids = []
    for pk, (regions, nafs) in covered.items():
        probe = routage.Candidat("", regions, nafs)
        if routage.covers(probe, cible):
            ids.append(pk)
    rows = Ambassadeur.objects.filter(pk__in=ids, statut=Ambassadeur.Statut.ACTIF).order_by("pk")
    if lock:
        rows = rows.select_for_update()
    profiles = list(rows.values_list("pk", "id_externe", "capacite_mensuelle"))
    locked = [pk for pk, _, _ in profiles]
    open_counts = dict(
        Demande.objects.filter(ambassadeur_id__in=locked, statut__in=OPEN_STATUSES)
        .values("ambassadeur_id")
        .annotate(n=Count("pk"))
        .values_list("ambassadeur_id", "n")
    )
    last = dict(
        Attribution.objects.filter(ambassadeur_id__in=locked)
        .values("ambassadeur_id")
        .annotate(m=Max("pk"))
        .values_list("ambassadeur_id", "m")
    )
    result = {}
    for pk, ident, capacity in profiles:
        regions, nafs = covered[pk]
        result[ident] = (
            pk,
            routage.Candidat(ident, regions, nafs, capacity, open_counts.get(pk, 0), last.get(pk)),
        )
    return result


def choose(cible: routage.Cible, exclus=(), lock: bool = False):
    """(the chosen Ambassadeur's pk, the Choix), or (None, None) when nobody covers it."""
    found = candidates(cible, lock=lock)
    choix = routage.route([c for _, c in found.values()], cible, exclus)
    if choix is None:
        return None, None
    return found[choix.id_externe][0], choix
