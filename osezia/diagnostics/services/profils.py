"""A company profile checked against the reference data, for a diagnostic."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from osezia.entreprises import taille
from osezia.entreprises.models import Entreprise
from osezia.referentiels.naf import normalize_code
from osezia.referentiels.queries import departement_regions, naf_index

MAX_DESCRIPTION = 5000


@dataclass(frozen=True)
class Profil:
    naf: str
    effectif: int
    chiffre_affaires_eur: int | None
    departement: str | None
    description: str
    taille: taille.SizeResult


def validate_profile(
    naf: str,
    effectif,
    chiffre_affaires_eur=None,
    departement: str | None = None,
    description: str = "",
) -> Profil:
    """Check a company profile against the reference data (read from the per-process index:
    no query on the hot path of the quick assessment)."""
    errors: dict[str, str] = {}
    naf_code = normalize_code(naf)
    if naf_code not in naf_index():
        errors["naf"] = f"« {naf} » n'est pas un code NAF rév. 2 connu (par exemple 10.71C)."
    departement_code = None
    if departement not in (None, ""):
        departement_code = str(departement).strip().upper()
        if departement_code not in departement_regions():
            errors["departement"] = f"« {departement} » n'est pas un code de département connu."
    size = None
    try:
        size = taille.size_category(effectif, chiffre_affaires_eur)
    except taille.InvalidFigures as exc:
        errors[exc.field] = str(exc)
    if description and len(description) > MAX_DESCRIPTION:
        errors["description"] = f"La description ne doit pas dépasser {MAX_DESCRIPTION} caractères."
    if errors:
        raise ValidationError(errors)
    return Profil(
        naf_code,
        effectif,
        chiffre_affaires_eur,
        departement_code,
        (description or "").strip(),
        size,
    )


def profile_of(entreprise: Entreprise, description: str | None = None) -> Profil:
    """The profile of a registered company (`description`, when given, replaces its own)."""
    return validate_profile(
        entreprise.naf_id,
        entreprise.effectif,
        entreprise.chiffre_affaires_eur,
        entreprise.departement_id,
        entreprise.description if description is None else description,
    )
