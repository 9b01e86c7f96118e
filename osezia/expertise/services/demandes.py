"""A company's Diagnostic Data IA file: the request (eligibility, prefill from the latest
self-diagnostic with the company's consent, one open file per company), every move of the
transition table of `etats.py`, recorded with who, when, from, to and why.

Every write is one transaction; the file is locked (`select_for_update`) while it moves."""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from osezia.comptes.services import notify_operators, send_email_later, site_url
from osezia.diagnostics.services import history
from osezia.entreprises.permissions import is_member
from osezia.referentiels import codes
from osezia.socle import plan
from osezia.socle.regles import forbidden_characters

from .. import etats, permissions
from ..models import MAX_TEXTE, Demande, Devis, Transition

REQUESTS_PER_DAY = 5  # requests one person may send, page and API together
MIN_BESOINS = 20
ONE_OPEN = "Votre entreprise a déjà une demande de Diagnostic Data IA en cours : suivez-la depuis « Mon espace »."


class ExpertiseError(ValidationError):
    """A refused action on a file (French message)."""


class Interdit(PermissionDenied):
    """A visible file, a move the person's parties may not make (403)."""


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


# Eligibility ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Eligibilite:
    eligible: bool
    raison: str
    # What else the company can do, as (words, URL name) of the pages that offer it.
    alternatives: tuple[tuple[str, str], ...] = ()


ALTERNATIVES = (
    ("Faire l'autodiagnostic IA de votre entreprise, gratuit et en ligne", "diagnostics:demarrer"),
    ("Être accompagné par un ambassadeur IA de votre région", "ambassadeurs:demander"),
    ("Trouver une solution prête à déployer dans le catalogue", "catalogue:liste"),
)


def eligibility(entreprise) -> Eligibilite:
    size = entreprise.categorie_taille
    sizes = " et ".join(plan.DIAGNOSTIC_DATA_IA_SIZES)
    if plan.diagnostic_data_ia_eligible(size):
        return Eligibilite(
            True,
            f"{entreprise.denomination} est une {size} : le Diagnostic Data IA lui est ouvert, "
            f"l'État en finance {plan.DIAGNOSTIC_DATA_IA_STATE_SHARE_PCT} % du coût hors taxes.",
        )
    label = codes.label("taille", size)
    why = (
        "une très petite entreprise a d'autres accompagnements, plus légers"
        if size == "TPE"
        else "une grande entreprise finance elle-même ses diagnostics"
    )
    return Eligibilite(
        False,
        f"Le Diagnostic Data IA est réservé aux {sizes} (décret n° 2008-1354) ; "
        f"{entreprise.denomination} est classée « {label} » : {why}.",
        ALTERNATIVES,
    )


def latest_diagnostic(entreprise):
    return history(entreprise).first()


def open_request(entreprise) -> Demande | None:
    return Demande.objects.filter(entreprise=entreprise, statut__in=etats.OUVERTS).first()


# The request --------------------------------------------------------------------------------


def _text(value, field: str, errors: dict, minimum: int = 0) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[field] = "doit être une chaîne de caractères."
        return ""
    value = value.strip()
    if forbidden_characters(value, multiline=True):
        errors[field] = "contient des caractères interdits (caractères de contrôle)."
    elif len(value) > MAX_TEXTE:
        errors[field] = f"ne doit pas dépasser {MAX_TEXTE} caractères ({len(value)} reçus)."
    elif len(value) < minimum:
        errors[field] = (
            f"décrivez vos besoins en quelques phrases ({minimum} caractères au moins)."
            if value
            else "ce champ est obligatoire."
        )
    return value


def _record(demande, de, vers, user, partie, now, motif="", commentaire="") -> Transition:
    return Transition.objects.create(
        demande=demande,
        de=de,
        vers=vers,
        par=user,
        partie=partie,
        motif=motif,
        commentaire=commentaire,
        le=now,
    )


def create_request(user, entreprise, data: dict, now: datetime | None = None) -> Demande:
    """A member of the company asks for a Diagnostic Data IA (`besoins`, `contraintes`,
    `partage_autodiagnostic`). Raises ExpertiseError (French) when refused."""
    now = _now(now)
    if not is_member(user, entreprise):
        raise Interdit("Seul un membre de l'entreprise peut demander son Diagnostic Data IA.")
    found = eligibility(entreprise)
    if not found.eligible:
        raise ExpertiseError({"entreprise": found.raison})
    errors: dict[str, str] = {}
    besoins = _text(data.get("besoins"), "besoins", errors, MIN_BESOINS)
    contraintes = _text(data.get("contraintes"), "contraintes", errors)
    partage = data.get("partage_autodiagnostic", False)
    if not isinstance(partage, bool):
        errors["partage_autodiagnostic"] = "doit valoir vrai ou faux."
    if errors:
        raise ExpertiseError(errors)
    diagnostic = latest_diagnostic(entreprise) if partage else None
    try:
        with transaction.atomic():
            demande = Demande.objects.create(
                entreprise=entreprise,
                demandeur=user,
                region_id=entreprise.region_id,
                besoins=besoins,
                contraintes=contraintes,
                diagnostic=diagnostic,
                partage_consenti=bool(partage and diagnostic),
            )
            _record(demande, "", etats.DEMANDEE, user, etats.ENTREPRISE, now)
    except IntegrityError as exc:
        raise ExpertiseError({"entreprise": ONE_OPEN}) from exc
    notify_operators(
        "Nouvelle demande de Diagnostic Data IA",
        f"{entreprise.denomination} ({entreprise.categorie_taille}, {entreprise.region}) demande un "
        f"Diagnostic Data IA : {site_url(reverse('expertise:demande', args=[demande.pk]))}",
    )
    return demande


