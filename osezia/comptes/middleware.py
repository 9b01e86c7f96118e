from allauth.account.authentication import get_authentication_records
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .permissions import requires_mfa

# Pages an operator without a second factor may still reach: setting it up, logging out.
ALLOWED_PREFIXES = ("/comptes/", "/static/")


def passed_second_factor(request) -> bool:
    """Whether this session was opened (or confirmed) with a second factor, not only whether
    the account has one."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


class OperatorMfaRequiredMiddleware:
    """Operators and staff must have a second factor, and must have used it in this session,
    before any other page or endpoint answers them (the admin included)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is None
            or not user.is_authenticated
            or request.path.startswith(ALLOWED_PREFIXES)
            or not requires_mfa(user)
        ):
            return self.get_response(request)
        api = request.path.startswith("/api/")
        if not is_mfa_enabled(user):
            if api:
                return JsonResponse(
                    {"detail": "Les opérateurs doivent activer la double authentification."},
                    status=403,
                )
            return redirect("mfa_activate_totp")
        if not passed_second_factor(request):
            # A session opened with the password alone (or by any other path): it must start
            # again through the login page, which asks for the code.
            logout(request)
            if api:
                return JsonResponse(
                    {
                        "detail": "Session ouverte sans le second facteur : reconnectez-vous "
                        "avec votre code de double authentification."
                    },
                    status=401,
                )
            messages.warning(
                request,
                "Reconnectez-vous avec votre code de double authentification pour continuer.",
            )
            return redirect(f"{reverse('account_login')}?{urlencode({'next': request.path})}")
        return self.get_response(request)
