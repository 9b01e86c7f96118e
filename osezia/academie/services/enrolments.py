"""Enrolments in sessions: seats never oversold, the waiting list, cancellation, what the
organisations see of their sessions."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from ..models import (
    Inscription,
    Session,
)
from ..permissions import can_cancel_inscription
from .profiles import require_profile

CANCELLABLE = (Inscription.Statut.INSCRIT, Inscription.Statut.ATTENTE)


def enrolments_of(user):
    """Every enrolment of a learner (sessions and tutorials, whatever their state), for their
    space and the API."""
    return Inscription.objects.filter(apprenant=user).select_related(
        "session__action__formation__organisme", "tutoriel"
    )


def live_enrolments(user):
    """A learner's enrolments that still hold (not cancelled): at most one per session."""
    return Inscription.objects.filter(apprenant=user).exclude(statut=Inscription.Statut.ANNULEE)


def live_by_session(user, formation) -> dict[int, Inscription]:
    """A learner's live enrolments in the sessions of one training, by session id (empty for
    an anonymous visitor)."""
    if not (user and user.is_authenticated):
        return {}
    return {
        i.session_id: i for i in live_enrolments(user).filter(session__action__formation=formation)
    }


def enrol(user, session_id: int) -> Inscription:
    """Enrol the user: a seat if one is left (taken by a conditional update, so concurrent
    enrolments never oversell), otherwise a place on the waiting list."""
    require_profile(user)
    with transaction.atomic():
        session = Session.objects.select_related("action__formation").get(pk=session_id)
        if not session.action.formation.publiee:
            raise Session.DoesNotExist
        if session.etat_recrutement != Session.EtatRecrutement.OUVERT:
            raise ValidationError("les inscriptions à cette session ne sont pas ouvertes")
        if has_begun(session):
            raise ValidationError("cette session a déjà commencé")
        if live_enrolments(user).filter(session=session).exists():
            raise ValidationError("vous êtes déjà inscrit·e à cette session")
        statut = Inscription.Statut.ATTENTE
        if take_seat(session.pk):
            statut = Inscription.Statut.INSCRIT
        try:
            with transaction.atomic():
                return Inscription.objects.create(apprenant=user, session=session, statut=statut)
        except IntegrityError as error:
            raise ValidationError("vous êtes déjà inscrit·e à cette session") from error


def take_seat(session_id: int) -> bool:
    unlimited = Session.objects.filter(pk=session_id, places__isnull=True).update(
        places_prises=F("places_prises") + 1
    )
    if unlimited:
        return True
    return bool(
        Session.objects.filter(pk=session_id, places_prises__lt=F("places")).update(
            places_prises=F("places_prises") + 1
        )
    )


def cancellable(inscription: Inscription) -> bool:
    """Whether this enrolment can still be cancelled: a session enrolment holding a seat or a
    place on the waiting list (not a tutorial, not a completed or cancelled one). Pages (the
    « Annuler » button) and the API (`annulable`) show what `cancel` accepts."""
    return inscription.session_id is not None and inscription.statut in CANCELLABLE


def cancel(user, inscription: Inscription) -> Inscription:
    """The learner (or a manager of the session) cancels; a freed seat goes to the first
    person on the waiting list, in the same transaction."""
    if not can_cancel_inscription(user, inscription):
        raise PermissionDenied
    with transaction.atomic():
        inscription = Inscription.objects.select_for_update().get(pk=inscription.pk)
        if not cancellable(inscription):
            raise ValidationError("cette inscription ne peut plus être annulée")
        _cancel_locked(inscription)
    return inscription


def _cancel_locked(inscription: Inscription) -> None:
    """Cancel a (locked) active enrolment; its seat, if it held one, goes to the first person
    waiting."""
    had_seat = inscription.statut == Inscription.Statut.INSCRIT
    inscription.statut = Inscription.Statut.ANNULEE
    inscription.save(update_fields=["statut"])
    if had_seat:
        Session.objects.filter(pk=inscription.session_id).update(
            places_prises=F("places_prises") - 1
        )
        _promote_waiting(inscription.session_id)


def _promote_waiting(session_id: int) -> None:
    waiting = (
        Inscription.objects.select_for_update()
        .filter(session_id=session_id, statut=Inscription.Statut.ATTENTE)
        .order_by("cree_le", "pk")
        .first()
    )
    if waiting and take_seat(session_id):
        waiting.statut = Inscription.Statut.INSCRIT
        waiting.save(update_fields=["statut"])


def fill_from_waiting_list(session: Session) -> None:
    """Seats added to a session go to the people waiting, in order."""
    free = None if session.places is None else session.places - session.places_prises
    waiting = Inscription.objects.filter(session=session, statut=Inscription.Statut.ATTENTE)
    for _ in range(waiting.count() if free is None else min(free, waiting.count())):
        _promote_waiting(session.pk)


def has_begun(session: Session) -> bool:
    """A dated session whose first day has passed: enrolment is closed."""
    return bool(session.debut and session.debut < timezone.localdate())


def session_participants(session: Session):
    return (
        session.inscriptions.exclude(statut=Inscription.Statut.ANNULEE)
        .select_related("apprenant")
        .order_by("statut", "cree_le")
    )


def managed_sessions(user):
    """The sessions of the organisations this user belongs to (or all, for an operator)."""
    from osezia.comptes.permissions import is_operator

    sessions = Session.objects.select_related("action__formation__organisme")
    if not is_operator(user):
        sessions = sessions.filter(action__formation__organisme__membres=user)
    since = timezone.localdate() - timedelta(days=365)
    return sessions.filter(Q(debut__isnull=True) | Q(debut__gte=since))


def release_enrolments(user) -> int:
    """Before an account is deleted: its seats are freed (the people waiting get them); its
    completions stay counted, anonymously."""
    released = 0
    with transaction.atomic():
        for inscription in Inscription.objects.select_for_update().filter(
            apprenant=user,
            session__isnull=False,
            statut__in=[Inscription.Statut.INSCRIT, Inscription.Statut.ATTENTE],
        ):
            _cancel_locked(inscription)
            released += 1
        # Completed enrolments go with the account: seats taken keep matching the enrolments.
        done = Inscription.objects.filter(
            apprenant=user, session__isnull=False, statut=Inscription.Statut.TERMINEE
        )
        for session_id in done.values_list("session_id", flat=True):
            Session.objects.filter(pk=session_id).update(places_prises=F("places_prises") - 1)
    return released
