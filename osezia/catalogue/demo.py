"""Demo catalogue: the invented solutions (`data/demo_solutions.jsonl`), imported as an
operator would (published) and re-indexed; the demo provider account becomes a member of the
first provider organisation, and one pending claim waits for the operator. Idempotent."""

from pathlib import Path

from osezia.socle.demo import DemoContext

from . import services
from .models import Fournisseur

SOLUTIONS_FILE = Path(__file__).resolve().parent / "data" / "demo_solutions.jsonl"
PROVIDER = "fournisseur@demo.osez-ia.fr"
CLAIMANT = "expert@demo.osez-ia.fr"
CLAIM_MESSAGE = (
    "Associée du cabinet, je gère nos solutions au catalogue ; je peux envoyer l'extrait "
    "Kbis et j'écris depuis mon adresse professionnelle."
)


def size() -> int:
    return 1


def _claim(user, fournisseur: Fournisseur | None) -> None:
    """One pending claim for the operator to see: an account asks to join an imported
    provider (once; a decided claim is not sent again)."""
    from osezia.comptes import services as comptes
    from osezia.comptes.models import DemandeRattachement, TypeOrganisation

    if user is None or fournisseur is None:
        return
    if DemandeRattachement.objects.filter(
        demandeur=user,
        type_organisation=TypeOrganisation.FOURNISSEUR,
        organisation_id=fournisseur.pk,
    ).exists():
        return
    comptes.submit_claim(user, TypeOrganisation.FOURNISSEUR, fournisseur.pk, CLAIM_MESSAGE)


def seed(context: DemoContext) -> None:
    from osezia.recherche import services as recherche

    report = services.import_lines(services.read_lines(SOLUTIONS_FILE))
    context.count("solutions", report.created)
    provider = context.users.get(PROVIDER)
    first, second = (list(Fournisseur.objects.order_by("pk")[:2]) + [None, None])[:2]
    if provider and first and not first.membres.filter(pk=provider.pk).exists():
        services.add_member(first, provider)
    _claim(context.users.get(CLAIMANT), second)
    recherche.finish_after_import(rebuild_types=("solution",))
    context.advance()
