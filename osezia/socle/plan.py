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
AMBASSADORS_TARGET = 300
DIAGNOSTIC_DATA_IA_STATE_SHARE_PCT = Decimal("40")


@dataclass(frozen=True)
class Axis:
    code: str
    title: str
    summary: str


AXES = [
    Axis(
        "SENSIBILISER",
        "Sensibiliser",
        "300 ambassadeurs IA, des rencontres d'affaires chaque mois partout en France, "
        "l'AI Business Day et une consultation citoyenne.",
    ),
    Axis(
        "FORMER",
        "Former",
        "L'Académie de l'IA : formations et tutoriels pour apprentis, demandeurs d'emploi, "
        "salariés et dirigeants ; 15 millions de professionnels formés d'ici 2030.",
    ),
    Axis(
        "ACCOMPAGNER",
        "Accompagner",
        "Autodiagnostic, Diagnostic Data IA financé à 40 % par l'État pour les PME et ETI, "
        "catalogue de solutions prêtes à déployer, prêts garantis et programme d'accélération.",
    ),
]
