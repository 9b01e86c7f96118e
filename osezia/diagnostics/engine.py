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
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from osezia.langue.texte import Lexicon, TextAnalysis, french_words, lexicon_data
from osezia.referentiels import codes

DATA_DIR = Path(__file__).resolve().parent / "data"
REFERENTIELS_DIR = Path(__file__).resolve().parents[1] / "referentiels" / "data"

QUICK_WIN, STRUCTURANT, A_PREPARER = "quick_win", "projet_structurant", "a_preparer"
MATURITY_FOR_FEASIBILITY = ("DONNEES", "COMPETENCES", "OUTILS")
DIMENSION_WORDS = {
    "DONNEES": "données",
    "COMPETENCES": "compétences",
    "OUTILS": "outils numériques",
}
SECTOR_WEIGHT, DEMAND_WEIGHT = 0.55, 0.6


@dataclass(frozen=True)
class Company:
    naf: str
    size: str
    department: str | None = None
    description: str = ""
    maturity: dict[str, int] | None = None
    priorities: dict[str, tuple[float, list[str]]] = field(default_factory=dict)
    usages: dict[str, str] = field(default_factory=dict)


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


class Engine:
    def __init__(self, knowledge: Knowledge | None = None):
        self.k = knowledge or default_knowledge()

    def evaluate(self, company: Company) -> list[UseCase]:
        sector = self.k.sector(company.naf)
        text = (
            self.k.lexicon.analyse(company.description) if company.description else TextAnalysis()
        )
        settings = self.k.families
        means = settings["moyens_taille"][company.size]
        default_maturity = settings["maturite_par_defaut"][company.size]
        results = []
        for family in self.k.codes:
            attrs = settings["familles"][family]
            info = sector.families.get(family)
            absurd = family in sector.absurd
            sector_part = 0.0 if absurd else (info["pertinence"] if info else attrs["transversale"])
            text_signal = text.signal(family)
            priority_weight = company.priorities.get(family, (0.0, []))[0]
            demand = 1 - (1 - text_signal) * (1 - priority_weight)
            if info is None and attrs["transversale"] == 0:
                # A specialised family the sector does not list (SANTE for a laundry that
                # names its hospital clients): the words alone are weaker evidence.
                demand *= 0.5
            size_factor = attrs["taille"][company.size]
            if absurd:
                raw = 0.5 * DEMAND_WEIGHT * demand  # only a clearly stated need lifts it
            else:
                raw = (SECTOR_WEIGHT * sector_part + DEMAND_WEIGHT * demand) * size_factor
            value = round(100 * _clamp(raw / 0.95))

            maturity = company.maturity or {}
            needs = attrs["exigences"]
            readiness = sum(w * maturity.get(d, default_maturity) for d, w in needs.items()) / 100
            stage = company.usages.get(family)
            if stage in ("EN_TEST", "EN_PRODUCTION"):
                readiness = max(readiness, 0.8)
            feasibility = round(
                100 * _clamp(0.4 * (1 - attrs["complexite"]) + 0.35 * readiness + 0.25 * means)
            )

            if feasibility < 40:
                priority = A_PREPARER
            elif attrs["complexite"] >= 0.6 or (value >= 60 and feasibility < 60):
                priority = STRUCTURANT
            else:
                priority = QUICK_WIN
            score = round(value / 100 * (0.8 + 0.2 * feasibility / 100), 3)
            justification = self._justify(
                family, sector, info, absurd, text, company, priority, feasibility, stage
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
        results.sort(key=lambda u: (-u.score, -u.valeur, u.famille))
        return results

    def _justify(
        self, family, sector, info, absurd, text, company, priority, feasibility, stage
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
        else:
            parts.append("c'est un usage transversal, utile dans la plupart des entreprises")
        if stage == "EN_PRODUCTION":
            parts.append("vous l'utilisez déjà en production : il s'agit de l'étendre")
        elif stage == "EN_TEST":
            parts.append("vous le testez déjà : il s'agit de le généraliser")
        size = company.size
        attrs = self.k.families["familles"][family]
        if size == "TPE" and attrs["complexite"] <= 0.3:
            parts.append(
                "des outils prêts à l'emploi suffisent à une TPE, sans projet informatique"
            )
        elif size in ("TPE", "PME") and attrs["complexite"] >= 0.6:
            parts.append(
                f"pour une {size}, ce projet demande un accompagnement et un budget dédiés"
            )
        if company.maturity:
            weakest = min(MATURITY_FOR_FEASIBILITY, key=lambda d: company.maturity.get(d, 0))
            if priority == A_PREPARER:
                parts.append(
                    f"à préparer d'abord : votre score en {DIMENSION_WORDS[weakest]} "
                    f"({company.maturity.get(weakest, 0)}/100) est encore faible"
                )
        elif priority == A_PREPARER:
            parts.append("à préparer d'abord : il demande des données et des compétences à réunir")
        sentence = " ; ".join(parts)
        first = attrs["premier_pas"]
        return f"{sentence[0].upper()}{sentence[1:]}. Premier pas : {first}."
