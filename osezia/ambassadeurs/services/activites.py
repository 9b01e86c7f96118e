"""The ambassador's activity log and the public page's contact form."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from osezia.comptes.services import send_email_later
from osezia.socle.ratelimit import consume
from osezia.socle.regles import MESSAGE, forbidden_characters

from ..models import MAX_MESSAGE, Activite, Ambassadeur, MessageAmbassadeur

CONTACTS_PER_HOUR = 5
CONTACTS_PER_AMBASSADOR_PER_DAY = 30


def _text(
    data: dict, name: str, label: str, limit: int, errors: dict, multiline=False, required=True
):
    value = data.get(name) or ""
    if not isinstance(value, str):
        errors[name] = f"{label} : doit être un texte."
        return ""
    value = value.strip()
    if forbidden_characters(value, multiline=multiline):
        errors[name] = MESSAGE
    elif required and not value:
        errors[name] = f"{label} : ce champ est obligatoire."
    elif len(value) > limit:
        errors[name] = f"{label} : {limit} caractères au plus."
    return value


@transaction.atomic
def log_activity(ambassador: Ambassadeur, data: dict) -> Activite:
    errors: dict[str, str] = {}
    kind = data.get("type_activite")
    if kind not in Activite.Type.values:
        errors["type_activite"] = "Choisissez le type d'activité."
    titre = _text(data, "titre", "Titre", 200, errors)
    lieu = _text(data, "lieu", "Lieu", 200, errors)
    description = _text(data, "description", "Description", MAX_MESSAGE, errors, True, False)
    day = data.get("date")
    if not isinstance(day, date):
        errors["date"] = "Indiquez la date (JJ/MM/AAAA)."
    participants = data.get("participants")
    if not isinstance(participants, int) or not 1 <= participants <= 100_000:
        errors["participants"] = "Un nombre de 1 à 100 000."
    if errors:
        raise ValidationError(errors)
    return Activite.objects.create(
        ambassadeur=ambassador,
        type_activite=kind,
        titre=titre,
        date=day,
        lieu=lieu,
        participants=participants,
        description=description,
    )


@transaction.atomic
def contact(ambassador: Ambassadeur, data: dict, sender_key: str) -> MessageAmbassadeur:
    """A visitor writes to an ambassador from the public page: stored, sent on by e-mail (the
    ambassador's address is never shown). Rate-limited per sender and per ambassador."""
    errors: dict[str, str] = {}
    nom = _text(data, "nom", "Nom", 150, errors)
    email = _text(data, "email", "Adresse électronique", 254, errors)
    if "email" not in errors:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = "Adresse électronique invalide."
    message = _text(data, "message", "Message", MAX_MESSAGE, errors, multiline=True)
    if errors:
        raise ValidationError(errors)
    consume("ambassadeur-contact", sender_key, CONTACTS_PER_HOUR, 3600)
    consume("ambassadeur-contact-recu", str(ambassador.pk), CONTACTS_PER_AMBASSADOR_PER_DAY, 86400)
    stored = MessageAmbassadeur.objects.create(
        ambassadeur=ambassador, nom=nom, email=email, message=message
    )
    send_email_later(
        f"Message de {nom} depuis l'annuaire des ambassadeurs",
        f"Bonjour {ambassador.prenom},\n\n{nom} ({email}) vous écrit depuis votre page de "
        f"l'annuaire :\n\n{message}\n\nRépondez directement à {email}.\n",
        [ambassador.email],
    )
    return stored
