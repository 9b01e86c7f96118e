"""The expert's report as plain data (pure Python, no Django): its prefill from the
self-diagnostic, the checks of a use case, the estimated gain written as a formula, the
value × feasibility matrix and the roadmap by quarter.

A report's content (stored as JSON) is
    {"synthese": str, "mots_entreprise": str, "maturite": [{dimension, libelle, score}],
     "cas_usage": [use case, …]}   # in the expert's order, best first
and a use case is
    {famille, libelle, justification, valeur 0–100, faisabilite 0–100,
     gain_mode "heures" | "productivite", heures_par_an, cout_horaire_eur,
     masse_salariale_eur, part_pct, cout_min_eur, cout_max_eur, risque_ia_act,
     donnees_personnelles, trimestre 1–8}."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from osezia.referentiels import codes
from osezia.socle import plan
from osezia.socle.regles import forbidden_characters

MAX_CAS = 12
MAX_TEXTE = 2000
MAX_LIBELLE = 200
MAX_HEURES = 100_000
MAX_MONTANT_EUR = 100_000_000
TRIMESTRES = 8
GAIN_HEURES = "heures"
GAIN_PRODUCTIVITE = "productivite"
NUMBERS = {
    "valeur": (0, 100),
    "faisabilite": (0, 100),
    "heures_par_an": (0, MAX_HEURES),
    "cout_horaire_eur": (0, 1_000),
    "masse_salariale_eur": (0, MAX_MONTANT_EUR),
    "part_pct": (0, 100),
    "cout_min_eur": (0, MAX_MONTANT_EUR),
    "cout_max_eur": (0, MAX_MONTANT_EUR),
    "trimestre": (1, TRIMESTRES),
}
TEXTS = {"libelle": MAX_LIBELLE, "justification": MAX_TEXTE, "donnees_personnelles": MAX_TEXTE}


def _default_case(
    famille: str, libelle: str, justification: str, valeur: int, faisabilite: int, rang: int
) -> dict:
    return {
        "famille": famille,
        "libelle": libelle,
        "justification": justification,
        "valeur": int(valeur),
        "faisabilite": int(faisabilite),
        "gain_mode": GAIN_PRODUCTIVITE,
        "heures_par_an": 0,
        "cout_horaire_eur": 0,
        "masse_salariale_eur": 0,
        "part_pct": int(plan.PRODUCTIVITY_GAIN_PCT),
        "cout_min_eur": 0,
        "cout_max_eur": 0,
        "risque_ia_act": codes.codes("risque_ia_act")[0],
        "donnees_personnelles": "",
        "trimestre": min(TRIMESTRES, 1 + rang // 2),
    }


def prefill(
    maturite: Mapping[str, int | None], description: str, cas_usage: Iterable[Mapping]
) -> dict:
    """The report's first draft from the self-diagnostic: its maturity by dimension, the
    company's own words, its engine's five best use cases."""
    cas = [
        _default_case(
            c["famille"],
            c["libelle"],
            c.get("justification", ""),
            c.get("valeur", 50),
            c.get("faisabilite", 50),
            rang,
        )
        for rang, c in enumerate(list(cas_usage)[:5])
    ]
    return {
        "synthese": "",
        "mots_entreprise": description or "",
        "maturite": [
            {
                "dimension": code,
                "libelle": codes.label("dimension", code),
                "score": maturite.get(code),
            }
            for code in codes.codes("dimension")
        ],
        "cas_usage": cas,
    }


def new_case(famille: str) -> dict:
    return _default_case(famille, codes.label("famille", famille), "", 50, 50, 0)


def check_case(data: Mapping) -> tuple[dict, dict[str, str]]:
    """A use case as typed by the expert: the clean one, and French errors per field."""
    errors: dict[str, str] = {}
    clean: dict = {}
    famille = data.get("famille")
    if not codes.is_code("famille", famille):
        errors["famille"] = "famille de cas d'usage inconnue."
    clean["famille"] = famille
    for name, limit in TEXTS.items():
        value = data.get(name, "")
        value = value.strip() if isinstance(value, str) else ""
        if forbidden_characters(value, multiline=name != "libelle"):
            errors[name] = "contient des caractères interdits."
        elif len(value) > limit:
            errors[name] = f"ne doit pas dépasser {limit} caractères."
        clean[name] = value
    if not clean["libelle"] and "libelle" not in errors:
        errors["libelle"] = "ce champ est obligatoire."
    for name, (low, high) in NUMBERS.items():
        value = data.get(name, 0)
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            errors[name] = f"nombre entier de {low} à {high:_}.".replace("_", "\u202f")
        clean[name] = value
    if (
        "cout_min_eur" not in errors
        and "cout_max_eur" not in errors
        and clean["cout_min_eur"] > clean["cout_max_eur"]
    ):
        errors["cout_max_eur"] = "le coût maximal est au moins le coût minimal."
    mode = data.get("gain_mode")
    if mode not in (GAIN_HEURES, GAIN_PRODUCTIVITE):
        errors["gain_mode"] = "mode de calcul du gain inconnu."
    clean["gain_mode"] = mode
    if not codes.is_code("risque_ia_act", data.get("risque_ia_act")):
        errors["risque_ia_act"] = "niveau de risque AI Act inconnu."
    clean["risque_ia_act"] = data.get("risque_ia_act")
    return clean, errors


@dataclass(frozen=True)
class Gain:
    euros_par_an: int
    formule: str


def _eur(value: int) -> str:
    return f"{value:_}".replace("_", "\u202f") + " €"


A_ESTIMER = "à estimer"


def gain(cas: Mapping) -> Gain:
    """The estimated yearly gain of a use case, with its formula in words (« à estimer » while
    the expert has not given its inputs)."""
    if cas.get("gain_mode") == GAIN_HEURES and not (
        cas.get("heures_par_an") and cas.get("cout_horaire_eur")
    ):
        return Gain(0, A_ESTIMER)
    if cas.get("gain_mode") != GAIN_HEURES and not cas.get("masse_salariale_eur"):
        return Gain(0, A_ESTIMER)
    if cas.get("gain_mode") == GAIN_HEURES:
        euros = int(cas["heures_par_an"]) * int(cas["cout_horaire_eur"])
        return Gain(
            euros,
            f"{cas['heures_par_an']:_} h économisées par an × {cas['cout_horaire_eur']} €/h = {_eur(euros)}".replace(
                "_", "\u202f"
            ),
        )
    part = Decimal(int(cas.get("part_pct", plan.PRODUCTIVITY_GAIN_PCT)))
    euros = int(Decimal(int(cas.get("masse_salariale_eur", 0))) * part / 100)
    return Gain(
        euros,
        f"{_eur(int(cas.get('masse_salariale_eur', 0)))} de masse salariale concernée × {part} % "
        f"de productivité (le plan « {plan.PLAN_NAME} » retient +{plan.PRODUCTIVITY_GAIN_PCT} %) = {_eur(euros)}",
    )


# The matrix: value on the vertical axis, feasibility on the horizontal one.
LARGEUR, HAUTEUR, MARGE = 320, 320, 40


@dataclass(frozen=True)
class Point:
    rang: int
    libelle: str
    valeur: int
    faisabilite: int
    x: float
    y: float


def matrice(cas_usage: Iterable[Mapping]) -> list[Point]:
    inner_w, inner_h = LARGEUR - 2 * MARGE, HAUTEUR - 2 * MARGE
    return [
        Point(
            rang,
            c["libelle"],
            c["valeur"],
            c["faisabilite"],
            round(MARGE + inner_w * c["faisabilite"] / 100, 1),
            round(HAUTEUR - MARGE - inner_h * c["valeur"] / 100, 1),
        )
        for rang, c in enumerate(cas_usage, start=1)
    ]


def trimestre_label(start_year: int, start_quarter: int, index: int) -> str:
    """Quarter `index` (1 = the one the report starts) as « T3 2027 »."""
    q = start_quarter - 1 + index - 1
    return f"T{q % 4 + 1} {start_year + q // 4}"


def feuille_de_route(
    cas_usage: Iterable[Mapping], start_year: int, start_quarter: int
) -> list[tuple[str, list[str]]]:
    """The use cases by quarter (only the quarters that have some), in the expert's order."""
    by_quarter: dict[int, list[str]] = {}
    for c in cas_usage:
        by_quarter.setdefault(int(c["trimestre"]), []).append(c["libelle"])
    return [
        (trimestre_label(start_year, start_quarter, i), by_quarter[i]) for i in sorted(by_quarter)
    ]
