"""Quality on the evaluation set: an advisor's expected families in the top 5, no absurd one."""

from collections import Counter
from pathlib import Path

import pytest

from osezia.diagnostics.evaluation import evaluate, load_cases
from osezia.entreprises.taille import size_category

EVAL_FILE = Path(__file__).resolve().parent / "data" / "eval_cas_usage.jsonl"


@pytest.fixture(scope="module")
def cases():
    return load_cases(EVAL_FILE)


def test_the_set_is_varied(cases):
    import csv

    assert len(cases) >= 60
    root = Path(__file__).resolve().parents[2]
    with open(
        root / "osezia/referentiels/data/naf_rev2_sous_classes.csv", encoding="utf-8"
    ) as handle:
        section_of = {row["code"]: row["section"] for row in csv.DictReader(handle)}
    assert {section_of[c["naf"]] for c in cases} == set("ABCDEFGHIJKLMNOPQRSTU")
    sizes = Counter(
        size_category(c["effectif"], c.get("chiffre_affaires_eur")).categorie for c in cases
    )
    assert set(sizes) == {"TPE", "PME", "ETI", "GE"}
    # A vague line: one short sentence, as leaders often write.
    vague = [
        c
        for c in cases
        if len(c["description"].split()) <= 18 and c["description"].rstrip(".?! ").count(".") == 0
    ]
    assert len(vague) >= len(cases) / 3


def test_recall_at_5_and_no_absurd_family(cases):
    report = evaluate(cases)
    assert report.recall_at_5 >= 0.85, f"recall@5 = {report.recall_at_5:.3f}"
    assert report.clean_rate >= 0.95, f"cas sans famille absurde = {report.clean_rate:.3f}"
