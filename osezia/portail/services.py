"""The site layer's one write: a message to the operators from the contact page."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from osezia.comptes.services import operator_emails, send_email_later, site_url
from osezia.socle.mail import header_safe
from osezia.socle.ratelimit import consume

from .models import MessageContact

RATE_MESSAGE = "Trop de messages envoyés depuis votre connexion : réessayez dans une heure."


def send_contact_message(
    nom: str, email: str, sujet: str, message: str, sender_key: str, emetteur=None
) -> MessageContact:
    """Store the message and e-mail the operators once it is committed (by the task worker).
    At most `CONTACT_RATE_PER_HOUR` messages an hour per `sender_key` (the client's address):
    raises `RateLimited` beyond."""
    consume("contact-operateurs", sender_key, settings.CONTACT_RATE_PER_HOUR, 3600, RATE_MESSAGE)
    with transaction.atomic():
        item = MessageContact.objects.create(
            nom=nom.strip(),
            email=email.strip(),
            sujet=sujet,
            message=message.strip(),
            emetteur=emetteur if emetteur is not None and emetteur.is_authenticated else None,
        )
        subject = header_safe(f"[Osez l'IA] Contact : {item.get_sujet_display()} — {item.nom}", 150)
        body = (
            f"Un message est arrivé par la page de contact de la plateforme.\n\n"
            f"De : {item.nom} <{item.email}>\n"
            f"Sujet : {item.get_sujet_display()}\n\n"
            f"{item.message}\n\n"
            f"Répondre à {item.email}. Le message est dans l'administration : "
            f"{site_url(reverse('admin:portail_messagecontact_change', args=[item.pk]))}\n"
        )
        send_email_later(subject, body, operator_emails())
    return item
