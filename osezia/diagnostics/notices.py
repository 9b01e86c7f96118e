from django.template.defaultfilters import date
from django.urls import reverse
from django.utils.html import format_html
from django.utils.timezone import localtime

from osezia.socle.site import Notice

from .models import Diagnostic
from .permissions import session_tokens


def pending_notice(request) -> Notice | None:
    """A completed anonymous diagnostic of this browser that a logged-in person can still keep
    in their company (one query, only when the session holds diagnostic tokens); not shown on
    the results page, which offers to keep it. Registered in the shell by `DiagnosticsConfig`."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated and hasattr(request, "session")):
        return None
    match = request.resolver_match
    if match and match.url_name == "resultats":
        return None
    tokens = session_tokens(request)
    if not tokens:
        return None
    diagnostic = (
        Diagnostic.objects.filter(
            jeton__in=tokens, entreprise__isnull=True, statut=Diagnostic.Statut.TERMINE
        )
        .order_by("-termine_le")
        .first()
    )
    if diagnostic is None:
        return None
    return Notice(
        format_html(
            "Votre autodiagnostic du {} n'est pas encore enregistré dans l'espace de votre "
            'entreprise. <a href="{}">L\'enregistrer</a>',
            date(localtime(diagnostic.termine_le), "j F Y"),
            reverse("diagnostics:resultats", args=[diagnostic.uuid]),
        )
    )