# Moves ----------------------------------------------------------------------------------------


def lock(demande: Demande) -> Demande:
    return (
        Demande.objects.select_for_update(of=("self",))
        .select_related("entreprise", "expert__utilisateur")
        .get(pk=demande.pk)
    )


def check_move(
    demande: Demande, user, vers: str, motif: str, commentaire: str, partie: str | None = None
) -> str:
    """The party the move is made as, or ExpertiseError / Interdit (French)."""
    found = etats.transition(demande.statut, vers)
    if found is None:
        raise ExpertiseError(
            {
                "statut": f"Un dossier « {demande.libelle_statut} » ne peut pas passer à « {etats.LIBELLES.get(vers, vers)} »."
            }
        )
    parties = {partie} if partie == etats.SYSTEME else permissions.parties_of(user, demande)
    allowed = found.parties & parties
    if not allowed:
        who = ", ".join(etats.PARTIES[p] for p in sorted(found.parties) if p != etats.SYSTEME)
        raise Interdit(f"Seul {who} peut faire cette action (« {found.action} »).")
    if found.motif and not codes.is_code(found.motif, motif):
        raise ExpertiseError(
            {
                "motif": "Choisissez un motif parmi : "
                + ", ".join(codes.labels(found.motif).values())
                + "."
            }
        )
    errors: dict[str, str] = {}
    text = _text(commentaire, "commentaire", errors, 5 if found.commentaire else 0)
    if errors:
        raise ExpertiseError(errors)
    del text
    for p in (etats.OPERATEUR, etats.EXPERT, etats.ENTREPRISE, etats.SYSTEME):
        if p in allowed:
            return p
    raise AssertionError


def apply_move(
    demande: Demande, user, vers: str, partie: str, now, motif="", commentaire=""
) -> Demande:
    """Record the move (inside the caller's transaction, the file locked)."""
    de = demande.statut
    demande.statut = vers
    demande.motif = motif
    demande.save()
    _record(demande, de, vers, user, partie, now, motif, (commentaire or "").strip())
    return demande


def move(
    demande: Demande, user, vers: str, motif: str = "", commentaire: str = "", now=None
) -> Demande:
    """Any move of the table that needs nothing else than a reason (see `etats.py`): the
    moves with their own service (assigning, accepting the quote, declining) refuse here."""
    from . import devis as devis_service
    from . import rapports

    now = _now(now)
    if vers in (etats.EXPERT_ASSIGNE, etats.DEVIS_ACCEPTE):
        raise ExpertiseError(
            {
                "statut": "Cette étape se fait par sa propre action (désigner l'expert, accepter le devis)."
            }
        )
    with transaction.atomic():
        demande = lock(demande)
        partie = check_move(demande, user, vers, motif, commentaire)
        de = demande.statut
        if de == etats.EXPERT_ASSIGNE and vers == etats.ELIGIBLE:
            demande.expert = None
            demande.assigne_le = demande.echeance_acceptation = demande.accepte_le = None
            demande.relance_le = None
            demande.attente_enveloppe_depuis = None
            Devis.objects.filter(demande=demande).delete()  # the next expert quotes afresh
        if vers == etats.EN_COURS:
            rapports.ensure_report(demande, modifications=de == etats.RAPPORT_REMIS)
        if vers == etats.RAPPORT_REMIS:
            rapports.hand_over(demande, now)
        if vers == etats.VALIDE:
            rapports.validate(demande, now)
        freed = None
        if vers == etats.ANNULEE:
            freed = devis_service.release(demande)
        apply_move(demande, user, vers, partie, now, motif, commentaire)
        if freed:
            devis_service.serve_queue(*freed, now=now)
    _tell(demande, vers, commentaire)
    return demande


def _tell(demande: Demande, vers: str, commentaire: str) -> None:
    url = site_url(reverse("expertise:demande", args=[demande.pk]))
    members = list(demande.entreprise.adhesions.values_list("utilisateur__email", flat=True))
    expert = [demande.expert.utilisateur.email] if demande.expert_id else []
    subject = f"Diagnostic Data IA n° {demande.pk} : {etats.LIBELLES[vers].lower()}"
    body = f"Le dossier de {demande.entreprise.denomination} est maintenant « {etats.LIBELLES[vers]} ».\n"
    if commentaire:
        body += f"\nCommentaire : {commentaire}\n"
    send_email_later(subject, body + f"\nSuivre le dossier : {url}", members + expert)


def timeline(demande: Demande):
    return demande.transitions.select_related("par").order_by("le", "pk")
