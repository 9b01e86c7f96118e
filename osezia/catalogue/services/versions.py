"""What the other use cases share: checking a line of the exchange format, a solution's
versions and their history, and logging the changes the search index must follow (in the
caller's transaction, `recherche.services.mark_changed`)."""

import logging

from django.core.exceptions import ValidationError
from django.utils import timezone

from osezia.referentiels.queries import naf_index

from .. import format as fmt
from ..models import EvenementSolution, Fournisseur, Solution, VersionSolution

Statut = VersionSolution.Statut
logger = logging.getLogger("osezia.catalogue.services")


def known_naf() -> set[str]:
    return set(naf_index())


def validate(raw: dict) -> fmt.SolutionData:
    try:
        return fmt.validate_line(raw, known_naf())
    except fmt.InvalidSolution as exc:
        raise ValidationError(exc.errors) from exc


def reindex(keys: list[str], schedule: bool = True) -> None:
    """Log in the current transaction that these solutions must be brought up to date in the
    search index (the worker applies the log after the commit; a lost task is repaired by
    the next run of the applier)."""
    from osezia.recherche import services as recherche

    recherche.mark_changed("solution", keys, schedule=schedule)


def log_event(solution, action: str, version=None, auteur=None, detail: str = "") -> None:
    EvenementSolution.objects.create(
        solution=solution, version=version, action=action, auteur=auteur, detail=detail
    )


def provider_for(data: fmt.SolutionData) -> Fournisseur:
    fournisseur, created = Fournisseur.objects.get_or_create(
        siren=data.fournisseur_siren, defaults={"nom": data.fournisseur_nom}
    )
    return fournisseur


def new_version(
    solution: Solution, data: fmt.SolutionData, statut: str, auteur, source: str
) -> VersionSolution:
    last = solution.versions.order_by("-numero").values_list("numero", flat=True).first() or 0
    return VersionSolution.objects.create(
        solution=solution,
        numero=last + 1,
        statut=statut,
        contenu=data.contenu(),
        nom=data.nom,
        auteur=auteur,
        source=source,
    )


def put_online(solution: Solution, version: VersionSolution, moderateur=None) -> None:
    if solution.version_publiee_id and solution.version_publiee_id != version.pk:
        VersionSolution.objects.filter(pk=solution.version_publiee_id).update(
            statut=Statut.REMPLACEE
        )
    version.statut = Statut.PUBLIEE
    version.moderateur = moderateur
    version.decide_le = timezone.now()
    version.save(update_fields=["statut", "moderateur", "decide_le"])
    solution.version_publiee = version
    if solution.version_en_cours_id == version.pk:
        solution.version_en_cours = None
    solution.retiree = False
    solution.save(update_fields=["version_publiee", "version_en_cours", "retiree", "modifie_le"])
