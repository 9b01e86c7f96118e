"""Visitors' contact requests to providers (stored, then e-mailed by the task worker with the
sender as `Reply-To` and a copy to the sender; failures told to the operators), their
retention, and the solutions' statistics."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ..models import DemandeContact, Solution
from .versions import logger

# How long a contact request is kept (the form's notice says it): it serves the anti-abuse
# limits and the operators' follow-up of failed sends, then `purge_expired_contacts` deletes it.
CONTACT_RETENTION_MONTHS = getattr(settings, "CONTACT_RETENTION_MONTHS", 12)
# The sender receives a copy of each message: at most this many requests a day from one
# address, so that the form cannot be used to flood someone else's mailbox with copies.
CONTACT_PER_ADDRESS_PER_DAY = 5


def record_view(solution: Solution) -> None:
    Solution.objects.filter(pk=solution.pk).update(vues=F("vues") + 1)


@transaction.atomic
def contact(
    solution: Solution, nom: str, email: str, entreprise: str, message: str, ip: str, emetteur=None
) -> DemandeContact:
    """Store a contact request and e-mail it to the provider; limited per sender against spam."""
    if not solution.est_publiee:
        raise ValidationError("Cette solution n'est pas au catalogue.")
    fingerprint = DemandeContact.fingerprint(ip or "inconnue")
    since = timezone.now() - timedelta(hours=1)
    if (
        DemandeContact.objects.filter(empreinte_ip=fingerprint, cree_le__gte=since).count()
        >= settings.CONTACT_RATE_PER_HOUR
    ):
        raise ValidationError(
            "Trop de demandes envoyées depuis votre connexion : réessayez dans une heure."
        )
    today = DemandeContact.objects.filter(
        email__iexact=email, cree_le__gte=timezone.now() - timedelta(days=1)
    )
    if today.filter(solution=solution).exists():
        raise ValidationError(
            "Vous avez déjà écrit à ce fournisseur au sujet de cette solution aujourd'hui."
        )
    if today.count() >= CONTACT_PER_ADDRESS_PER_DAY:
        raise ValidationError(
            f"Cette adresse a déjà envoyé {CONTACT_PER_ADDRESS_PER_DAY} demandes de contact "
            "aujourd'hui : réessayez demain."
        )
    demande = DemandeContact.objects.create(
        solution=solution,
        nom=nom.strip()[:150],
        email=email.strip(),
        entreprise=(entreprise or "").strip()[:255],
        message=message.strip()[:3000],
        emetteur=emetteur if emetteur and emetteur.is_authenticated else None,
        empreinte_ip=fingerprint,
    )
    Solution.objects.filter(pk=solution.pk).update(contacts=F("contacts") + 1)
    from ..tasks import send_contact_email

    transaction.on_commit(lambda: send_contact_email.enqueue(demande.pk))
    return demande


def send_contact_email(demande_id: int) -> bool:
    """E-mail a stored contact request to the provider (run by the task worker).

    The provider answers the sender directly: the message's `Reply-To` is the sender's
    address. Once the provider's message has left, the sender gets a copy (a failed copy is
    logged, the request stays sent). The subject carries the solution's name on one clean
    line. Whatever stops the provider's e-mail (no contact address, a refused header, the relay
    down or refusing the recipient), the request is marked failed with the reason, and the
    operators are told, so that no request is lost silently. A request already sent is never
    sent twice."""
    from django.core.mail import EmailMessage

    from osezia.socle.mail import header_safe

    demande = (
        DemandeContact.objects.select_related("solution__version_publiee", "solution__fournisseur")
        .filter(pk=demande_id)
        .first()
    )
    if demande is None:
        return False
    if demande.statut == DemandeContact.Statut.ENVOYEE:
        return True
    content = demande.solution.version_publiee.contenu if demande.solution.version_publiee else {}
    recipient = content.get("contact_email")
    if not recipient:
        _contact_failed(demande, "la solution n'a pas d'adresse e-mail de contact")
        return False
    name = header_safe(content.get("nom") or demande.solution.id_externe, max_len=120)
    company = header_safe(demande.entreprise, max_len=255)
    sender = header_safe(demande.nom)
    try:
        EmailMessage(
            subject=f"[Osez l'IA] Demande de contact : {name}",
            body=(
                f"{sender} ({demande.email}){' — ' + company if company else ''} "
                f"vous écrit au sujet de « {name} » depuis le catalogue Osez l'IA :\n\n"
                f"{demande.message}\n\n"
                "Répondez directement à ce message : votre réponse ira à "
                f"{demande.email}.\n"
            ),
            to=[recipient],
            reply_to=[demande.email],
        ).send(fail_silently=False)
    except Exception as exc:  # noqa: BLE001 - any backend error must leave a trace, not vanish
        logger.exception("contact request %s could not be e-mailed", demande.pk)
        _contact_failed(demande, f"envoi refusé ({type(exc).__name__} : {exc})")
        return False
    DemandeContact.objects.filter(pk=demande.pk).update(
        statut=DemandeContact.Statut.ENVOYEE, envoye_le=timezone.now(), erreur=""
    )
    _send_copy(demande, name)
    return True


def _send_copy(demande: DemandeContact, name: str) -> None:
    """The sender's copy of what the provider received (never the provider's address)."""
    from django.core.mail import EmailMessage

    from osezia.socle.mail import header_safe

    provider = header_safe(demande.solution.fournisseur.nom, max_len=255)
    try:
        EmailMessage(
            subject=f"[Osez l'IA] Copie de votre message au sujet de « {name} »",
            body=(
                f"Bonjour,\n\nVotre message au sujet de « {name} » a été transmis par courriel "
                f"au fournisseur {provider}, qui vous répondra directement à cette adresse.\n\n"
                f"Votre message :\n\n{demande.message}\n\n"
                f"La plateforme Osez l'IA conserve votre demande {CONTACT_RETENTION_MONTHS} mois "
                "(prévention des abus, suivi des envois en échec), puis la supprime.\n"
            ),
            to=[demande.email],
        ).send(fail_silently=False)
    except Exception:  # noqa: BLE001 - the provider has the message: the request stays sent
        logger.exception("the sender's copy of contact request %s could not be sent", demande.pk)


def purge_expired_contacts(now=None) -> int:
    """Delete the contact requests older than `CONTACT_RETENTION_MONTHS` (30-day months);
    returns how many were deleted (`manage.py purge_demandes_contact`, run daily)."""
    limit = (now or timezone.now()) - timedelta(days=30 * CONTACT_RETENTION_MONTHS)
    deleted, _ = DemandeContact.objects.filter(cree_le__lt=limit).delete()
    return deleted


def _contact_failed(demande: DemandeContact, reason: str) -> None:
    """Mark the request failed and e-mail every active operator about it."""
    from django.core.mail import send_mail

    from osezia.comptes.services import operator_emails
    from osezia.socle.mail import header_safe

    reason = header_safe(reason, max_len=300)
    DemandeContact.objects.filter(pk=demande.pk).update(
        statut=DemandeContact.Statut.ECHEC, erreur=reason
    )
    operators = operator_emails()
    if not operators:
        logger.error("contact request %s failed and no operator can be told", demande.pk)
        return
    try:
        send_mail(
            subject=f"[Osez l'IA] Demande de contact non transmise (n° {demande.pk})",
            message=(
                f"La demande de contact n° {demande.pk} du {timezone.localtime(demande.cree_le):%d/%m/%Y à %H:%M}, "
                f"au sujet de la solution « {header_safe(demande.solution.id_externe)} », "
                f"n'a pas pu être transmise au fournisseur : {reason}.\n\n"
                "Elle est listée sur la page « Modération du catalogue » (/catalogue/moderation/), "
                "d'où vous pouvez la renvoyer une fois la cause corrigée.\n"
            ),
            from_email=None,
            recipient_list=operators,
            fail_silently=False,
        )
    except Exception:  # noqa: BLE001 - the failure is already recorded on the request
        logger.exception("operators could not be told that contact request %s failed", demande.pk)


def failed_contacts():
    """Contact requests whose e-mail could not be sent, newest first (operators' view)."""
    return DemandeContact.objects.filter(statut=DemandeContact.Statut.ECHEC).select_related(
        "solution"
    )


def retry_contact(demande: DemandeContact) -> None:
    """An operator sends a failed request again (after fixing the address or the relay)."""
    from ..tasks import send_contact_email as task

    with transaction.atomic():
        updated = DemandeContact.objects.filter(
            pk=demande.pk, statut=DemandeContact.Statut.ECHEC
        ).update(statut=DemandeContact.Statut.EN_ATTENTE, erreur="")
        if not updated:
            raise ValidationError("Cette demande n'est pas en échec d'envoi.")
        transaction.on_commit(lambda: task.enqueue(demande.pk))
