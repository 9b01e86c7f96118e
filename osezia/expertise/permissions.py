"""Who sees and does what with Diagnostic Data IA files.

- A file is seen by the members of its company, by the expert assigned to it now, and by
  operators; by nobody else (404, never revealing it exists).
- What each may do is the transition table of `etats.py`, read through `parties_of`: the
  parties the person is for this file (a member of the company and an operator at once has
  both); a visible file with a move one's parties may not make answers 403.
- Operators accredit experts, set the envelopes and assign experts."""

from django.db.models import Q

from osezia.comptes.permissions import has_role, is_operator
from osezia.entreprises.permissions import is_member

from . import etats
from .models import Demande, Expert


def expert_of(user) -> Expert | None:
    """The person's accredited expert profile."""
    if not user or not user.is_authenticated:
        return None
    return Expert.objects.filter(utilisateur=user, statut=Expert.Statut.ACCREDITE).first()


def visible_demandes(user):
    if not user or not user.is_authenticated:
        return Demande.objects.none()
    if is_operator(user):
        return Demande.objects.all()
    return Demande.objects.filter(
        Q(entreprise__adhesions__utilisateur=user) | Q(expert__utilisateur=user)
    ).distinct()


def parties_of(user, demande: Demande) -> set[str]:
    parties = set()
    if not user or not user.is_authenticated:
        return parties
    if is_operator(user):
        parties.add(etats.OPERATEUR)
    if is_member(user, demande.entreprise):
        parties.add(etats.ENTREPRISE)
    if demande.expert_id and demande.expert.utilisateur_id == user.pk:
        parties.add(etats.EXPERT)
    return parties


def may_request(user) -> bool:
    return bool(user and user.is_authenticated)


def may_operate(user) -> bool:
    return is_operator(user)


def may_apply_as_expert(user) -> bool:
    return bool(user and user.is_authenticated and (has_role(user, "EXPERT") or is_operator(user)))
