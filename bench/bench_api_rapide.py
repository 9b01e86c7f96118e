"""POST /api/v1/diagnostics/rapide against the served app (gunicorn) with 20 concurrent clients.

The server runs on a throw-away SQLite database (or BENCH_DATABASE_URL); clients replay the
evaluation-set companies (varied sectors, sizes, descriptions), half of them with answers.
"""

import http.client
import json
import os
import random
import threading
import time
from urllib.parse import urlparse

from _support import ROOT, emit, manage, percentile, serve, temp_environment

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "20"))
REQUESTS_PER_CLIENT = int(os.environ.get("BENCH_REQUESTS", "100"))
WORKERS = int(os.environ.get("BENCH_WEB_WORKERS", "4"))

env = temp_environment(os.environ.get("BENCH_DATABASE_URL"))
manage(env, "migrate", "--noinput")
process, url = serve(env, WORKERS)
host = urlparse(url)

with open(ROOT / "tests/diagnostics/data/eval_cas_usage.jsonl", encoding="utf-8") as handle:
    cases = [json.loads(line) for line in handle]
conn = http.client.HTTPConnection(host.hostname, host.port)
conn.request("GET", "/api/v1/diagnostics/questionnaire")
questionnaire = json.loads(conn.getresponse().read())
conn.close()
random.seed(7)


def body(case: dict, with_answers: bool) -> bytes:
    payload = {
        "naf": case["naf"],
        "effectif": case["effectif"],
        "departement": case["departement"],
        "description": case["description"],
    }
    if case.get("chiffre_affaires_eur") is not None:
        payload["chiffre_affaires_eur"] = case["chiffre_affaires_eur"]
    if with_answers:
        payload["reponses"] = {
            q["code"]: (
                [random.choice(q["options"])["code"]]
                if q["type"] == "choix_multiple"
                else random.choice(q["options"])["code"]
            )
            for q in questionnaire["questions"]
        }
    return json.dumps(payload).encode()


timings: list[float] = []
errors: list[int] = []
lock = threading.Lock()


def client(index: int) -> None:
    connection = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
    local, bad = [], []
    for i in range(REQUESTS_PER_CLIENT):
        data = body(cases[(index * REQUESTS_PER_CLIENT + i) % len(cases)], with_answers=i % 2 == 0)
        start = time.perf_counter()
        connection.request(
            "POST",
            "/api/v1/diagnostics/rapide",
            body=data,
            headers={"Content-Type": "application/json"},
        )
        response = connection.getresponse()
        response.read()
        local.append((time.perf_counter() - start) * 1000)
        if response.status != 200:
            bad.append(response.status)
        if response.getheader("Connection", "").lower() == "close":
            connection.close()
            connection = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
    with lock:
        timings.extend(local)
        errors.extend(bad)


try:
    # Warm-up: every worker loads the reference data and the engine once.
    warm = [threading.Thread(target=client, args=(i,)) for i in range(WORKERS)]
    for t in warm:
        t.start()
    for t in warm:
        t.join()
    timings.clear()
    errors.clear()
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
    bench="api_diagnostic_rapide",
    base="postgresql" if os.environ.get("BENCH_DATABASE_URL") else "sqlite",
    clients=CLIENTS,
    requetes=len(timings),
    erreurs=len(errors),
    workers_gunicorn=WORKERS,
    p50_ms=round(percentile(timings, 50), 1),
    p95_ms=round(percentile(timings, 95), 1),
    p99_ms=round(percentile(timings, 99), 1),
    requetes_par_seconde=round(len(timings) / elapsed),
    seuil_p95_ms=50,
)
