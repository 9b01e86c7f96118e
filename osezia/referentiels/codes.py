"""The plan's shared code lists, declared once (pure Python, no Django).

Every list comes from `data/referentiels.json`, read once at import. Validators, forms,
model fields and their database constraints, facet labels and API schemas all take their
codes and labels from here; the data migration loads the same file into the reference
tables. A kind is named by its singular code-field name (see REFERENTIALS.md):

    famille, dimension, niveau, public, taille, type_ambassadeur, reseau, risque_ia_act,
    hebergement, deploiement, modele_tarif, vote_consultation, qualification,
    motif_moderation, profil_participant, tranche_age, zone_consultation,
    organisateur_rencontre, interet_rencontre, suite_rendez_vous

`codes(kind)` gives the codes in their declared order, `label(kind, code)` the French label
(`short=True`: the short label, when the list has one), `choices(kind)` the pairs for a form
or a model field, `field(kind, name)` an extra field of the entries, `phrase(kind)` the list as
a French enumeration.
"""

import json
from pathlib import Path
from types import MappingProxyType
from typing import Literal

DATA_FILE = Path(__file__).resolve().parent / "data" / "referentiels.json"

# kind → key of the list in referentiels.json
KINDS = MappingProxyType(
    {
        "famille": "familles",
        "dimension": "dimensions",
        "niveau": "niveaux",
        "public": "publics",
        "taille": "tailles",
        "type_ambassadeur": "types_ambassadeur",
        "reseau": "reseaux",
        "risque_ia_act": "risques_ia_act",
        "hebergement": "hebergements",
        "deploiement": "deploiements",
        "modele_tarif": "modeles_tarif",
        # Diagnostic Data IA (expertise)
        "motif_refus_expertise": "motifs_refus_expertise",
        "motif_annulation_expertise": "motifs_annulation_expertise",
        "motif_declin_expert": "motifs_declin_expert",
        # Consultation citoyenne
        "vote_consultation": "votes_consultation",
        "qualification": "qualifications",
        "motif_moderation": "motifs_moderation",
        "profil_participant": "profils_participant",
        "tranche_age": "tranches_age",
        "zone_consultation": "zones_consultation",
        # Rencontres d'affaires
        "organisateur_rencontre": "organisateurs_rencontre",
        "interet_rencontre": "interets_rencontre",
        "suite_rendez_vous": "suites_rendez_vous",
    }
)

with open(DATA_FILE, encoding="utf-8") as _handle:
    _DATA = json.load(_handle)

_ENTRIES: dict[str, tuple[dict, ...]] = {
    kind: tuple(MappingProxyType(e) for e in _DATA[key]) for kind, key in KINDS.items()
}
_CODES: dict[str, tuple[str, ...]] = {
    kind: tuple(e["code"] for e in entries) for kind, entries in _ENTRIES.items()
}


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise KeyError(f"unknown code list {kind!r} (known: {', '.join(KINDS)})")


def entries(kind: str) -> tuple[dict, ...]:
    """The entries of a list as read from the file (code, libelle, and their extra fields)."""
    _check_kind(kind)
    return _ENTRIES[kind]


def codes(kind: str) -> tuple[str, ...]:
    _check_kind(kind)
    return _CODES[kind]


def is_code(kind: str, value: object) -> bool:
    return value in codes(kind)


def labels(kind: str, short: bool = False) -> dict[str, str]:
    """code → label (a fresh dict, in the declared order); `short` uses the short label."""
    return {
        e["code"]: (e.get("court", e["libelle"]) if short else e["libelle"]) for e in entries(kind)
    }


def label(kind: str, code: str, short: bool = False) -> str:
    for entry in entries(kind):
        if entry["code"] == code:
            return entry.get("court", entry["libelle"]) if short else entry["libelle"]
    raise KeyError(f"unknown {kind} code {code!r}")


def choices(kind: str, short: bool = False) -> list[tuple[str, str]]:
    """(code, label) pairs, for a form field or a model field's `choices`."""
    return list(labels(kind, short).items())


def field(kind: str, name: str) -> dict[str, object]:
    """code → one extra field of the entries (e.g. `field("hebergement", "lieu")`)."""
    return {e["code"]: e[name] for e in entries(kind)}


def phrase(kind: str, name: str = "libelle", lower: bool = False) -> str:
    """A field of every entry, in order, as a French enumeration (« a, b et c »), for a sentence
    that names the whole list; `lower` puts each item's first letter in lower case."""
    items = [str(e[name]) for e in entries(kind)]
    if lower:
        items = [item[:1].lower() + item[1:] for item in items]
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} et {items[-1]}"


def literal(kind: str):
    """A `typing.Literal` of the codes, for API schemas."""
    return Literal[codes(kind)]


# The lists most used, by name.
FAMILLES = MappingProxyType(labels("famille"))
DIMENSIONS = MappingProxyType(labels("dimension"))
NIVEAUX = MappingProxyType(labels("niveau"))
PUBLICS = MappingProxyType(labels("public"))
TAILLES = MappingProxyType(labels("taille"))
TYPES_AMBASSADEUR = MappingProxyType(labels("type_ambassadeur"))
RESEAUX = MappingProxyType(labels("reseau"))
RISQUES_IA_ACT = MappingProxyType(labels("risque_ia_act"))
HEBERGEMENTS = MappingProxyType(labels("hebergement"))
DEPLOIEMENTS = MappingProxyType(labels("deploiement"))
MODELES_TARIF = MappingProxyType(labels("modele_tarif"))

# Maturity levels with their bounds on the overall score: (code, min, max), in order.
NIVEAUX_BORNES: tuple[tuple[str, int, int], ...] = tuple(
    (e["code"], e["min"], e["max"]) for e in entries("niveau")
)


def qualifications_for(vote: str) -> tuple[str, ...]:
    """The qualifications a consultation vote may carry (« banalite » after pour or contre)."""
    return tuple(e["code"] for e in entries("qualification") if vote in e["votes"])
