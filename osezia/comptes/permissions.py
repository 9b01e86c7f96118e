"""Who may do what, by role. Object-level rules of each module live in its own permissions.py."""

from .models import Role


def has_role(user, role: str) -> bool:
    return bool(user and user.is_authenticated and role in user.roles)


def is_operator(user) -> bool:
    """Operators (State, Bpifrance, CCI staff) see and moderate everything."""
    return bool(
        user and user.is_authenticated and (user.is_superuser or Role.OPERATEUR in user.roles)
    )


def requires_mfa(user) -> bool:
    """Operators and every account that opens the admin must use a second factor."""
    return is_operator(user) or bool(user and user.is_authenticated and user.is_staff)
