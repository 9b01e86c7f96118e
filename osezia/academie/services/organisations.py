"""Training organisations and their members."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from osezia.socle.regles import forbidden_characters

from ..models import OrganismeFormation
from ..permissions import can_manage_members

UNKNOWN_ACCOUNT = "aucun compte actif ne correspond à cette adresse électronique"


@transaction.atomic
def add_member(organisme: OrganismeFormation, user, by=None) -> bool:
    """Make a person a member of a training organisation: they then manage its sessions and
    record completions. `by` is the person deciding, checked (operators only); `None` is the
    platform itself acting on a decision already checked (an accepted claim, the demo data).
    True when the person was not a member yet."""
    if by is not None and not can_manage_members(by, organisme):
        raise PermissionDenied
    if organisme.membres.filter(pk=user.pk).exists():
        return False
    organisme.membres.add(user)
    return True


def add_member_by_email(organisme: OrganismeFormation, email: str, by) -> tuple[object, bool]:
    """An operator adds the account with this e-mail address to the organisation (the page
    and the API of operators); (the account, whether it was added)."""
    if not can_manage_members(by, organisme):
        raise PermissionDenied
    email = (email or "").strip()
    if not email or forbidden_characters(email) or len(email) > 254:
        raise ValidationError({"email": UNKNOWN_ACCOUNT})
    user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        raise ValidationError({"email": UNKNOWN_ACCOUNT})
    return user, add_member(organisme, user, by)


def members(organisme: OrganismeFormation):
    return organisme.membres.order_by("email")
