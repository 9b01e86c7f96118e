"""Company size category by décret n° 2008-1354 (art. 3), a pure module.

- micro-entreprise (TPE): fewer than 10 persons, and turnover OR balance-sheet total ≤ 2 M€;
- PME: fewer than 250 persons, and turnover ≤ 50 M€ OR balance-sheet total ≤ 43 M€;
- ETI: not a PME, fewer than 5,000 persons, and turnover ≤ 1,500 M€ OR balance-sheet
  total ≤ 2,000 M€;
- GE: the rest.

"≤" is the decree's « n'excédant pas ». Money is given in euros (integers or Decimal).
When a money figure is unknown the category is computed on the figures known, assuming
the unknown ones satisfy the thresholds (the usual reading, e.g. headcount alone); the
result is flagged as an estimate whenever an unknown figure could change it.
"""

from dataclasses import dataclass
from decimal import Decimal

from osezia.referentiels import codes
from osezia.socle.regles import MAX_EFFECTIF, MAX_MONTANT_EUR

CATEGORIES = codes.codes("taille")
TPE, PME, ETI, GE = CATEGORIES

MILLION = 1_000_000

# (category, headcount strictly below, max turnover €, max balance-sheet total €)
THRESHOLDS = (
    (TPE, 10, 2 * MILLION, 2 * MILLION),
    (PME, 250, 50 * MILLION, 43 * MILLION),
    (ETI, 5000, 1500 * MILLION, 2000 * MILLION),
)


class InvalidFigures(ValueError):
    """A figure is missing or negative; the message is French, for the user."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class SizeResult:
    categorie: str
    estimation: bool


def _money_condition(turnover, balance, max_turnover, max_balance, assume_unknown: bool) -> bool:
    known = []
    if turnover is not None:
        known.append(turnover <= max_turnover)
    if balance is not None:
        known.append(balance <= max_balance)
    if any(known):
        return True
    if turnover is None or balance is None:
        return assume_unknown
    return False


def _classify(headcount: int, turnover, balance, assume_unknown: bool) -> str:
    for category, max_persons, max_turnover, max_balance in THRESHOLDS:
        if headcount < max_persons and _money_condition(
            turnover, balance, max_turnover, max_balance, assume_unknown
        ):
            return category
    return GE


def size_category(
    effectif: int | None,
    chiffre_affaires_eur: int | Decimal | None = None,
    total_bilan_eur: int | Decimal | None = None,
) -> SizeResult:
    """The size category for a headcount and, when known, the turnover and balance-sheet total."""
    if effectif is None:
        raise InvalidFigures(
            "L'effectif est obligatoire pour déterminer la catégorie de taille.", "effectif"
        )
    if effectif < 0:
        raise InvalidFigures("L'effectif ne peut pas être négatif.", "effectif")
    if effectif > MAX_EFFECTIF:
        raise InvalidFigures(
            f"L'effectif ne peut pas dépasser {MAX_EFFECTIF:,} personnes.".replace(",", " "),
            "effectif",
        )
    money = (
        (chiffre_affaires_eur, "chiffre_affaires_eur", "Le chiffre d'affaires"),
        (total_bilan_eur, "total_bilan_eur", "Le total de bilan"),
    )
    for value, field, label in money:
        if value is not None and value < 0:
            raise InvalidFigures(f"{label} ne peut pas être négatif.", field)
        if value is not None and value > MAX_MONTANT_EUR:
            raise InvalidFigures(
                f"{label} ne peut pas dépasser {MAX_MONTANT_EUR:,} euros.".replace(",", " "), field
            )
    optimistic = _classify(effectif, chiffre_affaires_eur, total_bilan_eur, assume_unknown=True)
    pessimistic = _classify(effectif, chiffre_affaires_eur, total_bilan_eur, assume_unknown=False)
    return SizeResult(categorie=optimistic, estimation=optimistic != pessimistic)
