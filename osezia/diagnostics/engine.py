"""The use-case engine (pure Python, no Django). See docs/diagnostic.md.

For a company — NAF code (sous-classe up to section), size category, department, the
maturity of its answers, the priorities it ticked, the AI it already uses and its own words —
every one of the 23 families gets:

- `valeur` (0–100): the expected gain, from the sector knowledge (how much this family matters
  in this activity), the pains the leader states (text and ticked priorities) and the size;
- `faisabilite` (0–100): from the family's complexity, the maturity in DONNEES, COMPETENCES and
  OUTILS weighted by what the family needs, and the means of the size category;
- `score` (0–1) = valeur × (0.8 + 0.2 × faisabilite), which ranks them;
- `priorite`: `quick_win`, `projet_structurant` or `a_preparer`;
- a French `justification` naming its evidence.
"""

import csv
import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from osezia.langue.texte import Lexicon, TextAnalysis, french_words, lexicon_data
from osezia.referentiels import codes
from osezia.socle.texte import fold

DATA_DIR = Path(__file__).resolve().parent / "data"
REFERENTIELS_DIR = Path(__file__).resolve().parents[1] / "referentiels" / "data"

QUICK_WIN, STRUCTURANT, A_PREPARER = "quick_win", "projet_structurant", "a_preparer"
MATURITY_FOR_FEASIBILITY = ("DONNEES", "COMPETENCES", "OUTILS")
DIMENSION_WORDS = {
    "DONNEES": "données",
    "COMPETENCES": "compétences",
    "OUTILS": "outils numériques",
}
SECTOR_WEIGHT, DEMAND_WEIGHT = 0.45, 0.7
# The value saturates smoothly (never a flat 100 that leaves the order to feasibility):
# valeur = 100 × (1 − exp(−VALUE_SLOPE × raw)).
VALUE_SLOPE = 1.6
# How a sentence says how much it hurts: words that say it blocks or costs a lot weigh more,
# words that say it is secondary weigh less (applied to every clause of that sentence).
STRONG_WORDS = re.compile(
    r"\b(bloqu\w*|paralys\w*|arret\w*|surtout|principal\w*|urgen\w*|critique\w*|"
    r"enorme\w*|grave\w*|vraiment|trop tard|le plus|perd\w*|coute\w* cher)\b"
)
WEAK_WORDS = re.compile(
    r"\b(accessoirement|secondaire\w*|eventuellement|parfois|aussi|egalement|"
    r"un peu|de temps en temps|a la marge|par ailleurs|en plus|moins important\w*)\b"
)
STRONG, WEAK = 1.4, 0.5
_SENTENCE = re.compile(r"[.!?\n]+")


@dataclass(frozen=True)
class Company:
    naf: str
    size: str
    department: str | None = None
    description: str = ""
    maturity: dict[str, int] | None = None
    priorities: dict[str, tuple[float, list[str]]] = field(default_factory=dict)
    usages: dict[str, str] = field(default_factory=dict)
    # The usage question each declared stage comes from (family → its French wording).
    usage_labels: dict[str, str] = field(default_factory=dict)
    # Published ready-to-use solutions per family for this size (from the catalogue, through
    # the recommendations hub); None when unknown (the family's complexity decides then).
    ready_tools: dict[str, int] | None = None


@dataclass(frozen=True)
class UseCase:
    famille: str
    libelle: str
    score: float
    valeur: int
    faisabilite: int
    priorite: str
    justification: str

    def as_dict(self) -> dict:
        return {
            "famille": self.famille,
            "libelle": self.libelle,
            "score": self.score,
            "valeur": self.valeur,
            "faisabilite": self.faisabilite,
            "priorite": self.priorite,
            "justification": self.justification,
        }


@dataclass(frozen=True)
class SectorView:
    code: str
    activite: str
    families: dict[str, dict]
    absurd: frozenset[str]


class UnknownNaf(ValueError):
    pass


