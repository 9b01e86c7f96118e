from allauth.mfa.utils import is_mfa_enabled
from django.http import JsonResponse
from django.shortcuts import redirect

from .permissions import requires_mfa

# Pages an operator without a second factor may still reach: setting it up, logging out.
ALLOWED_PREFIXES = ("/comptes/", "/static/")


class OperatorMfaRequiredMiddleware:
    """Operators must activate two-factor authentication before using the platform."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(ALLOWED_PREFIXES)
            and requires_mfa(user)
            and not is_mfa_enabled(user)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": "Les opérateurs doivent activer la double authentification."},
                    status=403,
                )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
