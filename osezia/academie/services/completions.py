"""Completions: a training organisation (or an operator) records that a learner completed a
session; each completion gets a certificate code, counts the person as trained and advances
their paths."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from osezia.socle.regles import forbidden_characters

from ..models import (
    Inscription,
    ProfilApprenant,
    Session,
)
from ..permissions import can_manage_session
from .certificates import new_code
from .counters import count_trained
from .enrolments import take_seat
from .paths import advance_paths


def complete_session(user, inscription: Inscription) -> Inscription:
    """The training organisation (or an operator) records that the learner completed."""
    if not can_manage_session(user, inscription.session):
        raise PermissionDenied
    with transaction.atomic():
        inscription = (
            Inscription.objects.select_for_update(of=("self",))
            .select_related("session")
            .get(pk=inscription.pk)
        )
        _require_started(inscription.session)
        if inscription.statut != Inscription.Statut.INSCRIT:
            raise ValidationError("seule une inscription confirmée peut être validée")
        complete(inscription, validated_by=user)
    return inscription


def completion_open(session: Session) -> bool:
    """Completions are recorded from the session's first day (at once for a permanent one)."""
    return not session.debut or session.debut <= timezone.localdate()


def _require_started(session: Session) -> None:
    if not completion_open(session):
        raise ValidationError(
            "la session n'a pas encore commencé : l'achèvement se valide à partir du "
            f"{session.debut:%d/%m/%Y}"
        )


def record_attendance(user, session: Session, email: str, code: str) -> Inscription:
    """The training organisation records that a learner followed a session that has started
    without enrolling on the platform. The learner gives the organisation their e-mail and
    their learner code (shown in their space): without both, nothing happens, and the answer
    does not tell whether an account exists. The person takes a seat like any participant."""
    if not can_manage_session(user, session):
        raise PermissionDenied
    _require_started(session)
    if forbidden_characters(email or "") or forbidden_characters(code or ""):
        # Never looked up (PostgreSQL refuses NUL): the same answer as an unknown person.
        raise ValidationError(
            "aucun apprenant ne correspond à cette adresse et à ce code d'apprenant"
        )
    profile = (
        ProfilApprenant.objects.select_related("utilisateur")
        .filter(
            utilisateur__email__iexact=(email or "").strip(),
            code_apprenant=(code or "").strip().upper(),
        )
        .first()
    )
    if profile is None:
        raise ValidationError(
            "aucun apprenant ne correspond à cette adresse et à ce code d'apprenant"
        )
    learner = profile.utilisateur
    try:
        with transaction.atomic():
            Session.objects.select_for_update().filter(pk=session.pk).first()
            inscription = (
                Inscription.objects.select_for_update()
                .filter(apprenant=learner, session=session)
                .exclude(statut=Inscription.Statut.ANNULEE)
                .first()
            )
            if inscription and inscription.statut == Inscription.Statut.TERMINEE:
                raise ValidationError("cet achèvement est déjà enregistré")
            needs_seat = inscription is None or inscription.statut == Inscription.Statut.ATTENTE
            if needs_seat and not take_seat(session.pk):
                raise ValidationError("la session est complète : toutes ses places sont prises")
            if inscription is None:
                inscription = Inscription.objects.create(
                    apprenant=learner, session=session, statut=Inscription.Statut.INSCRIT
                )
            complete(inscription, validated_by=user)
    except IntegrityError as error:
        raise ValidationError("cet achèvement est déjà enregistré") from error
    return inscription


def complete(inscription: Inscription, validated_by=None, score=None) -> None:
    now = timezone.now()
    inscription.statut = Inscription.Statut.TERMINEE
    inscription.termine_le = now
    inscription.valide_par = validated_by
    inscription.score_quiz = score
    inscription.code_verification = new_code()
    inscription.save()
    if inscription.session_id:
        session = inscription.session
        count_trained(inscription.apprenant_id, now, session.action.region_id)
    advance_paths(inscription.apprenant_id, now)
