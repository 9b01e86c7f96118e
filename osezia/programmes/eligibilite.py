"""Which of the plan's funding a company may claim (pure Python), from the plan's own rules.

- Diagnostic Data IA: for PME and ETI, operated by Bpifrance for the State, which pays 40 %
  of its cost; an expert inventories, identifies use cases and prioritises them by value.
- State-guaranteed loan (via Bpifrance): for PME whose structuring AI projects need
  significant investment.
- Acceleration programme: from end 2025, companies selected from the Diagnostics Data IA for
  the impact of their projects; 18 months of support.
- Calls for projects (France 2030): « Accélération des usages de l'IA générative » (industry,
  law, health, education, media, design, energy) and « Pionniers de l'IA » (industry, health,
  ecological transition, security).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from osezia.socle import plan

# « Structuring project » (what the guaranteed loan is for), from the diagnostic's ranked use
# cases: the use-case engine's priority `projet_structurant` (high value, demanding to build),
# with a value (0–100) of at least STRUCTURING_MIN_VALUE, among the STRUCTURING_USE_CASES
# best-ranked use cases only (the ones the results page puts forward).
STRUCTURING_PRIORITY = "projet_structurant"
STRUCTURING_MIN_VALUE = 50
STRUCTURING_USE_CASES = 5

# Fields of the calls for projects, as NAF codes (a company matches when its NAF chain does).
AAP_IA_GENERATIVE = {
    "industrie": ("C",),
    "droit": ("69.10",),
    "santé": ("Q", "21", "26.60", "32.50"),
    "éducation": ("P",),
    "médias": ("58", "59", "60", "63.91"),
    "design": ("74.10",),
    "énergie": ("D",),
}
AAP_PIONNIERS = {
    "industrie": ("C",),
    "santé": ("Q", "21", "26.60", "32.50"),
    "transition écologique": ("D", "E", "38", "39"),
    "sécurité": ("80", "84.24", "84.22"),
}


@dataclass(frozen=True)
class Eligibilite:
    code: str
    titre: str
    eligible: bool
    raison: str


def _fields(chain: tuple[str, ...], mapping: dict[str, tuple[str, ...]]) -> list[str]:
    return [name for name, codes in mapping.items() if any(code in chain for code in codes)]


def structuring_projects(use_cases: Iterable[Mapping]) -> list[str]:
    """The labels of the structuring projects among a diagnostic's use cases (ranked best
    first, each with `libelle`, `priorite` and `valeur`), in their order; see the thresholds
    above."""
    return [
        use_case["libelle"]
        for use_case in list(use_cases)[:STRUCTURING_USE_CASES]
        if use_case["priorite"] == STRUCTURING_PRIORITY
        and use_case["valeur"] >= STRUCTURING_MIN_VALUE
    ]


def eligibilities(
    size: str, naf_chain: tuple[str, ...], structuring_families: list[str]
) -> list[Eligibilite]:
    pme_eti = size in ("PME", "ETI")
    result = [
        Eligibilite(
            "DIAGNOSTIC_DATA_IA",
            "Diagnostic Data IA",
            pme_eti,
            f"Réservé aux PME et ETI : un expert fait l'inventaire technique et opérationnel, identifie vos cas d'usage et les priorise ; l'État finance {plan.DIAGNOSTIC_DATA_IA_STATE_SHARE_PCT} % de son coût (opéré par Bpifrance)."
            if pme_eti
            else f"Réservé aux PME et ETI ; votre entreprise est classée {size}.",
        ),
        Eligibilite(
            "PRET_GARANTI",
            "Prêt garanti par l'État",
            size == "PME" and bool(structuring_families),
            "Pour les PME dont les projets d'IA structurants demandent un investissement important ; "
            + (
                f"votre diagnostic en compte : {', '.join(structuring_families)}."
                if size == "PME" and structuring_families
                else "réservé aux PME ayant un projet structurant."
                if size != "PME"
                else "votre diagnostic ne fait pas encore apparaître de projet structurant."
            ),
        ),
        Eligibilite(
            "ACCELERATION",
            "Programme d'accélération",
            pme_eti,
            f"{plan.ACCELERATION_PROGRAMME_MONTHS} mois d'accompagnement, des formations collectives et des immersions dans des entreprises qui utilisent déjà l'IA ; les participants sont choisis parmi les entreprises ayant fait un Diagnostic Data IA, pour l'impact de leurs projets."
            if pme_eti
            else "Les participants sont choisis parmi les PME et ETI ayant fait un Diagnostic Data IA.",
        ),
    ]
    generative = _fields(naf_chain, AAP_IA_GENERATIVE)
    if generative:
        result.append(
            Eligibilite(
                "AAP_IA_GENERATIVE",
                "Appel à projets « Accélération des usages de l'IA générative » (France 2030)",
                True,
                f"Votre secteur relève des domaines visés : {', '.join(generative)}.",
            )
        )
    pioneers = _fields(naf_chain, AAP_PIONNIERS)
    if pioneers:
        result.append(
            Eligibilite(
                "AAP_PIONNIERS",
                "Appel à projets « Pionniers de l'IA » (France 2030)",
                True,
                f"Projets de rupture ; votre secteur relève des domaines visés : {', '.join(pioneers)}.",
            )
        )
    return result
