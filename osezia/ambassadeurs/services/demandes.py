"""Company requests: validation, routing (`routage.py`), statuses, handing over, the first
contact deadline (reminder at day 3, reassignment at day 6, in French working days).

Every write spanning tables is one transaction; the ambassadors a request may go to are locked
(`select_for_update`) while it is routed."""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from osezia.comptes.services import notify_operators, send_email_later, site_url
from osezia.entreprises.identifiants import InvalidIdentifier, parse_siren_or_siret
from osezia.referentiels.models import Naf
from osezia.referentiels.naf import normalize_code
from osezia.socle.regles import MAX_EFFECTIF, MESSAGE, forbidden_characters

from .. import jours_ouvres, permissions, routage
from ..models import (
    MAX_MESSAGE,
    OPEN_STATUSES,
    Ambassadeur,
    Attribution,
    Demande,
    HistoriqueStatut,
    RaisonFin,
    SourceDemande,
    StatutDemande,
)
from . import routage_db

S = StatutDemande

# What the assigned ambassador may set, from each status.
TRANSITIONS = {
    S.ASSIGNEE: (S.PRISE_EN_CHARGE, S.INJOIGNABLE, S.PAS_POUR_MOI),
    S.PRISE_EN_CHARGE: (S.ACCOMPAGNEE, S.SANS_SUITE, S.INJOIGNABLE, S.PAS_POUR_MOI),
}
FIRST_CONTACT = (S.PRISE_EN_CHARGE, S.INJOIGNABLE)
MAX_MOTIF = 500
REQUESTS_PER_HOUR = 10  # requests one person (or address) may send, page and API together
MIN_MOTIF = 5


class DemandeError(ValidationError):
    """A refused action on a request (French message)."""


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


# Validation ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestData:
    naf: str
    departement: str
    region: str
    email: str
    message: str = ""
    effectif: int | None = None
    siret: str = ""


