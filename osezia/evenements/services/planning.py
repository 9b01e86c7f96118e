"""The scheduler on an event: the instance built from the database (contract of
docs/evenements.md), runs as tasks with their progress, the result written back (locked
meetings kept, UIDs stable, SEQUENCE raised on change), locks and cancellations."""

import statistics

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from osezia.referentiels import codes

from .. import planification as moteur
from ..models import Evenement, Inscription, Interet, Planification, RendezVous
from . import notifications


def instance(evenement: Evenement) -> dict:
    """IN.json of the event: every registration, its interests, the locked meetings imposed,
    the cancelled pairs refused."""
    creneaux = list(evenement.creneaux.order_by("numero"))
    inscriptions = list(evenement.inscriptions.prefetch_related("disponibilites"))
    ident = {i.pk: i.ident for i in inscriptions}
    poids = codes.field("interet_rencontre", "poids")
    interets: dict[tuple[str, str], dict] = {}
    for it in Interet.objects.filter(de__evenement=evenement):
        de, vers = ident[it.de_id], ident[it.vers_id]
        if it.niveau == "refuse":
            interets[(de, vers)] = {"de": de, "vers": vers, "refus": True}
        else:
            interets[(de, vers)] = {"de": de, "vers": vers, "poids": poids[it.niveau]}
    imposes = []
    for rdv in evenement.rendez_vous.select_related("creneau"):
        a, b = ident[rdv.a_id], ident[rdv.b_id]
        if rdv.annule:
            for de, vers in ((a, b), (b, a)):
                interets[(de, vers)] = {"de": de, "vers": vers, "refus": True}
        elif rdv.verrouille:
            imposes.append({"a": a, "b": b, "creneau": rdv.creneau.ident, "table": rdv.table})
    return {
        "creneaux": [
            {"id": c.ident, "debut": c.debut.isoformat(), "fin": c.fin.isoformat()}
            for c in creneaux
        ],
        "tables": evenement.tables,
        "participants": [
            {
                "id": ident[i.pk],
                "disponibilites": sorted(c.ident for c in i.disponibilites.all()),
                "max_rendez_vous": i.max_rdv,
            }
            for i in inscriptions
        ],
        "interets": list(interets.values()),
        "imposes": imposes,
    }


@transaction.atomic
def lancer(evenement: Evenement, user) -> Planification:
    """A run queued for the worker (one at a time per event)."""
    Evenement.objects.select_for_update().get(pk=evenement.pk)
    en_cours = evenement.planifications.filter(
        statut__in=[Planification.Statut.EN_ATTENTE, Planification.Statut.EN_COURS]
    )
    if en_cours.exists():
        raise ValidationError("Une planification de cette rencontre est déjà en cours.")
    if evenement.date < timezone.localdate():
        raise ValidationError("La rencontre a eu lieu : son planning n'est plus recalculé.")
    run = Planification.objects.create(evenement=evenement, lancee_par=user)
    from ..tasks import planifier_evenement

    transaction.on_commit(lambda: planifier_evenement.enqueue(run.pk))
    return run


def planifier_maintenant(evenement: Evenement, user, limite_s: float = 30) -> Planification:
    """A run in this process, whatever the event's date (the demo's past event)."""
    run = Planification.objects.create(evenement=evenement, lancee_par=user)
    return executer(run.pk, limite_s=limite_s)


def _avancer(run: Planification, progression: int, etape: str) -> None:
    Planification.objects.filter(pk=run.pk).update(progression=progression, etape=etape)


def executer(run_pk: int, limite_s: float = 30) -> Planification:
    """The run itself (called by the task): instance, solver, result written back."""
    run = Planification.objects.select_related("evenement").get(pk=run_pk)
    Planification.objects.filter(pk=run.pk).update(statut=Planification.Statut.EN_COURS)
    _avancer(run, 10, "Lecture des inscriptions et des intérêts")
    try:
        donnees = instance(run.evenement)
        _avancer(run, 25, "Recherche du meilleur planning (HiGHS)")
        sortie = moteur.planifier(donnees, limite_s=limite_s, avec_glouton=True)
        _avancer(run, 85, "Enregistrement des rendez-vous")
        changes = appliquer(run.evenement, sortie)
    except (moteur.InstanceInvalide, ValidationError) as exc:
        Planification.objects.filter(pk=run.pk).update(
            statut=Planification.Statut.ECHEC,
            message=str(exc),
            progression=100,
            terminee_le=timezone.now(),
        )
        return Planification.objects.get(pk=run.pk)
    compte = {p["id"]: 0 for p in donnees["participants"]}
    for r in sortie["rendez_vous"]:
        compte[r["a"]] += 1
        compte[r["b"]] += 1
    valeurs = list(compte.values()) or [0]
    Planification.objects.filter(pk=run.pk).update(
        statut=Planification.Statut.TERMINEE,
        progression=100,
        etape="Terminé",
        objectif=sortie["objectif"],
        borne=sortie["borne_superieure"],
        optimal=sortie["statut"] == "optimal",
        duree_s=sortie["duree_s"],
        glouton=sortie["glouton"],
        rdv_min=min(valeurs),
        rdv_median=statistics.median(valeurs),
        rdv_max=max(valeurs),
        terminee_le=timezone.now(),
    )
    if run.evenement.agenda_publie_le and changes:
        notifications.agenda_modifie(run.evenement, changes)
    return Planification.objects.get(pk=run.pk)


