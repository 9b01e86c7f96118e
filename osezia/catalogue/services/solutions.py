"""Providers' solutions: creation, new content (a draft or a submitted version, moderated),
submission to moderation."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from ..models import Fournisseur, Solution, VersionSolution
from ..permissions import can_submit
from .versions import Statut, log_event, new_version, validate

ID_TAKEN = (
    "Une solution porte déjà cet identifiant : modifiez-la avec PUT (ou choisissez-en un autre)."
)
ID_FIXED = "L'identifiant d'une solution ne change pas : il reste « {id_externe} »."


def create_solution(
    fournisseur: Fournisseur, raw: dict, auteur, source: str = "espace", submit_now: bool = False
) -> Solution:
    """A new solution of this provider (page, API): its identifier must be new to the
    catalogue (compared exactly: `SOL-1` and `sol-1` are two solutions), else a French
    ValidationError on `id_externe`, also when two requests create it at the same moment."""
    return save_draft(fournisseur, raw, auteur, source, submit_now=submit_now, creation=True)


def update_solution(
    fournisseur: Fournisseur,
    solution: Solution,
    raw: dict,
    auteur,
    source: str = "espace",
    submit_now: bool = False,
) -> Solution:
    """New content for one of this provider's solutions (page, API). The identifier never
    changes: a line without one gets the solution's, a different one is a French
    ValidationError on `id_externe`; another provider's solution is PermissionDenied."""
    if solution.fournisseur_id != fournisseur.pk:
        raise PermissionDenied("Cette solution appartient à un autre fournisseur.")
    given = raw.get("id_externe")
    if given not in (None, "") and (
        not isinstance(given, str) or given.strip() != solution.id_externe
    ):
        raise ValidationError({"id_externe": ID_FIXED.format(id_externe=solution.id_externe)})
    return save_draft(
        fournisseur,
        {**raw, "id_externe": solution.id_externe},
        auteur,
        source,
        submit_now=submit_now,
    )


@transaction.atomic
def save_draft(
    fournisseur: Fournisseur,
    raw: dict,
    auteur,
    source: str = "espace",
    submit_now: bool = False,
    creation: bool = False,
) -> Solution:
    """Create or update a solution of this provider as a draft (or submitted) version; the
    published version, if any, stays online until a moderator publishes the new one.

    A solution has at most one version in progress: a draft, a refused version or a version
    still waiting for moderation is replaced in place (the history keeps each change).
    `creation` (a POST): the identifier must be new, else a French ValidationError, also when
    two requests create it at the same moment."""
    data = validate(raw)
    if data.fournisseur_siren != fournisseur.siren:
        raise ValidationError(
            {"fournisseur.siren": "ce SIREN n'est pas celui de votre organisation"}
        )
    solution = Solution.objects.select_for_update().filter(id_externe=data.id_externe).first()
    if solution is not None and creation:
        raise ValidationError({"id_externe": ID_TAKEN})
    if solution is None:
        try:
            with transaction.atomic():
                solution = Solution.objects.create(
                    id_externe=data.id_externe, fournisseur=fournisseur
                )
        except IntegrityError as exc:
            # Created by a concurrent request between our look-up and our insert.
            raise ValidationError({"id_externe": ID_TAKEN}) from exc
        action = "creation"
    elif solution.fournisseur_id != fournisseur.pk:
        raise PermissionDenied("Cette solution appartient à un autre fournisseur.")
    else:
        action = "modification"
    statut = Statut.SOUMISE if submit_now else Statut.BROUILLON
    detail = "soumise à la modération" if submit_now else "brouillon"
    current = solution.version_en_cours
    if current and current.statut in (Statut.BROUILLON, Statut.REFUSEE):
        current.contenu, current.nom, current.statut, current.motif_refus = (
            data.contenu(),
            data.nom,
            statut,
            "",
        )
        current.auteur = auteur
        current.save(update_fields=["contenu", "nom", "statut", "motif_refus", "auteur"])
        version = current
    else:
        if current and current.statut == Statut.SOUMISE:
            # Still waiting for moderation: the new content takes its place (one row, never a
            # pile). It gets a new key, so that a moderator's decision taken on
            # the old content cannot publish the new one unseen.
            detail += " (remplace la soumission précédente, jamais modérée)"
            solution.version_en_cours = None
            solution.save(update_fields=["version_en_cours"])
            current.delete()
        version = new_version(solution, data, statut, auteur, source)
    solution.version_en_cours = version
    solution.save(update_fields=["version_en_cours", "modifie_le"])
    log_event(solution, action, version, auteur, detail)
    return solution


@transaction.atomic
def submit(solution: Solution, auteur) -> VersionSolution:
    """Send the version in progress to moderation (`permissions.can_submit` says which)."""
    solution = (
        Solution.objects.select_for_update(of=("self",))
        .select_related("version_en_cours")
        .get(pk=solution.pk)
    )
    if not can_submit(solution):
        raise ValidationError("Aucun brouillon à soumettre.")
    version = solution.version_en_cours
    version.statut = Statut.SOUMISE
    version.motif_refus = ""
    version.save(update_fields=["statut", "motif_refus"])
    log_event(solution, "soumission", version, auteur)
    return version


def provider_solutions(fournisseur: Fournisseur):
    """A provider's own solutions, whatever their state, by identifier (space, API)."""
    return (
        Solution.objects.filter(fournisseur=fournisseur)
        .select_related("version_en_cours", "version_publiee")
        .order_by("id_externe")
    )
