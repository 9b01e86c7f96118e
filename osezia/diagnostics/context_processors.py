from .models import Diagnostic
from .permissions import session_tokens


def pending(request):
    """A completed anonymous diagnostic of this browser that a logged-in person can still keep
    in their company (one query, only when the session holds diagnostic tokens)."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated and hasattr(request, "session")):
        return {}
    tokens = session_tokens(request)
    if not tokens:
        return {}
    diagnostic = (
        Diagnostic.objects.filter(
            jeton__in=tokens, entreprise__isnull=True, statut=Diagnostic.Statut.TERMINE
        )
        .order_by("-termine_le")
        .first()
    )
    return {"diagnostic_en_attente": diagnostic}
