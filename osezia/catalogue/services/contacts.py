"""Visitors' contact requests to providers (stored, then e-mailed by the task worker; failures
told to the operators) and the solutions' statistics."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ..models import DemandeContact, Solution
from .versions import logger


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
    if DemandeContact.objects.filter(
        solution=solution, email__iexact=email, cree_le__gte=timezone.now() - timedelta(days=1)
    ).exists():
        raise ValidationError(
            "Vous avez déjà écrit à ce fournisseur au sujet de cette solution aujourd'hui."
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

    The subject carries the solution's name on one clean line. Whatever stops the e-mail (no
    contact address, a refused header, the relay down or refusing the recipient), the request
    is marked failed with the reason, and the operators are told, so that no request is lost
    silently. A request already sent is never sent twice."""
    from django.core.mail import send_mail

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
    try:
        send_mail(
            subject=f"[Osez l'IA] Demande de contact : {name}",
            message=(
                f"{header_safe(demande.nom)} ({demande.email}){' — ' + company if company else ''} "
                f"vous écrit au sujet de « {name} » depuis le catalogue Osez l'IA :\n\n"
                f"{demande.message}\n"
            ),
            from_email=None,
            recipient_list=[recipient],
            fail_silently=False,
        )
    except Exception as exc:  # noqa: BLE001 - any backend error must leave a trace, not vanish
        logger.exception("contact request %s could not be e-mailed", demande.pk)
        _contact_failed(demande, f"envoi refusé ({type(exc).__name__} : {exc})")
        return False
    DemandeContact.objects.filter(pk=demande.pk).update(
        statut=DemandeContact.Statut.ENVOYEE, envoye_le=timezone.now(), erreur=""
    )
    return True


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
