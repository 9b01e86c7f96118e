"""Reactions to allauth's signals."""

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.signals import authenticator_added


def _second_factor_just_proven(sender, request, user, authenticator, **kwargs):
    """Activating TOTP asks for the password again and a valid code: this session has then
    passed the second factor, like a login with the code would."""
    if request is not None and getattr(request, "user", None) == user:
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)


def connect() -> None:
    authenticator_added.connect(_second_factor_just_proven, dispatch_uid="osezia-mfa-added")
