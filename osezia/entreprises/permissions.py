"""Object-level rights on companies: members see and edit their own, operators see all."""

from osezia.comptes.models import Adhesion
from osezia.comptes.permissions import is_operator

from .models import Entreprise


def visible_entreprises(user):
    if not user or not user.is_authenticated:
        return Entreprise.objects.none()
    if is_operator(user):
        return Entreprise.objects.all()
    return Entreprise.objects.filter(adhesions__utilisateur=user)


def is_member(user, entreprise: Entreprise) -> bool:
    return bool(
        user
        and user.is_authenticated
        and Adhesion.objects.filter(utilisateur=user, entreprise=entreprise).exists()
    )


def is_admin_member(user, entreprise: Entreprise) -> bool:
    return bool(
        user
        and user.is_authenticated
        and Adhesion.objects.filter(
            utilisateur=user, entreprise=entreprise, est_admin=True
        ).exists()
    )


def can_view(user, entreprise: Entreprise) -> bool:
    return is_operator(user) or is_member(user, entreprise)


def can_edit(user, entreprise: Entreprise) -> bool:
    return is_operator(user) or is_member(user, entreprise)


def can_manage_members(user, entreprise: Entreprise) -> bool:
    return is_operator(user) or is_admin_member(user, entreprise)
