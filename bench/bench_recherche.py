"""Catalogue search with 20,000 indexed solutions: full re-index time, search latency in
process (p95) and through the API with 20 concurrent clients (p95).

The 20,000 solutions are variations of the 130 demo solutions (names, sectors, sizes, prices
and hosting varied), imported into a throw-away database and indexed."""

import http.client
import json
import os
import random
import threading
import time
from urllib.parse import quote, urlparse

from _support import ROOT, emit, percentile, serve, setup_django, temp_environment

N = int(os.environ.get("BENCH_N", "20000"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "20"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "50"))
env = temp_environment(os.environ.get("BENCH_DATABASE_URL"))
setup_django(env)

from osezia.catalogue import search, services  # noqa: E402
from osezia.recherche import services as recherche  # noqa: E402

random.seed(20)
with open(ROOT / "osezia/catalogue/data/demo_solutions.jsonl", encoding="utf-8") as handle:
    demo = [json.loads(x) for x in handle]
sectors = ["C", "10.71C", "43", "47.11C", "56.10A", "F", "49.41A", "69.20Z", "86", "01", "G", "J"]
suffixes = ["Pro", "Plus", "Express", "Cloud", "Atelier", "Région", "Flex", "One"]


def variations():
    for i in range(N):
        line = json.loads(json.dumps(demo[i % len(demo)]))
        line["id_externe"] = f"{line['id_externe']}-{i}"
        line["nom"] = f"{line['nom']} {random.choice(suffixes)} {i}"
        line["secteurs"] = random.sample(sectors, k=random.randint(0, 2))
        line["tailles"] = random.sample(["TPE", "PME", "ETI", "GE"], k=random.randint(1, 4))
        line["hebergement"] = random.choice(["france", "france", "ue", "hors_ue"])
        yield i + 1, line, None


start = time.perf_counter()
report = services.import_lines(variations())
assert report.created == N, report.errors[:3]
import_seconds = time.perf_counter() - start

start = time.perf_counter()
recherche.rebuild("solution")
rebuild_seconds = time.perf_counter() - start
assert recherche.get_index().count("solution") == N
emit(
    bench="reindexation",
    solutions=N,
    secondes=round(rebuild_seconds, 1),
    seuil_secondes=30,
    import_secondes=round(import_seconds, 1),
)

queries = [
    ("devis artisan", {}),
    ("factures fournisseurs", {}),
    ("facturs fournisseur automatique", {}),
    ("chatbot restaurant", {"famille": ["RELATION_CLIENT"]}),
    ("le bot qui repond aux clients", {}),
    ("maintenace predictive machines", {}),
    ("prevision des ventes boulangerie", {"taille": ["TPE"]}),
    ("traduction", {"hebergement": ["france"]}),
    ("planning equipes", {}),
    ("", {"famille": ["VENTE"]}),
    ("cybersecurite phishing", {}),
    ("tournees livraison", {"deploiement": ["saas"]}),
    ("comptabilite", {}),
    ("controle qualite vision", {}),
    ("je cherche un outil pour faire mes devis plus vite", {}),
]
sector_filters = [None, "43.22A", "10.71C", "C"]
for text, filters in queries:  # warm-up
    search.run(search.read({"q": text, "page_size": 10, **filters}))
timings = []
for _ in range(20):
    for text, filters in queries:
        secteur = random.choice(sector_filters)
        start = time.perf_counter()
        request = search.read({"q": text, "secteur": secteur, "page_size": 10, **filters})
        search.run(request, snippets=bool(text))
        timings.append((time.perf_counter() - start) * 1000)
facet_timings = []
for text, filters in queries:
    start = time.perf_counter()
    search.run(search.read({"q": text, **filters}), facets=True, snippets=bool(text))
    facet_timings.append((time.perf_counter() - start) * 1000)
emit(
    bench="recherche_en_processus",
    solutions=N,
    recherches=len(timings),
    p50_ms=round(percentile(timings, 50), 2),
    p95_ms=round(percentile(timings, 95), 2),
    seuil_p95_ms=20,
    avec_facettes_p95_ms=round(percentile(facet_timings, 95), 2),
)

env["SEARCH_INDEX_DIR"] = str(recherche.get_index().root)
process, url = serve(env, int(os.environ.get("BENCH_WEB_WORKERS", "4")))
host = urlparse(url)
api_timings, errors, lock = [], [], threading.Lock()


def client(index):
    connection = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
    local = []
    for i in range(REQUESTS):
        text, filters = queries[(index + i) % len(queries)]
        params = f"q={quote(text)}&page_size=10" + "".join(
            f"&{k}={v[0]}" for k, v in filters.items()
        )
        start = time.perf_counter()
        connection.request("GET", "/api/v1/catalogue/solutions?" + params)
        response = connection.getresponse()
        response.read()
        local.append((time.perf_counter() - start) * 1000)
        if response.status != 200:
            errors.append(response.status)
    with lock:
        api_timings.extend(local)


try:
    warm = [threading.Thread(target=client, args=(i,)) for i in range(4)]
    for t in warm:
        t.start()
    for t in warm:
        t.join()
    api_timings.clear()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
finally:
    process.terminate()
    process.wait(timeout=10)
emit(
    bench="recherche_api",
    solutions=N,
    clients=CLIENTS,
    requetes=len(api_timings),
    erreurs=len(errors),
    p50_ms=round(percentile(api_timings, 50), 1),
    p95_ms=round(percentile(api_timings, 95), 1),
    requetes_par_seconde=round(len(api_timings) / elapsed),
    seuil_p95_ms=60,
)
