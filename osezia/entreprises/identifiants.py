"""SIREN and SIRET validation with python-stdnum, with French messages (pure module)."""

from dataclasses import dataclass

from stdnum import exceptions as stdnum_errors
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret


class InvalidIdentifier(ValueError):
    """The message is French and tells the user what is wrong."""


@dataclass(frozen=True)
class Identifiant:
    siren: str
    siret: str | None  # None when a SIREN was given


def parse_siren_or_siret(value: str) -> Identifiant:
    """Validate a SIREN (9 digits) or a SIRET (14 digits); spaces and dots are ignored."""
    compact = stdnum_siret.compact(value or "")
    if not compact:
        raise InvalidIdentifier("Indiquez un numéro SIREN (9 chiffres) ou SIRET (14 chiffres).")
    if not compact.isdigit():
        raise InvalidIdentifier(
            "Un numéro SIREN ou SIRET ne contient que des chiffres ; vérifiez qu'aucune lettre "
            "ne s'y est glissée."
        )
    if len(compact) not in (9, 14):
        raise InvalidIdentifier(
            f"Le numéro compte {len(compact)} chiffres : un SIREN en compte 9 et un SIRET 14."
        )
    module, label = (stdnum_siren, "SIREN") if len(compact) == 9 else (stdnum_siret, "SIRET")
    try:
        module.validate(compact)
    except stdnum_errors.InvalidChecksum as exc:
        raise InvalidIdentifier(
            f"Ce numéro {label} n'existe pas : sa clé de contrôle est fausse. Vérifiez qu'aucun "
            "chiffre n'a été inversé ou mal recopié."
        ) from exc
    except stdnum_errors.ValidationError as exc:
        raise InvalidIdentifier(f"Ce numéro {label} n'est pas valide.") from exc
    if len(compact) == 14:
        # The SIREN part of a valid SIRET is itself checked (La Poste's SIRETs excepted).
        return Identifiant(siren=stdnum_siret.to_siren(compact), siret=compact)
    return Identifiant(siren=compact, siret=None)