@transaction.atomic
def appliquer(evenement: Evenement, sortie: dict) -> set[int]:
    """Write OUT.json back; the ids of the registrations whose agenda changed."""
    Evenement.objects.select_for_update().get(pk=evenement.pk)
    par_ident = {i.ident: i for i in evenement.inscriptions.all()}
    creneaux = {c.ident: c for c in evenement.creneaux.all()}
    anciens = {
        (r.a_id, r.b_id): r for r in evenement.rendez_vous.filter(annule=False, verrouille=False)
    }
    garder = {(r.a_id, r.b_id) for r in evenement.rendez_vous.filter(annule=False, verrouille=True)}
    evenement.rendez_vous.filter(annule=False, verrouille=False).delete()
    nouveaux, changes = [], set()
    for r in sortie["rendez_vous"]:
        a, b = par_ident[r["a"]], par_ident[r["b"]]
        a, b = (a, b) if a.pk < b.pk else (b, a)
        if (a.pk, b.pk) in garder:
            continue
        creneau, table = creneaux[r["creneau"]], r["table"]
        ancien = anciens.pop((a.pk, b.pk), None)
        rdv = RendezVous(evenement=evenement, a=a, b=b, creneau=creneau, table=table)
        if ancien is not None:
            rdv.uid = ancien.uid
            same = ancien.creneau_id == creneau.pk and ancien.table == table
            rdv.sequence = ancien.sequence if same else ancien.sequence + 1
            if not same:
                changes |= {a.pk, b.pk}
        else:
            changes |= {a.pk, b.pk}
        nouveaux.append(rdv)
    for a, b in anciens:  # meetings that disappeared
        changes |= {a, b}
    RendezVous.objects.bulk_create(nouveaux)
    return changes


def _verifier_organisateur(rdv: RendezVous) -> None:
    if rdv.evenement.date < timezone.localdate():
        raise ValidationError("La rencontre a eu lieu : ses rendez-vous ne changent plus.")


@transaction.atomic
def verrouiller(rdv: RendezVous, verrou: bool) -> RendezVous:
    _verifier_organisateur(rdv)
    if rdv.annule:
        raise ValidationError("Ce rendez-vous est annulé.")
    rdv.verrouille = verrou
    rdv.save(update_fields=["verrouille", "modifie_le"])
    return rdv


@transaction.atomic
def annuler(rdv: RendezVous) -> RendezVous:
    """Cancelled: kept as a refusal of the pair, so a new run does not bring it back."""
    _verifier_organisateur(rdv)
    rdv.annule = True
    rdv.verrouille = False
    rdv.sequence += 1
    rdv.save(update_fields=["annule", "verrouille", "sequence", "modifie_le"])
    if rdv.evenement.agenda_publie_le:
        notifications.agenda_modifie(rdv.evenement, {rdv.a_id, rdv.b_id})
    return rdv


@transaction.atomic
def publier(evenement: Evenement) -> Evenement:
    if not evenement.rendez_vous.filter(annule=False).exists():
        raise ValidationError("Aucun rendez-vous à publier : lancez d'abord la planification.")
    evenement.agenda_publie_le = timezone.now()
    evenement.save(update_fields=["agenda_publie_le"])
    notifications.agenda_publie(evenement)
    return evenement


def agenda(inscription: Inscription):
    from django.db.models import Q

    return (
        RendezVous.objects.filter(Q(a=inscription) | Q(b=inscription), annule=False)
        .select_related("creneau", "a", "b")
        .order_by("creneau__numero")
    )
