"""The expert's quote and the regional envelope of the State's share.

A quote is approved when the company accepts it and the envelope of its region for the year
still covers the State's share: the share is then committed by one conditional UPDATE
(`engage = engage + part WHERE montant - engage >= part`, its row count telling whether it
took), after the envelope's row is locked on PostgreSQL (`select_for_update`); on SQLite every
transaction takes the write lock first (`transaction_mode = IMMEDIATE`). Concurrent
approvals therefore never commit more than the envelope.

When the envelope does not cover it (or files are already waiting in that region and year)
the file waits, in order of acceptance (FIFO); each time an envelope is raised or a committed
file is cancelled, `serve_queue` approves the waiting files in that order, as long as the
envelope covers the first one."""

from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from osezia.comptes.services import send_email_later

from .. import devis as calcul
from .. import etats
from ..models import MAX_ENVELOPPE_EUR, MAX_TEXTE, Demande, Devis, Enveloppe
from .demandes import ExpertiseError, Interdit, apply_move, check_move, lock

QUEUE_MESSAGE = (
    "L'enveloppe régionale de l'État pour {annee} est épuisée : votre devis est accepté et "
    "votre dossier attend, en position {rang} de la file de votre région. Il sera approuvé "
    "dans l'ordre d'arrivée dès que l'enveloppe sera abondée ou libérée ; vous serez prévenu."
)


def _now(now):
    return now or timezone.now()


def propose(demande: Demande, user, jours, taux_journalier_ht_cents, contenu: str = "") -> Devis:
    """The assigned expert writes (or rewrites) the quote, after accepting the file."""
    with transaction.atomic():
        demande = lock(demande)
        if not (demande.expert_id and demande.expert.utilisateur_id == user.pk):
            raise Interdit("Seul l'expert désigné pour ce dossier établit son devis.")
        if demande.statut != etats.EXPERT_ASSIGNE or demande.attente_enveloppe_depuis:
            raise ExpertiseError(
                {"devis": "Le devis ne se modifie plus une fois accepté par l'entreprise."}
            )
        if demande.accepte_le is None:
            raise ExpertiseError(
                {"devis": "Acceptez d'abord le dossier, puis établissez le devis."}
            )
        try:
            montants = calcul.montants(jours, taux_journalier_ht_cents)
        except calcul.DevisInvalide as exc:
            raise ExpertiseError(exc.erreurs) from exc
        contenu = (contenu or "").strip()
        if len(contenu) > MAX_TEXTE:
            raise ExpertiseError({"contenu": f"ne doit pas dépasser {MAX_TEXTE} caractères."})
        fields = {
            "jours": montants.jours,
            "taux_journalier_ht_cents": montants.taux_journalier_ht_cents,
            "cout_ht_cents": montants.cout_ht_cents,
            "tva_cents": montants.tva_cents,
            "cout_ttc_cents": montants.cout_ttc_cents,
            "part_etat_cents": montants.part_etat_cents,
            "part_entreprise_cents": montants.part_entreprise_cents,
            "contenu": contenu,
        }
        quote, _ = Devis.objects.update_or_create(demande=demande, defaults=fields)
    members = list(demande.entreprise.adhesions.values_list("utilisateur__email", flat=True))
    send_email_later(
        f"Diagnostic Data IA n° {demande.pk} : le devis de l'expert",
        f"{demande.expert.nom_complet} propose un devis de {montants.jours} jours : "
        f"{calcul.euros(montants.cout_ttc_cents):.2f} € TTC, dont {calcul.euros(montants.part_etat_cents):.2f} € "
        f"pris en charge par l'État ; il vous reste {calcul.euros(montants.part_entreprise_cents):.2f} € TTC.",
        members,
    )
    return quote


def _envelope_year(now: datetime) -> int:
    return timezone.localdate(now).year


def _commit(region_id: str, annee: int, part: int) -> bool:
    """Commit `part` cents on the envelope if it still covers them (inside a transaction)."""
    # PostgreSQL: the row is locked until the commit; the conditional UPDATE decides.
    list(Enveloppe.objects.select_for_update().filter(region_id=region_id, annee=annee))
    taken = Enveloppe.objects.filter(
        region_id=region_id, annee=annee, montant_cents__gte=F("engage_cents") + part
    ).update(engage_cents=F("engage_cents") + part)
    return taken == 1


def waiting(region_id: str, annee: int):
    return Demande.objects.filter(
        region_id=region_id,
        annee_enveloppe=annee,
        attente_enveloppe_depuis__isnull=False,
        statut=etats.EXPERT_ASSIGNE,
    ).order_by("attente_enveloppe_depuis", "pk")


def queue_rank(demande: Demande) -> int | None:
    if demande.attente_enveloppe_depuis is None:
        return None
    ahead = (
        waiting(demande.region_id, demande.annee_enveloppe)
        .filter(attente_enveloppe_depuis__lt=demande.attente_enveloppe_depuis)
        .count()
    )
    return ahead + 1


