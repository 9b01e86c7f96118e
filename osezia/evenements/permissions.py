"""Who may see and do what with events, registrations and meetings.

- Events, their public directory of participants (never an e-mail) and the events' feed are
  public.
- An event is run (scheduling, meetings, check-in, grid) by its organiser or an operator;
  anyone else gets 404 on those pages.
- A participant sees their own registration, interests, agenda and meetings only."""

from django.http import Http404

from osezia.comptes.permissions import is_operator

from .models import Evenement, Inscription, RendezVous


def peut_gerer(user, evenement: Evenement) -> bool:
    return bool(
        user
        and user.is_authenticated
        and (evenement.organisateur_id == user.pk or is_operator(user))
    )


def evenement_gere(user, pk: int) -> Evenement:
    evenement = Evenement.objects.filter(pk=pk).first()
    if evenement is None or not peut_gerer(user, evenement):
        raise Http404
    return evenement


def inscription_de(user, evenement: Evenement) -> Inscription | None:
    if not user or not user.is_authenticated:
        return None
    return evenement.inscriptions.filter(utilisateur=user).first()


def rendez_vous_de(inscription: Inscription, pk: int) -> RendezVous:
    rdv = (
        RendezVous.objects.filter(pk=pk, evenement=inscription.evenement, annule=False)
        .select_related("creneau", "a", "b")
        .first()
    )
    if rdv is None or inscription.pk not in (rdv.a_id, rdv.b_id):
        raise Http404
    return rdv
