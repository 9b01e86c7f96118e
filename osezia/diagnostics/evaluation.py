"""Measuring the use-case engine on an evaluation set (pure Python).

Each case is a company with the families an advisor expects in the top 5 (`attendues`) and
those that would be absurd there (`absurdes`). Recall@5 is the share of expected families
found in the top 5, averaged over cases; a case is clean when no absurd family is in its top 5.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from osezia.entreprises.taille import size_category

from .engine import Company, Engine


@dataclass(frozen=True)
class CaseResult:
    id: str
    top5: list[str]
    expected: list[str]
    absurd_in_top5: list[str]

    @property
    def recall(self) -> float:
        return sum(f in self.top5 for f in self.expected) / len(self.expected)


@dataclass(frozen=True)
class Report:
    cases: list[CaseResult]

    @property
    def recall_at_5(self) -> float:
        return sum(c.recall for c in self.cases) / len(self.cases)

    @property
    def clean_rate(self) -> float:
        return sum(not c.absurd_in_top5 for c in self.cases) / len(self.cases)


def load_cases(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def evaluate(cases: list[dict], engine: Engine | None = None) -> Report:
    engine = engine or Engine()
    results = []
    for case in cases:
        size = size_category(
            case["effectif"], case.get("chiffre_affaires_eur"), case.get("total_bilan_eur")
        )
        ranked = engine.evaluate(
            Company(
                naf=case["naf"],
                size=size.categorie,
                department=case.get("departement"),
                description=case.get("description", ""),
            )
        )
        top5 = [u.famille for u in ranked[:5]]
        results.append(
            CaseResult(
                id=case["id"],
                top5=top5,
                expected=case["attendues"],
                absurd_in_top5=[f for f in case.get("absurdes", []) if f in top5],
            )
        )
    return Report(results)
