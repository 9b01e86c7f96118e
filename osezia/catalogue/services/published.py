"""The public catalogue, read: one published solution, and the comparison of a few of them.
A solution is public while it has a published version and is not withdrawn
(`Solution.est_publiee`); drafts, versions waiting for moderation and withdrawn solutions
never show."""

from django.core.exceptions import ValidationError

from ..models import Solution

COMPARISON_MIN, COMPARISON_MAX = 2, 3
TOO_MANY = (
    "La comparaison porte sur trois solutions au plus : retirez-en de votre sélection "
    "({count} choisies)."
)
TOO_FEW = (
    "La comparaison porte sur deux solutions au moins : choisissez-en deux ou trois dans le "
    "catalogue (case « Ajouter à la comparaison »)."
)
ONE_ONLY = (
    "La comparaison porte sur deux solutions au moins : ajoutez une autre solution à votre "
    "sélection pour la comparer à « {nom} »."
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
    once); an identifier that is not public is left out. More than `COMPARISON_MAX` asked, or
    fewer than `COMPARISON_MIN` public among them, is a French ValidationError (a comparison
    of one solution compares nothing)."""
    wanted = list(dict.fromkeys(ids))
    if len(wanted) > COMPARISON_MAX:
        raise ValidationError(TOO_MANY.format(count=len(wanted)), code="too_many")
    found = {s.id_externe: s for s in _public().filter(id_externe__in=wanted)}
    compared = [found[i] for i in wanted if i in found]
    if len(compared) == 1:
        nom = compared[0].version_publiee.nom
        raise ValidationError(ONE_ONLY.format(nom=nom), code="too_few")
    if len(compared) < COMPARISON_MIN:
        raise ValidationError(TOO_FEW, code="too_few")
    return compared