class Knowledge:
    """The reviewed data files, loaded once: sectors, family attributes, lexicon, NAF tree."""

    def __init__(
        self, sectors: dict, families: dict, lexicon: Lexicon, labels: dict, naf_parent: dict
    ):
        self.sectors = sectors
        self.families = families
        self.lexicon = lexicon
        self.labels = labels
        self.naf_parent = naf_parent
        self.codes = tuple(labels)

    @classmethod
    def load(cls, known_words: frozenset[str] | None = None) -> "Knowledge":
        def read(path: Path) -> dict:
            with open(path, encoding="utf-8") as handle:
                return json.load(handle)

        labels = codes.labels("famille", short=True)
        naf_parent = {}
        with open(REFERENTIELS_DIR / "naf_rev2_all_levels.csv", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                naf_parent[row["code"]] = row["parent"] or None
        lexicon = Lexicon(
            lexicon_data(),
            known_words if known_words is not None else french_words(),
        )
        return cls(
            read(DATA_DIR / "secteurs.json"),
            read(DATA_DIR / "familles.json"),
            lexicon,
            labels,
            naf_parent,
        )

    def chain(self, naf: str) -> list[str]:
        code = (naf or "").strip().upper()
        if code not in self.naf_parent:
            raise UnknownNaf(f"« {naf} » n'est pas un code NAF rév. 2.")
        chain = []
        while code:
            chain.append(code)
            code = self.naf_parent[code]
        return chain

    @lru_cache(maxsize=4096)  # noqa: B019 — one Knowledge per process, codes are few
    def sector(self, naf: str) -> SectorView:
        """The most specific sector entry for a code: a precision, else its division."""
        chain = self.chain(naf)
        for code in chain:
            entry = self.sectors["precisions"].get(code)
            if entry:
                return SectorView(
                    code, entry["activite"], entry["familles"], frozenset(entry.get("absurdes", ()))
                )
        division = next((c for c in chain if len(c) == 2 and c.isdigit()), None)
        if division and division in self.sectors["divisions"]:
            entry = self.sectors["divisions"][division]
            return SectorView(
                division, entry["activite"], entry["familles"], frozenset(entry.get("absurdes", ()))
            )
        # A section alone: the union of its divisions, at their best pertinence.
        families: dict[str, dict] = {}
        absurd: set[str] | None = None
        for code, entry in self.sectors["divisions"].items():
            if self.chain(code)[-1] != chain[-1]:
                continue
            for family, info in entry["familles"].items():
                if family not in families or info["pertinence"] > families[family]["pertinence"]:
                    families[family] = info
            absurd = (
                set(entry.get("absurdes", ()))
                if absurd is None
                else absurd & set(entry.get("absurdes", ()))
            )
        return SectorView(
            chain[-1], "votre secteur", families, frozenset((absurd or set()) - set(families))
        )


@lru_cache(maxsize=1)
def default_knowledge() -> Knowledge:
    return Knowledge.load()


def _quote(clause: str, limit: int = 90) -> str:
    text = " ".join(clause.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _clamp(value: float, low: float = 0.0, high: float = 1.0) -> float:
    return max(low, min(high, value))


@lru_cache(maxsize=4096)
def emphasis_of(description: str) -> tuple[tuple[str, float], ...]:
    """Each sentence of the description (folded) with how much it says it hurts."""
    result = []
    for sentence in _SENTENCE.split(fold(description or "")):
        if not sentence.strip():
            continue
        weight = 1.0
        if STRONG_WORDS.search(sentence):
            weight = STRONG
        if WEAK_WORDS.search(sentence):
            weight = WEAK
        result.append((sentence, weight))
    return tuple(result)


@lru_cache(maxsize=16384)
def _emphasis_of_clause(clause: str, sentences: tuple[tuple[str, float], ...]) -> float:
    folded = fold(clause)
    return next((w for sentence, w in sentences if folded in sentence), 1.0)


def text_signal(text: TextAnalysis, family: str, sentences: tuple[tuple[str, float], ...]) -> float:
    """0..1, as `TextAnalysis.signal` (strongest term of a clause counts fully, the others a
    quarter, clauses add up), each clause weighted by the emphasis of its sentence."""
    matches = text.matches.get(family)
    if not matches:
        return 0.0
    by_clause: dict[str, list[float]] = {}
    for match in matches:
        by_clause.setdefault(match.clause, []).append(match.weight)
    total = 0.0
    for clause, weights in by_clause.items():
        factor = _emphasis_of_clause(clause, sentences) if sentences else 1.0
        total += factor * (max(weights) + 0.25 * (sum(weights) - max(weights)))
    return 1.0 - math.exp(-1.3 * total)


def priority_of(complexity: float, feasibility: int, ready: bool) -> str:
    """The rule of docs/diagnostic.md: ready-to-use tools for the size make a quick win;
    otherwise a low feasibility asks for preparation, a demanding family is a structuring
    project, the rest a quick win. The value plays no part:
    a case is not harder to build because it is worth more."""
    if ready:
        return QUICK_WIN
    if feasibility < 40:
        return A_PREPARER
    if complexity >= STRUCTURING_COMPLEXITY:
        return STRUCTURANT
    return QUICK_WIN


READY_COMPLEXITY = 0.3  # without the catalogue's answer: tools exist for simple families
STRUCTURING_COMPLEXITY = 0.5  # from this complexity on, a family is built, not bought


class Engine:
    def __init__(self, knowledge: Knowledge | None = None):
        self.k = knowledge or default_knowledge()

    def evaluate(self, company: Company) -> list[UseCase]:
        sector = self.k.sector(company.naf)
        text = (
            self.k.lexicon.analyse(company.description) if company.description else TextAnalysis()
        )
        sentences = emphasis_of(company.description or "")
        settings = self.k.families
        means = settings["moyens_taille"][company.size]
        default_maturity = settings["maturite_par_defaut"][company.size]
        results = []
        irrelevant: set[str] = set()
        for family in self.k.codes:
            attrs = settings["familles"][family]
            info = sector.families.get(family)
            absurd = family in sector.absurd
            sector_part = 0.0 if absurd else (info["pertinence"] if info else attrs["transversale"])
            signal = text_signal(text, family, sentences)
            priority_weight = company.priorities.get(family, (0.0, []))[0]
            demand = 1 - (1 - signal) * (1 - priority_weight)
            if info is None and attrs["transversale"] == 0:
                # A specialised family the sector does not list (SANTE for a laundry that
                # names its hospital clients): the words alone are weaker evidence.
                demand *= 0.5
            size_factor = attrs["taille"][company.size]
            if absurd:
                raw = 0.5 * DEMAND_WEIGHT * demand  # only a clearly stated need lifts it
            else:
                raw = (SECTOR_WEIGHT * sector_part + DEMAND_WEIGHT * demand) * size_factor
            value = round(100 * (1 - math.exp(-VALUE_SLOPE * raw)))
            stage = company.usages.get(family)
            # Irrelevant to this activity: marked absurd by the sector, or a specialised
            # family the sector does not list, unless the leader asks for it.
            unfit = absurd or (info is None and attrs["transversale"] == 0)
            if unfit and demand < 0.25 and stage not in ("EN_TEST", "EN_PRODUCTION"):
                irrelevant.add(family)

            maturity = company.maturity or {}
            needs = attrs["exigences"]
            readiness = sum(w * maturity.get(d, default_maturity) for d, w in needs.items()) / 100
            if stage in ("EN_TEST", "EN_PRODUCTION"):
                readiness = max(readiness, 0.8)
            feasibility = round(
                100 * _clamp(0.4 * (1 - attrs["complexite"]) + 0.35 * readiness + 0.25 * means)
            )
            if company.ready_tools is None:
                ready_count = None
                ready = attrs["complexite"] <= READY_COMPLEXITY
            else:
                ready_count = company.ready_tools.get(family, 0)
                ready = ready_count > 0 and attrs["complexite"] < 0.6
            if family in irrelevant:
                ready = False
            priority = priority_of(attrs["complexite"], feasibility, ready)
            score = round(value / 100 * (0.8 + 0.2 * feasibility / 100), 3)
            justification = self._justify(
                family,
                sector,
                info,
                absurd,
                text,
                company,
                priority,
                stage,
                ready,
                ready_count,
                family in irrelevant,
            )
            results.append(
                UseCase(
                    family,
                    self.k.labels[family],
                    score,
                    value,
                    feasibility,
                    priority,
                    justification,
                )
            )
        # The families that do not fit the activity come last, whatever their score.
        results.sort(key=lambda u: (u.famille in irrelevant, -u.score, -u.valeur, u.famille))
        return results

    def _justify(
        self,
        family,
        sector,
        info,
        absurd,
        text,
        company,
        priority,
        stage,
        ready,
        ready_count,
        irrelevant,
    ) -> str:
        parts = []
        matches = text.matches.get(family)
        if matches:
            quotes = list(dict.fromkeys(_quote(m.clause) for m in matches))[:2]
            parts.append("Vous indiquez « " + " » et « ".join(quotes) + " »")
        ticked = company.priorities.get(family)
        if ticked and ticked[0] >= 0.5:
            labels = list(dict.fromkeys(ticked[1]))[:2]
            parts.append("vous avez coché « " + " » et « ".join(labels) + " » parmi vos priorités")
        if absurd:
            parts.append(f"dans {sector.activite}, cet usage est rarement pertinent")
        elif info:
            parts.append(f"dans {sector.activite}, {info['raison'].rstrip('.')}")
        elif irrelevant:
            parts.append(f"cet usage est propre à d'autres activités que {sector.activite}")
        else:
            parts.append("c'est un usage transversal, utile dans la plupart des entreprises")
        question = company.usage_labels.get(family)
        where = f" (« {question} »)" if question else ""
        if stage == "EN_PRODUCTION":
            parts.append(
                f"vous avez indiqué une IA déjà en production{where} : il s'agit de l'étendre"
            )
        elif stage == "EN_TEST":
            parts.append(f"vous avez indiqué une IA en test{where} : il s'agit de la généraliser")
        size = company.size
        attrs = self.k.families["familles"][family]
        if ready and ready_count:
            solutions = "solution publiée" if ready_count == 1 else "solutions publiées"
            parts.append(
                f"des outils prêts à l'emploi existent pour une {size} ({ready_count} {solutions} "
                "au catalogue) : un gain rapide, sans projet informatique"
            )
        elif ready:
            parts.append(
                f"des outils prêts à l'emploi suffisent à une {size}, sans projet informatique"
            )
        elif size in ("TPE", "PME") and attrs["complexite"] >= 0.6 and not irrelevant:
            parts.append(
                f"pour une {size}, ce projet demande un accompagnement et un budget dédiés"
            )
        if company.maturity:
            weakest = min(MATURITY_FOR_FEASIBILITY, key=lambda d: company.maturity.get(d, 0))
            if priority == A_PREPARER and not irrelevant:
                parts.append(
                    f"à préparer d'abord : votre score en {DIMENSION_WORDS[weakest]} "
                    f"({company.maturity.get(weakest, 0)}/100) est encore faible"
                )
        elif priority == A_PREPARER and not irrelevant:
            parts.append("à préparer d'abord : il demande des données et des compétences à réunir")
        sentence = " ; ".join(parts)
        sentence = f"{sentence[0].upper()}{sentence[1:]}."
        if irrelevant:
            return f"{sentence} Pas de premier pas conseillé pour votre activité."
        return f"{sentence} Premier pas : {attrs['premier_pas']}."
