"""Use-case engine: quality on the evaluation set and time to score one company (in-process)."""

import time

from _support import ROOT, emit, percentile

from osezia.diagnostics.engine import Company, Engine, default_knowledge
from osezia.diagnostics.evaluation import evaluate, load_cases
from osezia.entreprises.taille import size_category

cases = load_cases(ROOT / "tests" / "diagnostics" / "data" / "eval_cas_usage.jsonl")
engine = Engine(default_knowledge())
report = evaluate(cases, engine)
emit(
    bench="cas_usage_qualite",
    cases=len(cases),
    recall_at_5=round(report.recall_at_5, 4),
    cas_sans_famille_absurde=round(report.clean_rate, 4),
    seuils={"recall_at_5": 0.85, "cas_sans_famille_absurde": 0.95},
)

companies = [
    Company(
        naf=c["naf"],
        size=size_category(c["effectif"], c.get("chiffre_affaires_eur")).categorie,
        department=c.get("departement"),
        description=c["description"],
    )
    for c in cases
]
for company in companies:  # warm the caches of a long-running process
    engine.evaluate(company)
timings = []
for _ in range(20):
    for company in companies:
        start = time.perf_counter()
        engine.evaluate(company)
        timings.append((time.perf_counter() - start) * 1000)
cold_engine = Engine(default_knowledge())
start = time.perf_counter()
cold_engine.evaluate(
    Company(
        naf="10.71C",
        size="TPE",
        description="Mes nouveaux clients m'écrivent des courriels incompréhensibles à traiter",
    )
)
emit(
    bench="cas_usage_une_entreprise",
    evaluations=len(timings),
    p50_ms=round(percentile(timings, 50), 3),
    p95_ms=round(percentile(timings, 95), 3),
    max_ms=round(max(timings), 3),
    premiere_description_inconnue_ms=round((time.perf_counter() - start) * 1000, 3),
    seuil_ms=5,
)