def _approve(demande: Demande, user, partie: str, now, annee: int) -> None:
    demande.part_etat_engagee_cents = demande.devis.part_etat_cents
    demande.annee_enveloppe = annee
    demande.attente_enveloppe_depuis = None
    apply_move(demande, user, etats.DEVIS_ACCEPTE, partie, now)


def accept(demande: Demande, user, now: datetime | None = None) -> tuple[Demande, str]:
    """The company accepts the expert's quote: approved at once when the envelope covers the
    State's share and nobody waits before it, else put in the queue. Returns the file and
    the message to show."""
    now = _now(now)
    with transaction.atomic():
        demande = lock(demande)
        partie = check_move(demande, user, etats.DEVIS_ACCEPTE, "", "")
        if not hasattr(demande, "devis") or demande.devis is None:
            raise ExpertiseError({"devis": "L'expert n'a pas encore établi de devis."})
        if demande.attente_enveloppe_depuis is not None:
            return demande, QUEUE_MESSAGE.format(
                annee=demande.annee_enveloppe, rang=queue_rank(demande)
            )
        annee = _envelope_year(now)
        nobody_before = not waiting(demande.region_id, annee).exists()
        if nobody_before and _commit(demande.region_id, annee, demande.devis.part_etat_cents):
            _approve(demande, user, partie, now, annee)
            return demande, (
                "Devis accepté : la part de l'État est réservée sur l'enveloppe de votre région ; "
                "l'expert peut commencer le diagnostic."
            )
        demande.attente_enveloppe_depuis = now
        demande.annee_enveloppe = annee
        demande.save(update_fields=["attente_enveloppe_depuis", "annee_enveloppe", "modifie_le"])
    return demande, QUEUE_MESSAGE.format(annee=annee, rang=queue_rank(demande))


def serve_queue(region_id: str, annee: int, now: datetime | None = None) -> int:
    """Approve the waiting files of a region and year in their order while the envelope covers
    the first one (inside the caller's transaction, or its own). Returns how many."""
    now = _now(now)
    served = 0
    with transaction.atomic():
        for pk in list(waiting(region_id, annee).values_list("pk", flat=True)):
            demande = lock(Demande(pk=pk))
            if demande.statut != etats.EXPERT_ASSIGNE or demande.attente_enveloppe_depuis is None:
                continue
            if not _commit(region_id, annee, demande.devis.part_etat_cents):
                break
            _approve(demande, None, etats.SYSTEME, now, annee)
            served += 1
            members = list(
                demande.entreprise.adhesions.values_list("utilisateur__email", flat=True)
            )
            send_email_later(
                f"Diagnostic Data IA n° {demande.pk} : devis approuvé",
                "L'enveloppe régionale couvre maintenant la part de l'État : votre devis est "
                "approuvé et l'expert peut commencer le diagnostic.",
                members + [demande.expert.utilisateur.email],
            )
    return served


def release(demande: Demande) -> tuple[str, int] | None:
    """A committed file is cancelled: its State share goes back to the envelope (inside the
    caller's transaction). Returns the envelope's (region, year) to serve its queue."""
    demande.attente_enveloppe_depuis = None
    if not demande.part_etat_engagee_cents:
        return None
    part, annee = demande.part_etat_engagee_cents, demande.annee_enveloppe
    Enveloppe.objects.filter(region_id=demande.region_id, annee=annee).update(
        engage_cents=F("engage_cents") - part
    )
    demande.part_etat_engagee_cents = 0
    return demande.region_id, annee


def set_envelope(region_id: str, annee: int, montant_cents, user, now=None) -> Enveloppe:
    """Operators set a region's yearly envelope (never below what is committed); the waiting
    files are then served in order."""
    if (
        isinstance(montant_cents, bool)
        or not isinstance(montant_cents, int)
        or not 0 <= montant_cents <= MAX_ENVELOPPE_EUR * 100
    ):
        raise ExpertiseError(
            {
                "montant": f"de 0 à {MAX_ENVELOPPE_EUR:_} € (nombre entier de centimes).".replace(
                    "_", "\u202f"
                )
            }
        )
    if not isinstance(annee, int) or not 2025 <= annee <= 2035:
        raise ExpertiseError({"annee": "année de 2025 à 2035."})
    with transaction.atomic():
        envelope, _ = Enveloppe.objects.select_for_update().get_or_create(
            region_id=region_id, annee=annee, defaults={"montant_cents": 0}
        )
        if montant_cents < envelope.engage_cents:
            raise ExpertiseError(
                {
                    "montant": f"déjà {calcul.euros(envelope.engage_cents):.2f} € engagés : l'enveloppe ne peut pas descendre en dessous."
                }
            )
        envelope.montant_cents = montant_cents
        envelope.modifie_par = user
        envelope.save()
        serve_queue(region_id, annee, now)
    envelope.refresh_from_db()
    return envelope
