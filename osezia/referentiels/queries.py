"""Read-side helpers on reference data, shared by pages and the API."""

from functools import lru_cache

from django.db.models import QuerySet

from osezia.socle.texte import search_key

from .models import Naf, NiveauNaf
from .naf import NafSuggester, Suggestion, load_trades


def search_naf(niveau: str | None = None, q: str | None = None) -> QuerySet[Naf]:
    """NAF codes of one level (or all), whose code or label contains `q`, ignoring accents and case."""
    queryset = Naf.objects.all()
    if niveau:
        queryset = queryset.filter(niveau=niveau)
    for word in search_key(q or "").split():
        queryset = queryset.filter(recherche__contains=word)
    return queryset.order_by("code")


def is_valid_niveau(niveau: str | None) -> bool:
    return not niveau or niveau in NiveauNaf.values


@lru_cache(maxsize=1)
def naf_index() -> dict[str, tuple[str, str]]:
    """Every NAF code → (niveau, section), read once per process (reference data changes only
    with a release, which restarts the processes)."""
    return {
        code: (niveau, section)
        for code, niveau, section in Naf.objects.values_list("code", "niveau", "section")
    }


@lru_cache(maxsize=1)
def departement_regions() -> dict[str, str]:
    """Every department code → its region code, read once per process."""
    from .models import Departement

    return dict(Departement.objects.values_list("code", "region_id"))


@lru_cache(maxsize=1)
def naf_suggester() -> NafSuggester:
    """The sous-classes' labels and the everyday trade words, compiled once per process."""
    sous_classes = Naf.objects.filter(niveau=NiveauNaf.SOUS_CLASSE).values_list("code", "libelle")
    return NafSuggester(sous_classes.order_by("code"), load_trades())


def suggest_naf(q: str | None, limit: int = 10) -> list[Suggestion]:
    """The sous-classes that fit a code or trade words typed by a person, best first."""
    return naf_suggester().suggest(q, limit)


def clear_caches() -> None:
    naf_suggester.cache_clear()
    naf_index.cache_clear()
    departement_regions.cache_clear()