def _text(value, field: str, errors: dict, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[field] = "doit être une chaîne de caractères."
        return ""
    value = value.strip()
    if required and not value:
        errors[field] = "ce champ est obligatoire."
    return value


def validate_request(data: dict) -> RequestData:
    """The fields of a request (a form, the API's body, a line of `import_demandes`), or
    ValidationError with a French message per field."""
    if not isinstance(data, dict):
        raise ValidationError("Une demande est un objet JSON (naf, departement, email…).")
    errors: dict[str, str] = {}
    naf = normalize_code(_text(data.get("naf"), "naf", errors, required=True))
    if "naf" not in errors and not Naf.objects.filter(pk=naf).exists():
        errors["naf"] = f"code NAF inconnu : « {naf[:20]} » (par exemple 10.71C)."
    departement = _text(data.get("departement"), "departement", errors, required=True).upper()
    region = None
    if "departement" not in errors:
        region = routage_db.region_of(departement)
        if region is None:
            errors["departement"] = (
                f"département inconnu : « {departement[:10]} » (code INSEE, par exemple 35, 2A "
                "ou 971)."
            )
    email = _text(data.get("email"), "email", errors, required=True)
    if "email" not in errors:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = "adresse électronique invalide."
    message = data.get("message", "")
    if not isinstance(message, str):
        errors["message"] = "doit être une chaîne de caractères."
    elif forbidden_characters(message, multiline=True):
        errors["message"] = MESSAGE
    else:
        message = message.strip()
        if len(message) > MAX_MESSAGE:
            errors["message"] = (
                f"ne doit pas dépasser {MAX_MESSAGE} caractères ({len(message)} reçus)."
            )
    effectif = data.get("effectif")
    if effectif is not None and (isinstance(effectif, bool) or not isinstance(effectif, int)):
        errors["effectif"] = "doit être un nombre entier."
    elif effectif is not None and not 0 <= effectif <= MAX_EFFECTIF:
        errors["effectif"] = f"doit aller de 0 à {MAX_EFFECTIF}."
    siret = data.get("siret") or ""
    if siret:
        if not isinstance(siret, str):
            errors["siret"] = "doit être une chaîne de caractères."
        else:
            try:
                parsed = parse_siren_or_siret(siret)
            except InvalidIdentifier as exc:
                errors["siret"] = str(exc)
            else:
                if parsed.siret is None:
                    errors["siret"] = "indiquez le SIRET de l'établissement (14 chiffres)."
                else:
                    siret = parsed.siret
    if errors:
        raise ValidationError(errors)
    return RequestData(naf, departement, region, email, message, effectif, siret or "")


# Routing and assignment --------------------------------------------------------------------


def _cible(demande: Demande) -> routage.Cible:
    return routage.Cible(demande.region_id, routage_db.chain(demande.naf_id))


def _history(demande, avant, apres, now, par=None, motif="", ambassadeur=None):
    HistoriqueStatut.objects.create(
        demande=demande,
        avant=avant or "",
        apres=apres,
        ambassadeur=ambassadeur if ambassadeur is not None else demande.ambassadeur,
        par=par,
        motif=motif[:MAX_MOTIF],
        le=now,
    )


def _request_url(demande: Demande) -> str:
    return site_url(reverse("ambassadeurs:demande", args=[demande.pk]))


def _tell_company(demande: Demande, subject: str, body: str) -> None:
    send_email_later(
        subject, body + f"\n\nSuivre votre demande : {_request_url(demande)}\n", [demande.email]
    )


def _assign(demande: Demande, ambassador_pk: int, choix, now, par=None, motif=None) -> None:
    """Give the request to an ambassador: a new turn, its deadline, the e-mails."""
    ambassador = Ambassadeur.objects.get(pk=ambassador_pk)
    deadline = jours_ouvres.deadline(timezone.localdate(now))
    reason = motif if motif is not None else choix.motif
    Attribution.objects.create(
        demande=demande,
        ambassadeur=ambassador,
        rang=choix.rang if choix else None,
        motif=reason,
        debut=now,
        echeance=deadline,
    )
    avant = demande.statut if demande.historique.exists() else ""
    demande.ambassadeur = ambassador
    demande.statut = S.ASSIGNEE
    demande.rang = choix.rang if choix else None
    demande.motif_routage = reason
    demande.tous_complets = bool(choix and choix.tous_complets)
    demande.assignee_le = now
    demande.echeance_premier_contact = deadline
    demande.relance_le = None
    demande.premier_contact_le = None
    demande.dans_les_temps = None
    demande.save()
    _history(demande, avant, S.ASSIGNEE, now, par, reason)
    send_email_later(
        "Une entreprise demande à être accompagnée",
        f"Bonjour {ambassador.prenom},\n\nUne entreprise (NAF {demande.naf_id}, département "
        f"{demande.departement_id}) vous a été confiée. Prenez un premier contact au plus tard le "
        f"{deadline:%d/%m/%Y} ({jours_ouvres.DELAI_PREMIER_CONTACT} jours ouvrés) : sans "
        "nouvelle de votre part, elle sera confiée à un autre ambassadeur.\n\n"
        f"La demande : {_request_url(demande)}\n",
        [ambassador.email],
    )
    _tell_company(
        demande,
        "Votre demande d'accompagnement a un ambassadeur",
        f"Bonjour,\n\nVotre demande est confiée à {ambassador.nom_complet} "
        f"({ambassador.get_reseau_display()}), qui vous contactera au plus tard le "
        f"{deadline:%d/%m/%Y}.",
    )
    if choix and choix.tous_complets:
        notify_operators(
            "Ambassadeurs complets",
            f"La demande n° {demande.pk} est confiée à {ambassador.nom_complet} alors que tous "
            f"les ambassadeurs qui couvrent l'entreprise sont complets.\n\n{choix.motif}\n",
        )


def _leave_waiting(demande: Demande, now, reason: str, par=None) -> None:
    avant = demande.statut if demande.historique.exists() else ""
    demande.ambassadeur = None
    demande.statut = S.EN_ATTENTE
    demande.rang = None
    demande.motif_routage = reason
    demande.assignee_le = None
    demande.echeance_premier_contact = None
    demande.save()
    _history(demande, avant, S.EN_ATTENTE, now, par, reason, ambassadeur=None)
    notify_operators(
        "Demande d'accompagnement sans ambassadeur",
        f"La demande n° {demande.pk} (NAF {demande.naf_id}, région {demande.region_id}) n'a "
        f"pas d'ambassadeur : {reason}\n",
    )


def _previous(demande: Demande) -> list[str]:
    return list(demande.attributions.values_list("ambassadeur__id_externe", flat=True))


def _route(demande: Demande, now, exclus=(), par=None) -> bool:
    """Route (or reroute) the request; False when nobody (left) covers it."""
    pk, choix = routage_db.choose(_cible(demande), exclus=exclus, lock=True)
    if pk is None:
        return False
    _assign(demande, pk, choix, now, par)
    return True


NO_AMBASSADOR = (
    "Aucun ambassadeur actif ne couvre la région et le secteur de l'entreprise : les "
    "opérateurs sont prévenus."
)


@transaction.atomic
def create_request(
    data: dict,
    source: str = SourceDemande.API,
    entreprise=None,
    demandeur=None,
    now: datetime | None = None,
) -> Demande:
    """Validate, store and route a request in one transaction."""
    now = _now(now)
    clean = validate_request(data)
    demande = Demande.objects.create(
        entreprise=entreprise,
        demandeur=demandeur if demandeur is not None and demandeur.is_authenticated else None,
        siret=clean.siret,
        naf_id=clean.naf,
        departement_id=clean.departement,
        region_id=clean.region,
        effectif=clean.effectif,
        message=clean.message,
        email=clean.email,
        source=source,
        statut=S.EN_ATTENTE,
        cree_le=now,
    )
    if not _route(demande, now):
        _leave_waiting(demande, now, NO_AMBASSADOR)
    return demande


def answer(demande: Demande) -> dict:
    """The API's 201 answer (and `import_demandes`' item) for a request."""
    ambassador = demande.ambassadeur
    return {
        "id": demande.pk,
        "ambassadeur": None
        if ambassador is None
        else {
            "id_externe": ambassador.id_externe,
            "type_ambassadeur": ambassador.type_ambassadeur,
            "reseau": ambassador.reseau,
        },
        "statut": demande.statut,
        "echeance_premier_contact": demande.echeance_premier_contact.isoformat()
        if demande.echeance_premier_contact
        else None,
    }


def would_route(naf: str, region: str):
    """The ambassador a request of this company would go to now (no write, no lock), for
    the diagnostic's results: (Ambassadeur, Choix) or (None, None)."""
    pk, choix = routage_db.choose(routage.Cible(region, routage_db.chain(naf)))
    if pk is None:
        return None, None
    return Ambassadeur.objects.get(pk=pk), choix


# Statuses and handing over ------------------------------------------------------------------


def _lock(demande: Demande) -> Demande:
    return (
        Demande.objects.select_for_update(of=("self",))
        .select_related("ambassadeur")
        .get(pk=demande.pk)
    )


def _close_turn(demande: Demande, now, raison: str, commentaire: str = "") -> None:
    demande.attributions.filter(fin__isnull=True).update(
        fin=now, raison_fin=raison, commentaire_fin=commentaire[:MAX_MOTIF]
    )


def _motif(motif: str, required: bool) -> str:
    motif = (motif or "").strip()
    if forbidden_characters(motif, multiline=True):
        raise DemandeError({"motif": MESSAGE})
    if required and len(motif) < MIN_MOTIF:
        raise DemandeError({"motif": "Indiquez la raison (quelques mots)."})
    if len(motif) > MAX_MOTIF:
        raise DemandeError({"motif": f"La raison ne doit pas dépasser {MAX_MOTIF} caractères."})
    return motif


@transaction.atomic
def change_status(demande: Demande, user, statut: str, motif: str = "", now=None) -> Demande:
    """The assigned ambassador (or an operator) moves the request on; « pas pour moi »
    reroutes it to the next ambassador (never to one who already had it)."""
    now = _now(now)
    demande = _lock(demande)
    if not permissions.can_act_on(user, demande):
        raise DemandeError("Seul l'ambassadeur à qui la demande est confiée peut la faire avancer.")
    allowed = TRANSITIONS.get(demande.statut, ())
    if statut not in allowed:
        raise DemandeError(
            {
                "statut": f"Passer de « {S(demande.statut).label} » à "
                f"« {S(statut).label if statut in S.values else statut} » n'est pas possible."
            }
        )
    motif = _motif(motif, required=statut == S.PAS_POUR_MOI)
    avant = demande.statut
    demande.statut = statut
    if statut in FIRST_CONTACT and demande.premier_contact_le is None:
        demande.premier_contact_le = now
        demande.dans_les_temps = timezone.localdate(now) <= demande.echeance_premier_contact
    if statut in (S.ACCOMPAGNEE, S.SANS_SUITE, S.INJOIGNABLE):
        demande.cloturee_le = now
    demande.save()
    _history(demande, avant, statut, now, user, motif)
    if statut == S.PAS_POUR_MOI:
        _close_turn(demande, now, RaisonFin.PAS_POUR_MOI, motif)
        if not _route(demande, now, exclus=_previous(demande), par=user):
            _leave_waiting(demande, now, "Aucun autre ambassadeur ne couvre l'entreprise.", user)
    return demande


@transaction.atomic
def hand_over(demande: Demande, user, target: Ambassadeur, motif: str, now=None) -> Demande:
    """The assigned ambassador hands the request over to another active one, with a reason."""
    now = _now(now)
    demande = _lock(demande)
    if not permissions.can_act_on(user, demande):
        raise DemandeError("Seul l'ambassadeur à qui la demande est confiée peut la transmettre.")
    if demande.statut not in OPEN_STATUSES:
        raise DemandeError("Seule une demande en cours peut être transmise.")
    motif = _motif(motif, required=True)
    target = Ambassadeur.objects.select_for_update().get(pk=target.pk)
    if target.statut != Ambassadeur.Statut.ACTIF or target.pk == demande.ambassadeur_id:
        raise DemandeError({"ambassadeur": "Choisissez un autre ambassadeur actif."})
    previous = demande.ambassadeur
    _close_turn(demande, now, RaisonFin.TRANSFERT, motif)
    _assign(
        demande,
        target.pk,
        None,
        now,
        par=user,
        motif=f"Transmise par {previous.nom_complet} : {motif}",
    )
    return demande


# Deadlines ------------------------------------------------------------------------------------


@dataclass
class DeadlineReport:
    relances: int = 0
    reattributions: int = 0
    sans_remplacant: int = 0


def _remind(demande: Demande, now) -> None:
    ambassador = demande.ambassadeur
    demande.relance_le = now
    demande.save(update_fields=["relance_le"])
    _history(
        demande,
        S.ASSIGNEE,
        S.ASSIGNEE,
        now,
        motif="Relance : pas de premier contact au 3e jour ouvré.",
    )
    send_email_later(
        "Rappel : une entreprise attend votre premier contact",
        f"Bonjour {ambassador.prenom},\n\nLa demande n° {demande.pk} attend votre premier "
        f"contact, au plus tard le {demande.echeance_premier_contact:%d/%m/%Y}. Sans nouvelle "
        f"de votre part, elle sera confiée à un autre ambassadeur.\n\n{_request_url(demande)}\n",
        [ambassador.email],
    )
    _tell_company(
        demande,
        "Votre demande d'accompagnement : un rappel envoyé à votre ambassadeur",
        f"Bonjour,\n\n{ambassador.nom_complet} n'a pas encore pris contact avec vous : nous "
        "venons de lui envoyer un rappel. Le premier contact doit avoir lieu au plus tard le "
        f"{demande.echeance_premier_contact:%d/%m/%Y} ; passé ce délai, votre demande sera "
        "confiée à un autre ambassadeur.",
    )


def _reassign(demande: Demande, now, report: DeadlineReport) -> None:
    previous = demande.ambassadeur
    exclus = _previous(demande)
    pk, choix = routage_db.choose(_cible(demande), exclus=exclus, lock=True)
    if pk is None:
        # Nobody else covers the company: the current ambassador keeps it with a new deadline
        # (the next reminder and warning come after as many working days), operators are told.
        report.sans_remplacant += 1
        demande.assignee_le = now
        demande.echeance_premier_contact = jours_ouvres.deadline(timezone.localdate(now))
        demande.relance_le = None
        demande.save()
        notify_operators(
            "Demande d'accompagnement en retard sans autre ambassadeur",
            f"La demande n° {demande.pk} n'a pas eu de premier contact de {previous.nom_complet} "
            "dans le délai et aucun autre ambassadeur ne couvre l'entreprise.\n",
        )
        return
    _close_turn(demande, now, RaisonFin.DELAI)
    _assign(
        demande,
        pk,
        choix,
        now,
        motif=f"Réattribuée faute de premier contact de {previous.nom_complet} en {jours_ouvres.DELAI_PREMIER_CONTACT} jours ouvrés. {choix.motif}",
    )
    report.reattributions += 1


def check_deadlines(now: datetime | None = None) -> DeadlineReport:
    """Remind at day 3 and reassign at day 6 (working days after the assignment) the requests
    still waiting for a first contact; the company is told each time. Each request is handled
    in its own transaction, locked, so that two runs at once act once."""
    now = _now(now)
    today = timezone.localdate(now)
    report = DeadlineReport()
    waiting = Demande.objects.filter(statut=S.ASSIGNEE, assignee_le__lt=now).values_list(
        "pk", flat=True
    )
    for pk in list(waiting):
        with transaction.atomic():
            demande = (
                Demande.objects.select_for_update(of=("self",))
                .select_related("ambassadeur")
                .get(pk=pk)
            )
            if demande.statut != S.ASSIGNEE:
                continue
            elapsed = jours_ouvres.working_days_between(
                timezone.localdate(demande.assignee_le), today
            )
            if elapsed >= jours_ouvres.JOUR_REATTRIBUTION:
                _reassign(demande, now, report)
            elif elapsed >= jours_ouvres.JOUR_RELANCE and demande.relance_le is None:
                _remind(demande, now)
                report.relances += 1
    return report
