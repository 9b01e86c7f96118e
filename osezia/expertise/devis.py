"""A Diagnostic Data IA quote in integer cents (pure Python, no Django).

    HT          = jours × taux journalier HT                      (exact, in cents)
    TVA         = HT × 20 %, rounded half up to the cent
    TTC         = HT + TVA
    part État   = HT × 40 %, rounded down to the cent (the public share never exceeds 40 %)
    part entreprise = TTC − part État                             (the company pays the rest, VAT included)

The two shares add up to TTC exactly, whatever the rounding. The rates come from
`socle.plan` (`VAT_RATE_PCT`, `DIAGNOSTIC_DATA_IA_STATE_SHARE_PCT`); see docs/expertise.md."""

from dataclasses import dataclass
from fractions import Fraction

from osezia.socle import plan

MIN_JOURS = 1
MAX_JOURS = 30
MIN_TAUX_EUR = 100
MAX_TAUX_EUR = 5_000
JOURS_PAR_DEFAUT = plan.DIAGNOSTIC_DATA_IA_DAYS


class DevisInvalide(ValueError):
    """Days or a daily rate out of bounds; `erreurs` maps each field to its French message."""

    def __init__(self, erreurs: dict[str, str]):
        super().__init__(" ; ".join(f"{k} : {v}" for k, v in erreurs.items()))
        self.erreurs = erreurs


@dataclass(frozen=True)
class Montants:
    jours: int
    taux_journalier_ht_cents: int
    cout_ht_cents: int
    tva_cents: int
    cout_ttc_cents: int
    part_etat_cents: int
    part_entreprise_cents: int

    @property
    def taux_prise_en_charge(self) -> int:
        return int(plan.DIAGNOSTIC_DATA_IA_STATE_SHARE_PCT)

    @property
    def taux_tva(self) -> int:
        return int(plan.VAT_RATE_PCT)


def _half_up(value: Fraction) -> int:
    return int((value * 2 + 1) // 2)


def _floor(value: Fraction) -> int:
    return int(value // 1)


def check(jours, taux_journalier_ht_cents) -> None:
    erreurs = {}
    if isinstance(jours, bool) or not isinstance(jours, int) or not MIN_JOURS <= jours <= MAX_JOURS:
        erreurs["jours"] = f"le nombre de jours va de {MIN_JOURS} à {MAX_JOURS}."
    if (
        isinstance(taux_journalier_ht_cents, bool)
        or not isinstance(taux_journalier_ht_cents, int)
        or not MIN_TAUX_EUR * 100 <= taux_journalier_ht_cents <= MAX_TAUX_EUR * 100
    ):
        erreurs["taux_journalier_ht_eur"] = (
            f"le taux journalier hors taxes va de {MIN_TAUX_EUR} à {MAX_TAUX_EUR:_} €.".replace(
                "_", "\u202f"
            )
        )
    if erreurs:
        raise DevisInvalide(erreurs)


def montants(jours: int, taux_journalier_ht_cents: int) -> Montants:
    """The quote's amounts (raises DevisInvalide out of bounds)."""
    check(jours, taux_journalier_ht_cents)
    ht = jours * taux_journalier_ht_cents
    tva = _half_up(Fraction(ht) * Fraction(plan.VAT_RATE_PCT) / 100)
    ttc = ht + tva
    etat = _floor(Fraction(ht) * Fraction(plan.DIAGNOSTIC_DATA_IA_STATE_SHARE_PCT) / 100)
    return Montants(jours, taux_journalier_ht_cents, ht, tva, ttc, etat, ttc - etat)


def euros(cents: int) -> float:
    """Cents as euros for JSON answers (two decimals, exact for any amount of a quote)."""
    return round(cents / 100, 2)


def simulation(montant: Montants) -> dict:
    """The public simulation's answer (contract of docs/expertise.md)."""
    return {
        "cout_ht_eur": euros(montant.cout_ht_cents),
        "cout_ttc_eur": euros(montant.cout_ttc_cents),
        "part_etat_eur": euros(montant.part_etat_cents),
        "part_entreprise_eur": euros(montant.part_entreprise_cents),
        "taux_prise_en_charge": montant.taux_prise_en_charge,
    }
