"""The public catalogue, read: one published solution, and the comparison of a few of them.
A solution is public while it has a published version and is not withdrawn
(`Solution.est_publiee`); drafts, versions waiting for moderation and withdrawn solutions
never show."""

from django.core.exceptions import ValidationError

from ..models import Solution

COMPARISON_MAX = 3
TOO_MANY = (
    "La comparaison porte sur trois solutions au plus : retirez-en de votre sélection "
    "({count} choisies)."
)


def _public():
    return Solution.objects.select_related("fournisseur", "version_publiee").filter(
        version_publiee__isnull=False, retiree=False
    )


def published_solution(id_externe: str) -> Solution | None:
    """The published solution with exactly this identifier, or None (pages, API)."""
    return _public().filter(id_externe=id_externe).first()


def comparison(ids: list[str]) -> list[Solution]:
    """The published solutions among `ids`, in the order given (a repeated identifier counts
    once); an identifier that is not public is left out. More than `COMPARISON_MAX` is a
    French ValidationError."""
    wanted = list(dict.fromkeys(ids))
    if len(wanted) > COMPARISON_MAX:
        raise ValidationError(TOO_MANY.format(count=len(wanted)), code="too_many")
    found = {s.id_externe: s for s in _public().filter(id_externe__in=wanted)}
    return [found[i] for i in wanted if i in found]
