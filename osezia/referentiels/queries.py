"""Read-side helpers on reference data, shared by pages and the API."""

from django.db.models import QuerySet

from osezia.core.texte import search_key

from .models import Naf, NiveauNaf


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
