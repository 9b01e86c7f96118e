"""Experts: their profile and accreditation, declared conflicts of interest, the ranked
suggestion for a file (`suggestion.py`), the operator's assignment, the expert's acceptance
within `DELAI_ACCEPTATION` French working days (a reminder at day `JOUR_RELANCE`, then the
file returns to the operators) and declining with a reason."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from osezia.comptes.services import grant_role, notify_operators, send_email_later, site_url
from osezia.entreprises.identifiants import InvalidIdentifier, parse_siren_or_siret
from osezia.referentiels import codes
from osezia.referentiels.models import Naf, Region
from osezia.socle import jours_ouvres
from osezia.socle.regles import forbidden_characters

from .. import devis as calcul
from .. import etats, suggestion
from ..models import MAX_CAPACITE_JOURS, MAX_TEXTE, ConflitInteret, Demande, Expert
from .demandes import ExpertiseError, Interdit, apply_move, check_move, lock

DELAI_ACCEPTATION = 5  # working days to accept a file
JOUR_RELANCE = 3
# Files an expert's days count against, this quarter.
ACTIFS = (etats.EXPERT_ASSIGNE, etats.DEVIS_ACCEPTE, etats.EN_COURS, etats.RAPPORT_REMIS)


def _now(now):
    return now or timezone.now()


# Profiles ------------------------------------------------------------------------------------


def validate_profile(data: dict) -> dict:
    errors: dict[str, str] = {}
    familles = list(dict.fromkeys(data.get("familles") or []))
    if not familles or not all(codes.is_code("famille", f) for f in familles):
        errors["familles"] = "choisissez au moins une famille de cas d'usage connue."
    naf = list(dict.fromkeys(data.get("naf") or []))
    known = set(Naf.objects.filter(code__in=naf).values_list("code", flat=True))
    if set(naf) - known:
        errors["naf"] = "code(s) NAF inconnu(s) : " + ", ".join(sorted(set(naf) - known)[:5]) + "."
    regions = list(dict.fromkeys(data.get("regions") or []))
    if set(regions) - set(Region.objects.filter(code__in=regions).values_list("code", flat=True)):
        errors["regions"] = "région inconnue."
    capacite = data.get("capacite_jours_trimestre")
    if (
        isinstance(capacite, bool)
        or not isinstance(capacite, int)
        or not 1 <= capacite <= MAX_CAPACITE_JOURS
    ):
        errors["capacite_jours_trimestre"] = f"de 1 à {MAX_CAPACITE_JOURS} jours par trimestre."
    taux = data.get("taux_journalier_ht_cents")
    if (
        isinstance(taux, bool)
        or not isinstance(taux, int)
        or not calcul.MIN_TAUX_EUR * 100 <= taux <= calcul.MAX_TAUX_EUR * 100
    ):
        errors["taux_journalier_ht_eur"] = (
            f"de {calcul.MIN_TAUX_EUR} à {calcul.MAX_TAUX_EUR} € hors taxes par jour."
        )
    siren = (data.get("siren") or "").strip()
    if siren:
        try:
            siren = parse_siren_or_siret(siren).siren
        except InvalidIdentifier:
            errors["siren"] = "SIREN invalide (9 chiffres)."
    texts = {}
    for name, limit in (("structure", 200), ("presentation", MAX_TEXTE)):
        value = (data.get(name) or "").strip()
        if forbidden_characters(value, multiline=name == "presentation") or len(value) > limit:
            errors[name] = f"{limit} caractères au plus, sans caractère de contrôle."
        texts[name] = value
    if errors:
        raise ExpertiseError(errors)
    return {
        "familles": familles,
        "naf": naf,
        "regions": regions,
        "capacite_jours_trimestre": capacite,
        "taux_journalier_ht_cents": taux,
        "siren": siren,
        **texts,
    }


@transaction.atomic
def save_profile(user, data: dict) -> Expert:
    """An expert's profile (a new one is an application the operators accredit)."""
    clean = validate_profile(data)
    regions = clean.pop("regions")
    expert, created = Expert.objects.update_or_create(utilisateur=user, defaults=clean)
    expert.regions.set(regions)
    if created:
        notify_operators(
            "Candidature d'expert Diagnostic Data IA",
            f"{user.get_full_name() or user.email} demande son accréditation : "
            f"{site_url(reverse('expertise:operateur'))}",
        )
    return expert


