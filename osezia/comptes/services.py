"""Account use cases: creating people with their roles, granting roles."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .models import AttributionRole, Role, Utilisateur

OPERATORS_GROUP = "Opérateurs du plan"
PLATFORM_APPS = ("referentiels", "comptes", "entreprises", "diagnostics", "account", "mfa")


def operators_group() -> Group:
    """The admin group of operators: every permission on the platform's own tables."""
    group, _ = Group.objects.get_or_create(name=OPERATORS_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=PLATFORM_APPS))
    return group


@transaction.atomic
def grant_role(user: Utilisateur, role: str) -> None:
    if role not in Role.values:
        raise ValueError(f"Rôle inconnu : {role}")
    AttributionRole.objects.get_or_create(utilisateur=user, role=role)
    if role == Role.OPERATEUR:
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        user.groups.add(operators_group())
    user.__dict__.pop("_roles_cache", None)


@transaction.atomic
def create_account(
    email: str,
    password: str | None,
    roles: list[str],
    first_name: str = "",
    last_name: str = "",
    verified: bool = False,
) -> Utilisateur:
    """A new person with the given roles; `verified` marks their e-mail as confirmed."""
    user = Utilisateur.objects.create_user(
        email=email, password=password, first_name=first_name, last_name=last_name
    )
    for role in roles:
        grant_role(user, role)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=verified)
    return user
