"""Catalogue search quality: NDCG@10 on the evaluation catalogue and queries (tests/recherche/data),
and the trap queries whose forbidden solutions must not be on the first page."""

import json

from _support import ROOT, emit, setup_django, temp_environment

env = temp_environment()
setup_django(env)

from django.conf import settings  # noqa: E402

settings.SEARCH_INDEX_DIR = env["OSEZIA_VAR_DIR"] + "/index"

from osezia.catalogue import search, services  # noqa: E402
from osezia.recherche import services as recherche  # noqa: E402
from osezia.recherche.evaluation import evaluate, trap_failures  # noqa: E402

DATA = ROOT / "tests" / "recherche" / "data"
report = services.import_lines(services.read_lines(DATA / "catalogue_eval.jsonl"))
recherche.rebuild("solution")
queries = json.loads((DATA / "requetes_eval.json").read_text(encoding="utf-8"))["requetes"]


mean, per_query = evaluate(queries, search.ranked_ids)
emit(
    bench="recherche_qualite",
    solutions=report.created,
    requetes=len(queries),
    ndcg_at_10=round(mean, 4),
    seuil=0.88,
    pieges=sum(1 for q in queries if "interdits" in q),
    pieges_rates=trap_failures(queries, search.ranked_ids),
    plus_faibles=[[q, round(s, 3)] for q, s in sorted(per_query, key=lambda x: x[1])[:5]],
)