@transaction.atomic
def accredit(expert: Expert, operator, accredit: bool = True, now=None) -> Expert:
    expert = Expert.objects.select_for_update().get(pk=expert.pk)
    expert.statut = Expert.Statut.ACCREDITE if accredit else Expert.Statut.SUSPENDU
    expert.accredite_par = operator
    expert.accredite_le = _now(now)
    expert.save()
    if accredit:
        grant_role(expert.utilisateur, "EXPERT")
    return expert


def declare_conflict(expert: Expert, siren: str, motif: str) -> ConflitInteret:
    try:
        siren = parse_siren_or_siret(siren).siren
    except InvalidIdentifier as exc:
        raise ExpertiseError({"siren": "SIREN invalide (9 chiffres)."}) from exc
    motif = (motif or "").strip()
    if not 3 <= len(motif) <= 300 or forbidden_characters(motif):
        raise ExpertiseError({"motif": "dites en quelques mots le lien (300 caractères au plus)."})
    conflict, _ = ConflitInteret.objects.update_or_create(
        expert=expert, siren=siren, defaults={"motif": motif}
    )
    return conflict


# Suggestion ------------------------------------------------------------------------------------


def _quarter_start(now: datetime) -> datetime:
    day = timezone.localdate(now)
    month = 3 * ((day.month - 1) // 3) + 1
    return timezone.make_aware(datetime(day.year, month, 1))


def engaged_days(expert_ids, now=None) -> dict[int, int]:
    """Days each expert is engaged for this quarter: the quote's days (or the plan's 10) of
    the files assigned to them since the quarter began and still open."""
    rows = Demande.objects.filter(
        expert_id__in=expert_ids, statut__in=ACTIFS, assigne_le__gte=_quarter_start(_now(now))
    ).values_list("expert_id", "devis__jours")
    engaged: dict[int, int] = {}
    for expert_id, jours in rows:
        engaged[expert_id] = engaged.get(expert_id, 0) + (jours or calcul.JOURS_PAR_DEFAUT)
    return engaged


def wanted_families(demande: Demande) -> tuple[str, ...]:
    if demande.diagnostic_id and demande.partage_consenti:
        return tuple(c["famille"] for c in (demande.diagnostic.cas_usage or [])[:5])
    return ()


def suggestions(demande: Demande, now=None) -> list[suggestion.Suggestion]:
    experts = list(
        Expert.objects.filter(statut=Expert.Statut.ACCREDITE)
        .select_related("utilisateur")
        .prefetch_related("regions", "conflits")
    )
    engaged = engaged_days([e.pk for e in experts], now)
    candidats = [
        suggestion.Candidat(
            id=e.pk,
            nom=e.nom_complet,
            familles=frozenset(e.familles),
            naf=frozenset(e.naf),
            regions=frozenset(r.code for r in e.regions.all()),
            capacite_jours=e.capacite_jours_trimestre,
            jours_engages=engaged.get(e.pk, 0),
            siren=e.siren,
            conflits=frozenset(c.siren for c in e.conflits.all()),
        )
        for e in experts
    ]
    entreprise = demande.entreprise
    besoin = suggestion.Besoin(
        siren=entreprise.siren,
        naf_chain=tuple(n.code for n in entreprise.naf.ancetres()),
        region=demande.region_id,
        familles=wanted_families(demande),
        jours=calcul.JOURS_PAR_DEFAUT,
    )
    return suggestion.suggerer(candidats, besoin)


# Assignment, acceptance, declining ------------------------------------------------------------


def assign(demande: Demande, expert: Expert, operator, now=None) -> Demande:
    """The operator confirms one of the suggested experts (never one in conflict)."""
    now = _now(now)
    with transaction.atomic():
        demande = lock(demande)
        partie = check_move(demande, operator, etats.EXPERT_ASSIGNE, "", "")
        if expert.pk not in {s.candidat.id for s in suggestions(demande, now)}:
            raise ExpertiseError(
                {
                    "expert": "Cet expert ne peut pas être désigné : non accrédité, lié à l'entreprise ou sans capacité ce trimestre."
                }
            )
        demande.expert = expert
        demande.assigne_le = now
        demande.echeance_acceptation = jours_ouvres.add_working_days(
            timezone.localdate(now), DELAI_ACCEPTATION
        )
        demande.accepte_le = demande.relance_le = None
        apply_move(demande, operator, etats.EXPERT_ASSIGNE, partie, now)
    send_email_later(
        f"Diagnostic Data IA n° {demande.pk} : un dossier vous est confié",
        f"Le dossier de {demande.entreprise.denomination} vous est confié. Acceptez-le (ou déclinez-le) "
        f"au plus tard le {demande.echeance_acceptation:%d/%m/%Y} ({DELAI_ACCEPTATION} jours ouvrés) : "
        f"{site_url(reverse('expertise:demande', args=[demande.pk]))}",
        [expert.utilisateur.email],
    )
    return demande


def accept_file(demande: Demande, user, now=None) -> Demande:
    with transaction.atomic():
        demande = lock(demande)
        if etats.EXPERT not in _parties(user, demande):
            raise Interdit("Seul l'expert désigné accepte le dossier.")
        if demande.statut != etats.EXPERT_ASSIGNE or demande.accepte_le:
            raise ExpertiseError({"statut": "Ce dossier n'attend pas votre acceptation."})
        demande.accepte_le = _now(now)
        demande.save(update_fields=["accepte_le", "modifie_le"])
    return demande


def _parties(user, demande):
    from ..permissions import parties_of

    return parties_of(user, demande)


def decline(demande: Demande, user, motif: str, commentaire: str = "", now=None) -> Demande:
    from .demandes import move

    if demande.statut == etats.EXPERT_ASSIGNE and demande.attente_enveloppe_depuis:
        raise ExpertiseError({"statut": "Le devis est accepté : le dossier ne se décline plus."})
    return move(demande, user, etats.ELIGIBLE, motif, commentaire, now)


@dataclass
class DeadlineReport:
    relances: int = 0
    retours: int = 0


def check_deadlines(now: datetime | None = None) -> DeadlineReport:
    """Remind at day 3 the experts who have not accepted a file, and give the file back to
    the operators after the deadline (each file in its own transaction, locked)."""
    now = _now(now)
    today = timezone.localdate(now)
    report = DeadlineReport()
    pending = Demande.objects.filter(
        statut=etats.EXPERT_ASSIGNE, accepte_le__isnull=True, assigne_le__lt=now
    )
    for pk in list(pending.values_list("pk", flat=True)):
        with transaction.atomic():
            demande = lock(Demande(pk=pk))
            if demande.statut != etats.EXPERT_ASSIGNE or demande.accepte_le:
                continue
            url = site_url(reverse("expertise:demande", args=[demande.pk]))
            if today > demande.echeance_acceptation:
                expert = demande.expert
                demande.expert = None
                demande.assigne_le = demande.echeance_acceptation = demande.relance_le = None
                apply_move(demande, None, etats.ELIGIBLE, etats.SYSTEME, now, "delai_depasse")
                report.retours += 1
                notify_operators(
                    f"Diagnostic Data IA n° {demande.pk} : à réattribuer",
                    f"{expert.nom_complet} n'a pas accepté le dossier de {demande.entreprise.denomination} "
                    f"en {DELAI_ACCEPTATION} jours ouvrés : il revient aux opérateurs. {url}",
                )
            elif (
                demande.relance_le is None
                and jours_ouvres.working_days_between(timezone.localdate(demande.assigne_le), today)
                >= JOUR_RELANCE
            ):
                demande.relance_le = now
                demande.save(update_fields=["relance_le", "modifie_le"])
                report.relances += 1
                send_email_later(
                    f"Rappel : Diagnostic Data IA n° {demande.pk} à accepter",
                    f"Le dossier de {demande.entreprise.denomination} attend votre réponse jusqu'au "
                    f"{demande.echeance_acceptation:%d/%m/%Y} ; sans réponse, il sera confié à un autre expert. {url}",
                    [demande.expert.utilisateur.email],
                )
    return report
