"""Events: creation with their slots, the public list, the organisers' rights."""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction

from osezia.comptes.models import Role
from osezia.referentiels import codes
from osezia.socle.regles import MESSAGE, forbidden_characters

from ..models import DUREES_RDV, MAX_CAPACITE, MAX_TABLES, Creneau, Evenement, TypeEvenement

PARIS = ZoneInfo("Europe/Paris")


@dataclass
class DonneesEvenement:
    titre: str
    type_evenement: str
    organisme: str
    date: date
    duree_rdv: int
    sessions: list[tuple[str, str]]
    tables: int
    ouverture_inscriptions: date
    cloture_inscriptions: date
    capacite: int = 100
    region: object = None
    lieu: str = ""
    en_ligne: bool = False
    salles: int = 1
    description: str = ""


def _heure(valeur: str, champ: str, erreurs: dict) -> time | None:
    try:
        return time.fromisoformat(valeur)
    except (TypeError, ValueError):
        erreurs[champ] = f"heure invalide « {valeur} » (format HH:MM attendu)."
        return None


def valider(d: DonneesEvenement) -> list[tuple[time, time]]:
    """The sessions as times; `ValidationError` (French, per field) on any defect."""
    erreurs: dict[str, str] = {}
    for champ, valeur, maximum in (("titre", d.titre, 200), ("lieu", d.lieu, 255)):
        if forbidden_characters(valeur):
            erreurs[champ] = MESSAGE
        elif len(valeur) > maximum:
            erreurs[champ] = f"{maximum} caractères au plus."
    if not d.titre.strip():
        erreurs["titre"] = "Le titre est obligatoire."
    if d.type_evenement not in TypeEvenement.values:
        erreurs["type_evenement"] = "Type d'événement inconnu."
    if not codes.is_code("organisateur_rencontre", d.organisme):
        erreurs["organisme"] = "Organisateur inconnu : CCI, Bpifrance ou le plan."
    if d.type_evenement == TypeEvenement.RENCONTRE and d.region is None:
        erreurs["region"] = "Une rencontre régionale a une région."
    if not d.en_ligne and not d.lieu.strip():
        erreurs["lieu"] = "Indiquez le lieu, ou cochez « en ligne »."
    if d.duree_rdv not in DUREES_RDV:
        erreurs["duree_rdv"] = "Un rendez-vous dure 15, 20 ou 30 minutes."
    if not 1 <= d.tables <= MAX_TABLES:
        erreurs["tables"] = f"Entre 1 et {MAX_TABLES} tables."
    if not 2 <= d.capacite <= MAX_CAPACITE:
        erreurs["capacite"] = f"Entre 2 et {MAX_CAPACITE} participants."
    if not 1 <= d.salles <= 50:
        erreurs["salles"] = "Entre 1 et 50 salles."
    if d.cloture_inscriptions < d.ouverture_inscriptions:
        erreurs["cloture_inscriptions"] = "La clôture suit l'ouverture des inscriptions."
    if d.cloture_inscriptions > d.date:
        erreurs["cloture_inscriptions"] = "Les inscriptions ferment au plus tard le jour même."
    sessions = []
    for n, (debut, fin) in enumerate(d.sessions, 1):
        h1, h2 = _heure(debut, "sessions", erreurs), _heure(fin, "sessions", erreurs)
        if h1 and h2:
            if h2 <= h1:
                erreurs["sessions"] = f"Session {n} : la fin doit suivre le début."
            elif sessions and h1 < sessions[-1][1]:
                erreurs["sessions"] = f"Session {n} : elle commence avant la fin de la précédente."
            else:
                sessions.append((h1, h2))
    if not sessions and "sessions" not in erreurs:
        erreurs["sessions"] = "Au moins une session (par exemple 09:00–12:00)."
    if erreurs:
        raise ValidationError(erreurs)
    if not creneaux_des_sessions(d.date, sessions, d.duree_rdv):
        raise ValidationError({"sessions": "Les sessions sont plus courtes qu'un rendez-vous."})
    return sessions


def creneaux_des_sessions(jour: date, sessions, duree: int) -> list[tuple[datetime, datetime]]:
    """Consecutive slots of `duree` minutes inside each session (the gaps are the breaks)."""
    creneaux = []
    for h1, h2 in sessions:
        debut = datetime.combine(jour, h1, tzinfo=PARIS)
        fin_session = datetime.combine(jour, h2, tzinfo=PARIS)
        while debut + timedelta(minutes=duree) <= fin_session:
            creneaux.append((debut, debut + timedelta(minutes=duree)))
            debut += timedelta(minutes=duree)
    return creneaux


@transaction.atomic
def creer_evenement(organisateur, d: DonneesEvenement) -> Evenement:
    if not peut_organiser(organisateur):
        raise ValidationError("Seuls les organisateurs habilités créent des rencontres.")
    sessions = valider(d)
    evenement = Evenement.objects.create(
        titre=d.titre.strip(),
        type_evenement=d.type_evenement,
        organisme=d.organisme,
        organisateur=organisateur,
        region=d.region,
        lieu=d.lieu.strip(),
        en_ligne=d.en_ligne,
        description=d.description.strip(),
        date=d.date,
        duree_rdv=d.duree_rdv,
        sessions=[[h1.strftime("%H:%M"), h2.strftime("%H:%M")] for h1, h2 in sessions],
        tables=d.tables,
        salles=d.salles,
        ouverture_inscriptions=d.ouverture_inscriptions,
        cloture_inscriptions=d.cloture_inscriptions,
        capacite=d.capacite,
    )
    Creneau.objects.bulk_create(
        Creneau(evenement=evenement, numero=k, debut=debut, fin=fin)
        for k, (debut, fin) in enumerate(creneaux_des_sessions(d.date, sessions, d.duree_rdv), 1)
    )
    return evenement


def peut_organiser(user) -> bool:
    from osezia.comptes.permissions import has_role, is_operator

    return has_role(user, Role.ORGANISATEUR) or is_operator(user)


def code_emargement() -> str:
    return secrets.token_hex(5).upper()


def evenements_publics(region: str = "", mois: str = ""):
    """Events from today on (or of a month « AAAA-MM »), optionally of one region; the AI
    Business Day, national, is listed under every region."""
    qs = Evenement.objects.select_related("region").order_by("date", "pk")
    if mois:
        annee, m = (int(x) for x in mois.split("-"))
        qs = qs.filter(date__year=annee, date__month=m)
    else:
        qs = qs.filter(date__gte=date.today())
    if region:
        from django.db.models import Q

        qs = qs.filter(Q(region_id=region) | Q(type_evenement=TypeEvenement.AI_BUSINESS_DAY))
    return qs
