"""E-mails of enrolments, sent by the worker after the commit (`academie.tasks`): the learner
(with the session as an `.ics` file when a seat is held on a dated session) and the members
of the training organisation."""

import logging

from django.db import transaction
from django.urls import reverse

from osezia.socle.mail import header_safe

from .. import calendrier
from ..models import Inscription

logger = logging.getLogger(__name__)

KINDS = ("inscription", "place_liberee")


def enrolment_emails_later(inscription: Inscription, kind: str) -> None:
    """After the commit of the current transaction, the task sends this enrolment's e-mails."""
    from ..tasks import send_enrolment_emails

    pk = inscription.pk
    transaction.on_commit(lambda: send_enrolment_emails.enqueue(pk, kind))


def _place(action) -> str:
    if action.modalite == "distance":
        return "à distance"
    return ", ".join(
        p for p in (action.adresse, f"{action.code_postal} {action.ville}".strip()) if p
    )


def session_event(inscription: Inscription) -> calendrier.Evenement | None:
    """The session as a calendar event (None for a permanent entry, which has no dates)."""
    from osezia.comptes.services import site_url

    session = inscription.session
    if session is None or session.debut is None:
        return None
    formation = session.action.formation
    url = site_url(reverse("academie:formation", args=[formation.reference]))
    return calendrier.Evenement(
        uid=f"academie-session-{session.pk}-inscription-{inscription.pk}@osez-ia",
        debut=session.debut,
        fin=session.fin or session.debut,
        titre=f"Formation : {formation.intitule}",
        lieu=_place(session.action),
        description=(
            f"{formation.intitule} — {formation.organisme.nom}. "
            "Inscription sur Osez l'IA (Académie de l'IA)."
        ),
        url=url if url.startswith("http") else "",
    )


def _send(subject: str, body: str, recipient: str, attachment: tuple | None = None) -> int:
    from django.core.mail import EmailMessage

    message = EmailMessage(
        subject=header_safe("[Osez l'IA] " + subject, max_len=200), body=body, to=[recipient]
    )
    if attachment:
        message.attach(*attachment)
    return message.send(fail_silently=False)


def organisation_recipients(organisme) -> list[str]:
    """The active members of the organisation; its own address when it has no member."""
    emails = list(
        organisme.membres.filter(is_active=True)
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
    )
    return emails or ([organisme.courriel] if organisme.courriel else [])


def send_enrolment_emails(inscription_id: int, kind: str = "inscription") -> int:
    """Run by the worker: the learner's e-mail and, for a new enrolment, the organisation's.
    Nothing is sent for an enrolment cancelled meanwhile."""
    from osezia.comptes.services import site_url

    from .enrolments import session_dates

    inscription = (
        Inscription.objects.select_related("apprenant", "session__action__formation__organisme")
        .filter(pk=inscription_id, session__isnull=False)
        .first()
    )
    if inscription is None or inscription.statut == Inscription.Statut.ANNULEE:
        return 0
    session = inscription.session
    formation = session.action.formation
    organisme = formation.organisme
    learner = inscription.apprenant
    title = header_safe(formation.intitule, max_len=120)
    when = session_dates(session)
    space = site_url(reverse("academie:mon_espace"))
    seat = inscription.statut == Inscription.Statut.INSCRIT
    sent = 0
    if seat:
        subject = (
            f"Une place s'est libérée : {title}"
            if kind == "place_liberee"
            else f"Inscription confirmée : {title}"
        )
        intro = (
            "Une place s'est libérée : vous passez de la liste d'attente à la session"
            if kind == "place_liberee"
            else "Votre inscription est enregistrée et votre place réservée pour la session"
        )
    else:
        subject = f"Liste d'attente : {title}"
        intro = "La session est complète : vous êtes sur la liste d'attente de la session"
    event = session_event(inscription) if seat else None
    body = (
        f"Bonjour,\n\n{intro} {when} de la formation « {formation.intitule} », "
        f"proposée par {organisme.nom} ({_place(session.action)}).\n\n"
        + ("Le fichier joint (session.ics) ajoute la session à votre agenda.\n\n" if event else "")
        + (
            "Si une place se libère, elle vous sera attribuée dans l'ordre d'inscription et "
            "vous recevrez un message.\n\n"
            if not seat
            else ""
        )
        + f"Vous pouvez consulter ou annuler votre inscription dans votre espace apprenant : {space}\n"
    )
    attachment = None
    if event:
        attachment = ("session.ics", calendrier.ics(event), "text/calendar")
    if learner.email:
        sent += _send(subject, body, learner.email, attachment)
    if kind != "inscription":
        return sent
    name = f"{learner.first_name} {learner.last_name}".strip() or learner.email
    manage = site_url(reverse("academie:session_gestion", args=[session.pk]))
    taken = (
        f"{session.places_prises} place{'s' if session.places_prises > 1 else ''} "
        f"prise{'s' if session.places_prises > 1 else ''}"
        + (f" sur {session.places}" if session.places is not None else "")
    )
    org_body = (
        f"Bonjour,\n\n{header_safe(name)} ({learner.email}) "
        + ("s'est inscrit·e" if seat else "s'est placé·e sur la liste d'attente")
        + f" à la session {when} de « {formation.intitule} » sur Osez l'IA.\n"
        f"La session compte désormais {taken}.\n\n"
        f"Les participants de la session : {manage}\n"
    )
    for recipient in organisation_recipients(organisme):
        try:
            sent += _send(f"Nouvelle inscription : {title}", org_body, recipient)
        except Exception:  # noqa: BLE001 - the learner's message is sent; log and go on
            logger.exception("enrolment %s: organisation e-mail to a member failed", inscription.pk)
    return sent
