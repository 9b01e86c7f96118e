"""Search quality: NDCG@k of ranked results against graded judgments, and the first page's
precision against documents that must not be on it (pure Python)."""

import math
from collections.abc import Callable


def dcg(gains: list[float]) -> float:
    return sum((2**g - 1) / math.log2(rank + 2) for rank, g in enumerate(gains))


def ndcg_at(ranked_ids: list[str], judgments: dict[str, int], k: int = 10) -> float:
    gains = [judgments.get(doc, 0) for doc in ranked_ids[:k]]
    ideal = sorted(judgments.values(), reverse=True)[:k]
    best = dcg(ideal)
    return dcg(gains) / best if best else 0.0


def evaluate(
    queries: list[dict], run: Callable[[dict], list[str]], k: int = 10
) -> tuple[float, list[tuple[str, float]]]:
    """Mean NDCG@k over the queries; `run(query)` returns the ranked ids for one query."""
    scores = [(q["id"], ndcg_at(run(q), q["jugements"], k)) for q in queries]
    return sum(s for _, s in scores) / len(scores), scores


def trap_failures(
    queries: list[dict], run: Callable[[dict], list[str]], k: int = 10
) -> list[tuple[str, list[str]]]:
    """Precision of the first page: for each query listing `interdits` (documents that must
    not be among its first k results), the forbidden documents found there; only the
    queries with at least one appear."""
    failures = []
    for query in queries:
        if "interdits" not in query:
            continue
        found = [doc for doc in run(query)[:k] if doc in set(query["interdits"])]
        if found:
            failures.append((query["id"], found))
    return failures
