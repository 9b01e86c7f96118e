"""Who may do what in the catalogue."""

from osezia.comptes.permissions import is_operator

from .models import Fournisseur, Solution, VersionSolution

# The versions a provider may send to moderation: a draft, or a refused version (corrected or
# not). A version waiting for moderation, published or replaced is not submitted again.
SUBMITTABLE = (VersionSolution.Statut.BROUILLON, VersionSolution.Statut.REFUSEE)


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


def can_edit(user, solution: Solution) -> bool:
    """Who may change a solution's content (a new version, moderated): its provider's members."""
    return can_manage(user, solution)


def can_see_history(user, solution: Solution) -> bool:
    """A solution's history is shown to its provider's members and to operators."""
    return can_manage(user, solution) or can_moderate(user)


def can_submit(solution: Solution) -> bool:
    """The solution has a version in progress that may be sent to moderation (pages, API and
    `services.submit` ask this one question)."""
    version = solution.version_en_cours
    return version is not None and version.statut in SUBMITTABLE


def can_revoke_tokens(user, fournisseur: Fournisseur) -> bool:
    """A provider's API tokens are revoked by its members and by operators."""
    if not user or not user.is_authenticated:
        return False
    return is_operator(user) or fournisseur.membres.filter(pk=user.pk).exists()
