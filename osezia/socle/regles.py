"""The input rules of the platform, in pure Python (usable by every engine and import format).

Text: no control characters (NUL, C0 and C1, DEL), no lone UTF-16 surrogates, no U+FFFE and
U+FFFF; multi-line text may hold tabulations and line breaks. Numbers: upper bounds larger
than any real value and small enough to be stored (money in cents in a 64-bit integer,
headcounts in a 32-bit one). `osezia.socle.validation` adapts them to forms and schemas.
"""

import re
from typing import Any

MAX_EFFECTIF = 10_000_000  # persons: more than any French company
MAX_MONTANT_EUR = 10**12  # one thousand billion euros; ×100 in cents fits a bigint
MAX_PRIX_EUR_MOIS = 10_000_000  # a monthly price, in euros
MAX_PAGE = 1_000_000  # a page number


MESSAGE = "Ce champ contient des caractères non autorisés (caractères de contrôle)."

# C0 controls but tab, LF and CR; DEL and C1; lone surrogates; U+FFFE and U+FFFF.
_FORBIDDEN_MULTILINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_FORBIDDEN_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def forbidden_characters(value: str, multiline: bool = False) -> bool:
    """True when `value` holds a character the platform refuses."""
    pattern = _FORBIDDEN_MULTILINE if multiline else _FORBIDDEN_ONE_LINE
    return pattern.search(value) is not None


def forbidden_path(data: Any, prefix: str = "") -> str | None:
    """The dotted path of the first string of a JSON-like structure refused by the rule
    (None when every string is clean); a wrong key is reported at its own path."""
    if isinstance(data, str):
        return prefix if forbidden_characters(data, multiline=True) else None
    if isinstance(data, dict):
        for key, value in data.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if isinstance(key, str) and forbidden_characters(key, multiline=True):
                return f"{prefix} (nom d'un champ)" if prefix else "(nom d'un champ)"
            found = forbidden_path(value, name)
            if found is not None:
                return found
    elif isinstance(data, list | tuple):
        for index, value in enumerate(data):
            found = forbidden_path(value, f"{prefix}.{index}" if prefix else str(index))
            if found is not None:
                return found
    return None


# External identifiers -----------------------------------------------------------------------
# The identifiers other systems give their records (a catalogue's `id_externe`, LHEO's
# `numero`, those of the modules to come): ASCII letters of both cases, digits and
# `-` `_` `.` `:` `/`, 1 to 120 characters. Surrounding whitespace is removed (a spreadsheet
# cell often carries it); nothing else is changed: the case is kept and two identifiers that
# differ only by case are two records (compared exactly, in the database as in the index).

MAX_EXTERNAL_ID = 120
EXTERNAL_ID_CHARACTERS = (
    "lettres (majuscules ou minuscules, sans accent), chiffres, « - », « _ », « . », « : » ou « / »"
)
EXTERNAL_ID_MESSAGE = (
    f"identifiant invalide : {EXTERNAL_ID_CHARACTERS}, {MAX_EXTERNAL_ID} caractères au plus"
)
_EXTERNAL_ID = re.compile(r"[A-Za-z0-9._:/-]+")


class InvalidExternalId(ValueError):
    """`str(exc)` is the French message."""


def external_id(value: Any) -> str:
    """The identifier as it will be stored, or `InvalidExternalId` (French message)."""
    if not isinstance(value, str):
        raise InvalidExternalId("identifiant obligatoire (un texte)")
    if forbidden_characters(value):
        raise InvalidExternalId(f"identifiant invalide : {MESSAGE[0].lower()}{MESSAGE[1:]}")
    value = value.strip()
    if not value:
        raise InvalidExternalId("identifiant obligatoire")
    if len(value) > MAX_EXTERNAL_ID:
        raise InvalidExternalId(
            f"identifiant trop long : {len(value)} caractères, {MAX_EXTERNAL_ID} au plus"
        )
    if not _EXTERNAL_ID.fullmatch(value):
        raise InvalidExternalId(EXTERNAL_ID_MESSAGE)
    return value


def is_external_id(value: Any) -> bool:
    try:
        external_id(value)
    except InvalidExternalId:
        return False
    return True
