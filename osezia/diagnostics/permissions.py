"""Who may see a diagnostic: its company's members and operators; an anonymous diagnostic,
the person holding its token in their session (or its author)."""

from osezia.comptes.permissions import is_operator
from osezia.entreprises.permissions import is_member

from .models import Diagnostic

SESSION_KEY = "diagnostics_jetons"


def session_tokens(request) -> list[str]:
    return list(request.session.get(SESSION_KEY, []))


def remember(request, diagnostic: Diagnostic) -> None:
    tokens = session_tokens(request)
    if diagnostic.jeton not in tokens:
        request.session[SESSION_KEY] = [*tokens[-19:], diagnostic.jeton]


def can_view(request, diagnostic: Diagnostic) -> bool:
    user = request.user
    if is_operator(user):
        return True
    if diagnostic.entreprise_id:
        return is_member(user, diagnostic.entreprise)
    if user.is_authenticated and diagnostic.auteur_id == user.pk:
        return True
    return diagnostic.jeton in session_tokens(request)


def can_answer(request, diagnostic: Diagnostic) -> bool:
    """Answering is for whoever started it (or its company's members), never for operators
    looking at someone else's diagnostic."""
    if diagnostic.entreprise_id:
        return can_diagnose(request.user, diagnostic.entreprise)
    if request.user.is_authenticated and diagnostic.auteur_id == request.user.pk:
        return True
    return diagnostic.jeton in session_tokens(request)


def can_diagnose(user, entreprise) -> bool:
    """Who may start (and answer) a diagnostic in a company's name: its members only. An
    operator sees every company's diagnostics but never answers a questionnaire for one."""
    return is_member(user, entreprise)


def can_attach(user, diagnostic: Diagnostic, entreprise) -> bool:
    return diagnostic.entreprise_id is None and can_diagnose(user, entreprise)
