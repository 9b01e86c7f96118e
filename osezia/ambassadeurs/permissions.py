"""Who may see and do what with ambassadors and requests.

- A request is seen by the ambassador it is routed to now, by the members of its company and
  the person who sent it, and by operators; nobody else (404, never revealing it exists).
- Only the assigned ambassador (or an operator) moves it on or hands it over.
- Operators decide applications and see every request with its routing reason."""

from django.db.models import Q

from osezia.comptes.permissions import is_operator

from .models import Ambassadeur, Demande


def profile_of(user) -> Ambassadeur | None:
    """The person's active ambassador profile."""
    if not user or not user.is_authenticated:
        return None
    return Ambassadeur.objects.filter(utilisateur=user, statut=Ambassadeur.Statut.ACTIF).first()


def visible_requests(user):
    if not user or not user.is_authenticated:
        return Demande.objects.none()
    if is_operator(user):
        return Demande.objects.all()
    return Demande.objects.filter(
        Q(ambassadeur__utilisateur=user)
        | Q(entreprise__adhesions__utilisateur=user)
        | Q(demandeur=user)
    ).distinct()


def can_view_request(user, demande: Demande) -> bool:
    return visible_requests(user).filter(pk=demande.pk).exists()


def can_act_on(user, demande: Demande) -> bool:
    """Move the request on or hand it over: its ambassador, or an operator."""
    if is_operator(user):
        return True
    return bool(
        user
        and user.is_authenticated
        and demande.ambassadeur is not None
        and demande.ambassadeur.utilisateur_id == user.pk
    )


def may_manage_network(user) -> bool:
    return is_operator(user)
