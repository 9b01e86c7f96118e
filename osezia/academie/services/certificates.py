"""Certificates: their verification codes and how a code is found back (public check, PDF)."""

import re
from dataclasses import dataclass
from datetime import date

from ..models import (
    Inscription,
    SuiviParcours,
    random_code,
)


def new_code() -> str:
    return random_code(3)


@dataclass
class Attestation:
    code: str
    nom: str
    intitule: str
    nature: str  # formation, tutoriel, parcours
    organisme: str
    termine_le: object
    duree_heures: int | None
    debut: date | None = None
    fin: date | None = None
    proprietaire_id: int | None = None
    managers: tuple = ()


def holder_name(person) -> str:
    """The name a certificate bears; never the e-mail address, which the public check shows."""
    return f"{person.first_name} {person.last_name}".strip() or "Titulaire (nom non renseigné)"


# What people type between the groups of a code: spaces (any kind), dashes of any length,
# dots, underscores, slashes.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212._/]+")


def normalize_code(code: str) -> str:
    """A code as typed (« abcd efgh jklm », « ABCD–EFGH–JKLM », « abcdefghjklm ») in its own
    format « ABCD-EFGH-JKLM »; anything else is returned upper-cased, to be found nowhere."""
    compact = _SEPARATORS.sub("", code or "").upper()
    if len(compact) == 12 and compact.isalnum():
        return f"{compact[:4]}-{compact[4:8]}-{compact[8:]}"
    return compact


def find_attestation(code: str) -> Attestation | None:
    code = normalize_code(code)
    inscription = (
        Inscription.objects.filter(code_verification=code, statut=Inscription.Statut.TERMINEE)
        .select_related("apprenant", "session__action__formation__organisme", "tutoriel")
        .first()
    )
    if inscription:
        person = inscription.apprenant
        name = holder_name(person)
        if inscription.session_id:
            action = inscription.session.action
            return Attestation(
                code,
                name,
                action.formation.intitule,
                "formation",
                action.formation.organisme.nom,
                inscription.termine_le,
                action.duree_heures,
                inscription.session.debut,
                inscription.session.fin,
                person.pk,
                (action.formation.organisme_id,),
            )
        return Attestation(
            code,
            name,
            inscription.tutoriel.titre,
            "tutoriel",
            "Académie de l'IA",
            inscription.termine_le,
            None,
            proprietaire_id=person.pk,
        )
    suivi = (
        SuiviParcours.objects.filter(code_verification=code, termine_le__isnull=False)
        .select_related("apprenant", "parcours")
        .first()
    )
    if suivi:
        person = suivi.apprenant
        name = holder_name(person)
        return Attestation(
            code,
            name,
            suivi.parcours.titre,
            "parcours",
            "Académie de l'IA",
            suivi.termine_le,
            None,
            proprietaire_id=person.pk,
        )
    return None
