"""The plan's figures, as written in the plan « Osez l'IA » (1 July 2025).

Every figure shown to users comes from here or from the platform's own data.
"""

from dataclasses import dataclass
from decimal import Decimal

PLAN_NAME = "Osez l'IA"
PLAN_LAUNCH = "1er juillet 2025"
PRODUCTIVITY_GAIN_PCT = Decimal("20")
BASELINE_PME_ETI_PCT = Decimal("13")
TARGET_YEAR = 2030
TARGETS_PCT = {"GE": Decimal("100"), "PME_ETI": Decimal("80"), "TPE": Decimal("50")}
PROFESSIONALS_TRAINED_TARGET = 15_000_000
PROFESSIONALS_TRAINED_LABEL = f"{PROFESSIONALS_TRAINED_TARGET // 1_000_000} millions"
AMBASSADORS_TARGET = 300
DIAGNOSTIC_DATA_IA_STATE_SHARE_PCT = Decimal("40")
# Bpifrance announced about 5,000 co-financed Diagnostics Data IA, each about 10 days of an
# expert's work; reserved to PME and ETI (the size categories of décret 2008-1354).
DIAGNOSTIC_DATA_IA_TARGET = 5_000
DIAGNOSTIC_DATA_IA_DAYS = 10
DIAGNOSTIC_DATA_IA_SIZES = ("PME", "ETI")
VAT_RATE_PCT = Decimal("20")  # the standard French VAT rate, on an expert's services
ACCELERATION_PROGRAMME_MONTHS = 18  # of support, for the companies selected


def diagnostic_data_ia_eligible(categorie_taille: str) -> bool:
    """Whether a company of this size category may ask for a Diagnostic Data IA."""
    return categorie_taille in DIAGNOSTIC_DATA_IA_SIZES


def target_pct(categorie_taille: str) -> Decimal:
    """The share of companies of a size category (TPE, PME, ETI, GE) to use AI by TARGET_YEAR;
    PME and ETI share one target."""
    return TARGETS_PCT["PME_ETI" if categorie_taille in ("PME", "ETI") else categorie_taille]


@dataclass(frozen=True)
class Axis:
    code: str
    title: str
    summary: str


AXES = [
    Axis(
        "SENSIBILISER",
        "Sensibiliser",
        f"{AMBASSADORS_TARGET} ambassadeurs IA, des rencontres d'affaires chaque mois partout en France, "
        "l'AI Business Day et une consultation citoyenne.",
    ),
    Axis(
        "FORMER",
        "Former",
        "L'Académie de l'IA : formations et tutoriels pour apprentis, demandeurs d'emploi, "
        f"salariés et dirigeants ; {PROFESSIONALS_TRAINED_LABEL} de professionnels formés d'ici "
        f"{TARGET_YEAR}.",
    ),
    Axis(
        "ACCOMPAGNER",
        "Accompagner",
        f"Autodiagnostic, Diagnostic Data IA financé à {DIAGNOSTIC_DATA_IA_STATE_SHARE_PCT} % par l'État pour les PME et ETI, "
        "catalogue de solutions prêtes à déployer, prêts garantis et programme d'accélération.",
    ),
]
