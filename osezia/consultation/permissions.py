"""Who may do what in a consultation."""

from osezia.comptes.permissions import is_operator


def may_moderate(user) -> bool:
    """Operators moderate proposals (never their own: the services refuse it)."""
    return is_operator(user)
