"""Who may do what in the catalogue."""

from osezia.comptes.permissions import is_operator

from .models import Fournisseur, Solution


def providers_of(user):
    if not user or not user.is_authenticated:
        return Fournisseur.objects.none()
    return Fournisseur.objects.filter(membres=user)


def can_manage(user, solution: Solution) -> bool:
    """A provider manages only its own organisation's solutions."""
    return bool(
        user and user.is_authenticated and solution.fournisseur.membres.filter(pk=user.pk).exists()
    )


def can_moderate(user) -> bool:
    return is_operator(user)
