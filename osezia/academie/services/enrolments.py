"""Enrolments in sessions: seats never oversold, the waiting list, cancellation, what the
organisations see of their sessions."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from osezia.referentiels import codes

from .. import format as fmt
from ..models import (
    Inscription,
    ProfilApprenant,
    Session,
)
from ..permissions import can_cancel_inscription
from .profiles import require_profile

CANCELLABLE = (Inscription.Statut.INSCRIT, Inscription.Statut.ATTENTE)
# Error codes of `enrol` the pages act upon (the message is French either way).
OUTSIDE_AUDIENCE = "hors_public"
OTHER_SESSION = "autre_session"


def _and(words: list[str]) -> str:
    """« a », « a et b », « a, b et c »."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " et " + words[-1]


def audience_warning(profile: ProfilApprenant | None, session: Session) -> str:
    """The warning when the learner's audience is not among those of the session's action
    (empty when it is, or without a profile): enrolling stays possible, once confirmed."""
    publics = session.action.publics or []
    if profile is None or not publics or profile.public in publics:
        return ""
    aimed = [codes.PUBLICS[p].lower() for p in publics if p in codes.PUBLICS]
    return (
        f"cette session s'adresse aux {_and(aimed)} ; vous avez indiqué être "
        f"{fmt.PUBLICS[profile.public].lower()} : confirmez votre inscription si elle vous "
        "concerne tout de même"
    )


def session_dates(session: Session) -> str:
    """« le 5 janvier 2027 », « du 5 au 6 janvier 2027 », « en entrée permanente »."""
    from django.utils.formats import date_format

    if not session.debut:
        return "en entrée permanente"
    if not session.fin or session.fin == session.debut:
        return f"le {date_format(session.debut, 'j F Y')}"
    return f"du {date_format(session.debut, 'j F Y')} au {date_format(session.fin, 'j F Y')}"


def other_session(user, session: Session) -> Inscription | None:
    """The learner's live enrolment (seat or waiting list) in another session of the same
    training: one session of a training at a time."""
    if not (user and user.is_authenticated):
        return None
    return (
        Inscription.objects.filter(
            apprenant=user,
            statut__in=CANCELLABLE,
            session__action__formation_id=session.action.formation_id,
        )
        .exclude(session=session)
        .select_related("session")
        .first()
    )


def _other_session_message(other: Inscription) -> str:
    return (
        "vous êtes déjà inscrit·e à une autre session de cette formation "
        f"({session_dates(other.session)}) : annulez-la d'abord pour changer de session"
    )


def closed_reason(user, session: Session) -> str:
    """Why this person cannot enrol in this session now (empty when they can)."""
    if session.etat_recrutement != Session.EtatRecrutement.OUVERT:
        return "les inscriptions à cette session ne sont pas ouvertes"
    if has_begun(session):
        return "cette session a déjà commencé"
    if user and user.is_authenticated:
        if live_enrolments(user).filter(session=session).exists():
            return "vous êtes déjà inscrit·e à cette session"
        other = other_session(user, session)
        if other:
            return _other_session_message(other)
    return ""


@dataclass
class EnrolmentPreview:
    """What the confirmation step shows before a learner enrols: the session, its price and
    funding, the audience warning, whether the seat would be on the waiting list, and the
    reason enrolling is refused (empty when it is possible)."""

    session: Session
    prix_ttc_centimes: int | None
    financements: list[str] = field(default_factory=list)  # labels
    publics: list[str] = field(default_factory=list)  # labels
    avertissement_public: str = ""
    liste_attente: bool = False
    refus: str = ""


def preview(user, session: Session) -> EnrolmentPreview:
    """The confirmation step of an enrolment (`enrol` applies the same rules)."""
    action = session.action
    profile = require_profile(user)
    return EnrolmentPreview(
        session=session,
        prix_ttc_centimes=action.prix_ttc_centimes,
        financements=[fmt.FINANCEMENTS[f] for f in action.financements if f in fmt.FINANCEMENTS],
        publics=[fmt.PUBLICS[p] for p in action.publics if p in fmt.PUBLICS],
        avertissement_public=audience_warning(profile, session),
        liste_attente=session.places is not None and session.places_restantes == 0,
        refus=closed_reason(user, session),
    )


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


def enrol(user, session_id: int, *, outside_audience_confirmed: bool = False) -> Inscription:
    """Enrol the user: a seat if one is left (taken by a conditional update, so concurrent
    enrolments never oversell), otherwise a place on the waiting list.

    Refused (French `ValidationError`): a session closed or begun, one the person is already
    in, a second session of the same training while one is live (code `autre_session`), and a
    session whose audiences do not include the learner's unless the person confirmed
    (`outside_audience_confirmed`; code `hors_public`). After the commit, the learner is
    e-mailed (with the session as an `.ics` file) and so are the organisation's members."""
    from .notifications import enrolment_emails_later

    profile = require_profile(user)
    with transaction.atomic():
        session = Session.objects.select_related("action__formation").get(pk=session_id)
        if not session.action.formation.publiee:
            raise Session.DoesNotExist
        # The person's row is the lock: two enrolments of one person are decided one after
        # the other (one session of a training at a time), others' enrolments do not wait.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        other = other_session(user, session)
        reason = closed_reason(user, session)
        if reason:
            raise ValidationError(reason, code=OTHER_SESSION if other else "ferme")
        warning = audience_warning(profile, session)
        if warning and not outside_audience_confirmed:
            raise ValidationError(warning, code=OUTSIDE_AUDIENCE)
        statut = Inscription.Statut.ATTENTE
        if take_seat(session.pk):
            statut = Inscription.Statut.INSCRIT
        try:
            with transaction.atomic():
                inscription = Inscription.objects.create(
                    apprenant=user, session=session, statut=statut
                )
        except IntegrityError as error:
            raise ValidationError("vous êtes déjà inscrit·e à cette session") from error
        enrolment_emails_later(inscription, "inscription")
        return inscription


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
        from .notifications import enrolment_emails_later

        waiting.statut = Inscription.Statut.INSCRIT
        waiting.save(update_fields=["statut"])
        enrolment_emails_later(waiting, "place_liberee")


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
