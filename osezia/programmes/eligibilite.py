"""Which of the plan's funding a company may claim (pure Python), from the plan's own rules.

- Diagnostic Data IA: for PME and ETI, operated by Bpifrance for the State, which pays 40 %
  of its cost; an expert inventories, identifies use cases and prioritises them by value.
- State-guaranteed loan (via Bpifrance): for PME whose structuring AI projects need
  significant investment.
- Acceleration programme: from end 2025, companies selected from the Diagnostics Data IA for
  the impact of their projects; 18 months of support.
- Calls for projects (France 2030): « Accélération des usages de l'IA générative » (industry,
  law, health, education, media, design, energy) and « Pionniers de l'IA » (industry, health,
  ecological transition, security). A call is proposed only to a credible candidate: its
  field, and a size and maturity able to carry a funded project (see CALL_RULES).
- Training of employees: the company's OPCO (and FNE-Formation, through the OPCO, when the
  State opens it to the branch), for a company with employees.
- The company's Region, for its economic development aids (named, never with an amount).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from osezia.referentiels import codes
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


# A call for projects funds a project a company must lead, document and co-finance: proposed
# only to sizes and maturity levels (codes of the levels, from the diagnostic) that can.
LEVEL_ORDER = codes.codes("niveau")  # from the lowest to the highest
# Every size but the smallest (a TPE rarely carries a co-financed call-for-projects file).
BEYOND_TPE = codes.codes("taille")[1:]
CALL_RULES = {
    # « Accélération des usages de l'IA générative »: a company already exploring AI.
    "AAP_IA_GENERATIVE": {"sizes": BEYOND_TPE, "min_level": "EXPLORATION"},
    # « Pionniers de l'IA »: projets de rupture, for companies already deploying AI, with a
    # structuring project in their diagnostic.
    "AAP_PIONNIERS": {"sizes": BEYOND_TPE, "min_level": "DEPLOIEMENT"},
}
LEVEL_WORDS = codes.labels("niveau")


def _credible(code: str, size: str, level: str | None) -> bool:
    rule = CALL_RULES[code]
    if size not in rule["sizes"] or level not in LEVEL_ORDER:
        return False
    return LEVEL_ORDER.index(level) >= LEVEL_ORDER.index(rule["min_level"])


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
    size: str,
    naf_chain: tuple[str, ...],
    structuring_families: list[str],
    level: str | None = None,
    effectif: int | None = None,
    region_name: str | None = None,
) -> list[Eligibilite]:
    """What the company may claim. `level` is the diagnostic's maturity level (None without
    answers: no call for projects then), `effectif` its headcount, `region_name` the name of
    its Region (when its department is known)."""
    pme_eti = plan.diagnostic_data_ia_eligible(size)
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
    if generative and _credible("AAP_IA_GENERATIVE", size, level):
        result.append(
            Eligibilite(
                "AAP_IA_GENERATIVE",
                "Appel à projets « Accélération des usages de l'IA générative » (France 2030)",
                True,
                f"Votre secteur relève des domaines visés ({', '.join(generative)}) et votre "
                f"entreprise ({size}, niveau {LEVEL_WORDS[level]}) peut porter un projet "
                "d'usage de l'IA générative.",
            )
        )
    pioneers = _fields(naf_chain, AAP_PIONNIERS)
    if pioneers and structuring_families and _credible("AAP_PIONNIERS", size, level):
        result.append(
            Eligibilite(
                "AAP_PIONNIERS",
                "Appel à projets « Pionniers de l'IA » (France 2030)",
                True,
                f"Projets de rupture : votre secteur relève des domaines visés "
                f"({', '.join(pioneers)}), votre entreprise ({size}) déploie déjà l'IA "
                f"(niveau {LEVEL_WORDS[level]}) et votre diagnostic fait apparaître un projet "
                f"structurant ({', '.join(structuring_families)}).",
            )
        )
    if effectif:
        result.append(
            Eligibilite(
                "OPCO",
                "Formation de vos salariés : votre OPCO",
                True,
                "L'opérateur de compétences (OPCO) de votre branche finance des formations de "
                "vos salariés, dont celles à l'IA, et relaie le FNE-Formation quand l'État "
                "l'ouvre à votre branche ; les formations de l'Académie indiquent si elles "
                "acceptent ce financement.",
            )
        )
    if region_name:
        result.append(
            Eligibilite(
                "REGION",
                f"Aides de la Région {region_name}",
                True,
                f"La Région {region_name} soutient la transformation numérique des entreprises "
                "de son territoire (développement économique) ; l'agence régionale de "
                "développement économique ou votre chambre consulaire vous orientent vers le "
                "dispositif qui convient à votre projet.",
            )
        )
    return result
