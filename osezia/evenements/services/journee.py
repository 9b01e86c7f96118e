"""The day of the event: check-in by code, no-shows, feedback; the observatory's figures."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from osezia.referentiels import codes
from osezia.socle.regles import MESSAGE, forbidden_characters

from ..models import MAX_MESSAGE, Evenement, Inscription, RendezVous, Retour


def _code(valeur: str) -> str:
    """A typed or scanned code: the code itself, or the URL the QR code carries."""
    valeur = (valeur or "").strip()
    if "code=" in valeur:
        valeur = valeur.split("code=", 1)[1].split("&", 1)[0]
    return valeur.upper()[:32]


@transaction.atomic
def emarger(evenement: Evenement, code: str) -> Inscription:
    inscription = (
        Inscription.objects.select_for_update()
        .filter(evenement=evenement, code_emargement=_code(code))
        .first()
    )
    if inscription is None:
        raise ValidationError({"code": "Code inconnu pour cette rencontre."})
    if inscription.present_le is None:
        inscription.present_le = timezone.now()
        inscription.save(update_fields=["present_le"])
        RendezVous.objects.filter(
            Q(a=inscription) | Q(b=inscription), annule=False, tenu__isnull=True
        ).filter(Q(a__present_le__isnull=False) & Q(b__present_le__isnull=False)).update(tenu=True)
    return inscription


@transaction.atomic
def cloturer(evenement: Evenement) -> int:
    """End of the day: a meeting one side did not come to is a no-show (not held)."""
    sans = evenement.rendez_vous.filter(annule=False).filter(
        Q(a__present_le__isnull=True) | Q(b__present_le__isnull=True)
    )
    n = sans.update(tenu=False)
    evenement.rendez_vous.filter(annule=False, tenu__isnull=True).update(tenu=True)
    return n


@transaction.atomic
def donner_retour(
    rdv: RendezVous, auteur: Inscription, note: int, suite: str, commentaire: str = ""
) -> Retour:
    if auteur.pk not in (rdv.a_id, rdv.b_id) or rdv.annule:
        raise ValidationError("Ce rendez-vous n'est pas le vôtre.")
    if rdv.creneau.debut > timezone.now():
        raise ValidationError("Le retour se donne après le rendez-vous.")
    erreurs = {}
    if not isinstance(note, int) or not 1 <= note <= 5:
        erreurs["note"] = "Une note de 1 à 5."
    if not codes.is_code("suite_rendez_vous", suite):
        erreurs["suite"] = (
            f"Suite inconnue ; valeurs possibles : {codes.phrase('suite_rendez_vous')}."
        )
    if forbidden_characters(commentaire):
        erreurs["commentaire"] = MESSAGE
    elif len(commentaire) > MAX_MESSAGE:
        erreurs["commentaire"] = f"{MAX_MESSAGE} caractères au plus."
    if erreurs:
        raise ValidationError(erreurs)
    retour, _ = Retour.objects.update_or_create(
        rendez_vous=rdv,
        auteur=auteur,
        defaults={"note": note, "suite": suite, "commentaire": commentaire.strip()},
    )
    return retour


def observatory_figures() -> dict:
    """Meetings held and their follow-ups, for the observatory."""
    suites = dict(
        Retour.objects.values_list("suite").annotate(n=Count("pk")).values_list("suite", "n")
    )
    return {
        "rencontres": Evenement.objects.filter(date__lt=timezone.localdate()).count(),
        "rendez_vous_tenus": RendezVous.objects.filter(tenu=True).count(),
        "retours": sum(suites.values()),
        "suites": {code: suites.get(code, 0) for code in codes.codes("suite_rendez_vous")},
    }
