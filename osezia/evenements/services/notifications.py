"""E-mails to participants (sent by the worker after the commit)."""

from django.conf import settings

from osezia.comptes.services import send_email_later

from ..models import Evenement, Inscription


def _adresses(ids) -> list[str]:
    return list(Inscription.objects.filter(pk__in=ids).values_list("utilisateur__email", flat=True))


def _lien(evenement: Evenement) -> str:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return f"{base}/rencontres/{evenement.pk}/agenda/"


def agenda_publie(evenement: Evenement) -> None:
    send_email_later(
        f"Votre agenda de la rencontre « {evenement.titre} »",
        f"Bonjour,\n\nVotre agenda de rendez-vous pour « {evenement.titre} » du "
        f"{evenement.date:%d/%m/%Y} est publié : {_lien(evenement)}\n\nVous pouvez le "
        "télécharger en PDF ou l'ajouter à votre agenda (fichier .ics).\n\n"
        "L'équipe Osez l'IA",
        _adresses(evenement.inscriptions.values_list("pk", flat=True)),
    )


def agenda_modifie(evenement: Evenement, ids) -> None:
    send_email_later(
        f"Votre agenda de la rencontre « {evenement.titre} » a changé",
        f"Bonjour,\n\nUn ou plusieurs de vos rendez-vous pour « {evenement.titre} » ont "
        f"changé : {_lien(evenement)}\n\nL'équipe Osez l'IA",
        _adresses(ids),
    )
