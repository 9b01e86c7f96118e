"""Search quality on an evaluation catalogue and queries written independently of the engine."""

import json
from pathlib import Path

import pytest

from osezia.catalogue import search, services
from osezia.recherche import services as recherche
from osezia.recherche.evaluation import evaluate, ndcg_at

DATA = Path(__file__).resolve().parent / "data"


def test_ndcg_formula():
    judgments = {"a": 3, "b": 2, "c": 1}
    assert ndcg_at(["a", "b", "c"], judgments) == pytest.approx(1.0)
    assert ndcg_at(["c", "b", "a"], judgments) < 0.9
    assert ndcg_at(["x", "y"], judgments) == 0.0


def test_ndcg_at_10_on_the_evaluation_set(db, empty_index):
    lines = services.read_lines(DATA / "catalogue_eval.jsonl")
    report = services.import_lines(lines)
    assert not report.errors and report.created == 90
    recherche.rebuild("solution")
    queries = json.loads((DATA / "requetes_eval.json").read_text(encoding="utf-8"))["requetes"]
    assert len(queries) >= 40
    mean, per_query = evaluate(queries, search.ranked_ids)
    worst = sorted(per_query, key=lambda x: x[1])[:5]
    print(f"NDCG@10 = {mean:.3f}; les plus faibles : {worst}")
    assert mean >= 0.85, f"NDCG@10 = {mean:.3f}; les plus faibles : {worst}"
