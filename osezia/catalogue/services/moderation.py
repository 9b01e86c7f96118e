"""Moderation: the queue of submitted versions, publication and refusal (both told to the
provider's members by e-mail, after the commit), and withdrawals (immediate, told to the
operators)."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from osezia.socle.regles import MESSAGE, forbidden_characters
from osezia.socle.validation import clean_text

from ..models import EvenementSolution, Solution, VersionSolution
from .versions import Statut, log_event, put_online, reindex


def moderation_queue():
    """The versions waiting for a moderator's decision, oldest submission first."""
    return (
        VersionSolution.objects.filter(statut=Statut.SOUMISE)
        .select_related("solution__fournisseur", "solution__version_publiee")
        .order_by("cree_le", "pk")
    )


@transaction.atomic
def publish(version: VersionSolution, moderateur) -> Solution:
    version = VersionSolution.objects.select_for_update().get(pk=version.pk)
    if version.statut != Statut.SOUMISE:
        raise ValidationError("Seule une version soumise peut être publiée.")
    solution = Solution.objects.select_for_update().get(pk=version.solution_id)
    put_online(solution, version, moderateur)
    log_event(solution, "publication", version, moderateur)
    reindex([solution.id_externe])
    _tell_provider(
        solution,
        f"« {version.nom} » est publiée au catalogue",
        f"Bonjour,\n\nLa version {version.numero} de « {version.nom} » a été vérifiée par "
        "les opérateurs du plan Osez l'IA : elle est désormais en ligne au catalogue.\n\n"
        f"Page publique : {_url('catalogue:solution', solution.id_externe)}\n"
        f"Votre espace fournisseur : {_url('catalogue:espace')}\n",
    )
    return solution


def _url(name: str, *args) -> str:
    from django.urls import reverse

    from osezia.comptes.services import site_url

    return site_url(reverse(name, args=args))


def _tell_provider(solution: Solution, subject: str, body: str) -> None:
    """E-mail the members of the solution's provider organisation (one message each, sent by
    the task worker once the decision is committed)."""
    from osezia.comptes.services import send_email_later

    members = solution.fournisseur.membres.filter(is_active=True).exclude(email="")
    send_email_later(subject, body, list(members.values_list("email", flat=True)))


@transaction.atomic
def refuse(version: VersionSolution, moderateur, motif: str) -> VersionSolution:
    if forbidden_characters(motif or "", multiline=True):
        raise ValidationError({"motif": MESSAGE})
    motif = (motif or "").strip()
    if not motif:
        raise ValidationError({"motif": "Indiquez au fournisseur la raison du refus."})
    version = VersionSolution.objects.select_for_update().get(pk=version.pk)
    if version.statut != Statut.SOUMISE:
        raise ValidationError("Seule une version soumise peut être refusée.")
    version.statut = Statut.REFUSEE
    version.motif_refus = motif[:2000]
    version.moderateur = moderateur
    version.decide_le = timezone.now()
    version.save(update_fields=["statut", "motif_refus", "moderateur", "decide_le"])
    log_event(version.solution, "refus", version, moderateur, motif)
    _tell_provider(
        version.solution,
        f"« {version.nom} » n'est pas publiée : motif du refus",
        f"Bonjour,\n\nLa version {version.numero} de « {version.nom} » n'a pas été publiée "
        "par les opérateurs du plan Osez l'IA, pour le motif suivant :\n\n"
        f"{motif}\n\n"
        "Vous pouvez la corriger et la soumettre de nouveau depuis votre espace fournisseur : "
        f"{_url('catalogue:espace')}\n"
        + ("La version déjà publiée reste en ligne.\n" if version.solution.est_publiee else ""),
    )
    return version


DECISIONS = ("publier", "refuser")


def decide(version: VersionSolution, moderateur, decision: str, motif: str = ""):
    """An operator's decision on a submitted version: « publier » or « refuser » (with a
    reason); anything else is refused, never taken for either."""
    if decision == "publier":
        return publish(version, moderateur)
    if decision == "refuser":
        return refuse(version, moderateur, motif)
    raise ValidationError("Choisissez « Publier » ou « Refuser ».")


@transaction.atomic
def withdraw(solution: Solution, auteur, motif: str = "") -> Solution:
    """Take a solution off the catalogue at once (no moderation: a provider must be able to do
    it immediately); recorded in its history with its author and reason, and the operators are
    told by e-mail (they also see it among the recent withdrawals of the moderation page)."""
    from osezia.comptes.services import notify_operators

    solution = (
        Solution.objects.select_for_update(of=("self",))
        .select_related("fournisseur", "version_publiee")
        .get(pk=solution.pk)
    )
    try:
        motif = clean_text(motif, "Motif du retrait", 2000, multiline=True)
    except ValidationError as exc:
        raise ValidationError({"motif": exc.messages}) from exc
    solution.retiree = True
    solution.save(update_fields=["retiree", "modifie_le"])
    log_event(solution, "retrait", solution.version_publiee, auteur, motif)
    reindex([solution.id_externe])
    who = (auteur.get_full_name() or auteur.email) if auteur else "un opérateur"
    notify_operators(
        f"Solution retirée du catalogue : {solution}",
        f"« {solution} » ({solution.fournisseur.nom}, SIREN {solution.fournisseur.siren}) "
        f"a été retirée du catalogue par {who}"
        f"{f' ({auteur.email})' if auteur else ''}.\n\nMotif : {motif or '(aucun)'}\n\n"
        "Le retrait est immédiat ; il figure dans l'historique de la solution et parmi les "
        "retraits récents de la page de modération.\n",
    )
    return solution


def recent_withdrawals(days: int = 30):
    """The withdrawals of the last `days` days, newest first (for the moderation page)."""
    since = timezone.now() - timedelta(days=days)
    return (
        EvenementSolution.objects.filter(action="retrait", cree_le__gte=since)
        .select_related("solution__fournisseur", "auteur", "version")
        .order_by("-cree_le", "-pk")
    )
