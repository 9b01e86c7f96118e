"""The registry of organisation kinds a person may ask to join.

`comptes` sits below `entreprises`, `catalogue` and `academie` in the import order, so it never
imports them: each of those apps registers, from its `AppConfig.ready()`, how to find one of its
organisations by SIREN/SIRET, how to describe it to operators, and how to add a member when an
operator accepts a claim (through that app's own service). The claim workflow itself lives once,
in `comptes.services`.
"""

from collections.abc import Callable
from dataclasses import dataclass

from .models import TypeOrganisation


@dataclass(frozen=True)
class Organisation:
    """What operators and requesters see of an organisation."""

    pk: int
    nom: str
    identifiant: str  # SIREN (9 digits) or SIRET (14 digits)


@dataclass(frozen=True)
class TypeRattachement:
    kind: str
    # The organisation with this SIREN/SIRET (already validated by `parse`), or None.
    find: Callable[[str], Organisation | None]
    # The organisation with this primary key, or None when it no longer exists.
    describe: Callable[[int], Organisation | None]
    is_member: Callable[[object, int], bool]
    # Adds the person as a member; called inside the operator's decision transaction.
    add_member: Callable[[object, int], None]
    # A normalised SIREN/SIRET from what a person typed; raises ValidationError in French.
    parse: Callable[[str], str]
    # What the requester is told operators may ask for.
    pieces: str = (
        "un extrait Kbis de moins de trois mois, ou une adresse électronique professionnelle "
        "au nom de domaine de l'organisation"
    )
    # The answer when no organisation of this kind has the number typed.
    unknown: str = (
        "Aucune organisation de ce type n'est inscrite avec ce numéro : vous pouvez l'inscrire "
        "vous-même."
    )


_REGISTRY: dict[str, TypeRattachement] = {}


def register(handler: TypeRattachement) -> None:
    if handler.kind not in TypeOrganisation.values:
        raise ValueError(f"Type d'organisation inconnu : {handler.kind}")
    _REGISTRY[handler.kind] = handler


def get(kind: str) -> TypeRattachement:
    try:
        return _REGISTRY[kind]
    except KeyError as exc:
        raise LookupError(f"Aucun type d'organisation « {kind} » n'est enregistré.") from exc


def registered() -> dict[str, TypeRattachement]:
    return dict(_REGISTRY)
