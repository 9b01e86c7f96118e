"""Diagnostic PDF: first render against a cached copy, and a burst of simultaneous downloads
against two sync gunicorn workers, with and without the cache and the per-client render cap.

A probe requests a light page every 50 ms during each burst: its latency is what every other
visitor feels while the workers render. The « sans protection » server runs the same code with
the cache off (`PDF_CACHE_SECONDS=0`) and no caps (`PDF_RENDERS_PER_CLIENT` and
`PDF_MAX_CONCURRENT_RENDERS` at 1000), as before; the other one runs the defaults.
"""

import http.client
import json
import os
import shutil
import statistics
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

from _support import ROOT, emit, percentile, serve, setup_django, temp_environment

BURST = int(os.environ.get("BENCH_BURST", "8"))
WORKERS = int(os.environ.get("BENCH_WEB_WORKERS", "2"))

env = temp_environment(os.environ.get("BENCH_DATABASE_URL"))
setup_django(env)

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

from osezia.diagnostics import services  # noqa: E402
from osezia.diagnostics.questionnaire import Questionnaire  # noqa: E402
from tests.comptes.factories import UtilisateurFactory, member  # noqa: E402
from tests.diagnostics.factories import all_answers  # noqa: E402
from tests.entreprises.factories import EntrepriseFactory  # noqa: E402

questionnaire = Questionnaire.from_dict(
    json.loads((ROOT / "osezia/diagnostics/data/questionnaire_v1.json").read_text("utf-8"))
)


def owner_with_diagnostics(count: int) -> tuple[str, list[str]]:
    """A person with `count` completed diagnostics; their session cookie and the PDF paths."""
    person = UtilisateurFactory()
    company = EntrepriseFactory()
    member(person, company, admin=True)
    paths = []
    for i in range(count):
        diagnostic = services.submit(
            person, company, all_answers(questionnaire, ["min", "second", "max"][i % 3])
        )
        paths.append(f"/diagnostic/{diagnostic.uuid}/pdf/")
    client = Client()
    client.force_login(person)
    return client.cookies[settings.SESSION_COOKIE_NAME].value, paths


# In process: the first render (WeasyPrint and its fonts already loaded), then copies from the
# cache.
from osezia.socle.pdf import render_pdf  # noqa: E402

render_pdf("<p>Mise en route</p>")
cookie, (path,) = owner_with_diagnostics(1)
client = Client()
client.cookies[settings.SESSION_COOKIE_NAME] = cookie
start = time.perf_counter()
assert client.get(path).status_code == 200
first_ms = (time.perf_counter() - start) * 1000
cached = []
for _ in range(10):
    start = time.perf_counter()
    assert client.get(path).status_code == 200
    cached.append((time.perf_counter() - start) * 1000)
emit(
    bench="pdf_diagnostic",
    mesure="en processus",
    premier_rendu_ms=round(first_ms, 1),
    copie_en_cache_p50_ms=round(statistics.median(cached), 1),
)


def get(host, path: str, cookie: str | None = None) -> tuple[int, float]:
    connection = http.client.HTTPConnection(host.hostname, host.port, timeout=60)
    headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"} if cookie else {}
    start = time.perf_counter()
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status, (time.perf_counter() - start) * 1000


def burst(host, cookie: str, paths: list[str]) -> dict:
    statuses: list[int] = []
    probes: list[float] = []
    done = threading.Event()

    def download(p):
        status, _ = get(host, p, cookie)
        statuses.append(status)

    def probe():
        while not done.is_set():
            probes.append(get(host, "/api/v1/referentiels/publics")[1])
            time.sleep(0.05)

    prober = threading.Thread(target=probe)
    threads = [threading.Thread(target=download, args=(p,)) for p in paths]
    start = time.perf_counter()
    prober.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    done.set()
    prober.join()
    return {
        "duree_rafale_s": round(elapsed, 2),
        "reponses": {str(s): statuses.count(s) for s in sorted(set(statuses))},
        "sonde_p50_ms": round(percentile(probes, 50), 1),
        "sonde_max_ms": round(max(probes), 1),
    }


scenarios = {
    "sans protection": {
        "PDF_CACHE_SECONDS": "0",
        "PDF_RENDERS_PER_CLIENT": "1000",
        "PDF_MAX_CONCURRENT_RENDERS": "1000",
    },
    "avec cache et plafond": {},
}
for name, extra in scenarios.items():
    shutil.rmtree(Path(env["OSEZIA_VAR_DIR"]) / "cache" / "pdf", ignore_errors=True)
    warm_cookie, warm_paths = owner_with_diagnostics(WORKERS)
    cookie, paths = owner_with_diagnostics(BURST)
    process, url = serve({**env, **extra}, WORKERS)
    host = urlparse(url)
    try:
        # Warm-up: each worker loads WeasyPrint and its fonts once.
        warm = [threading.Thread(target=get, args=(host, p, warm_cookie)) for p in warm_paths]
        for t in warm:
            t.start()
        for t in warm:
            t.join()
        distinct = burst(host, cookie, paths)
        emit(
            bench="pdf_diagnostic",
            mesure=f"{BURST} PDF différents à la fois",
            serveur=name,
            workers_gunicorn=WORKERS,
            **distinct,
        )
    finally:
        process.terminate()
        process.wait(timeout=10)
    # The same document asked BURST times at once by someone else (a fresh client).
    third_cookie, third_paths = owner_with_diagnostics(1)
    process, url = serve({**env, **extra}, WORKERS)
    host = urlparse(url)
    try:
        warm = [threading.Thread(target=get, args=(host, p, warm_cookie)) for p in warm_paths]
        for t in warm:
            t.start()
        for t in warm:
            t.join()
        same = burst(host, third_cookie, third_paths * BURST)
        emit(
            bench="pdf_diagnostic",
            mesure=f"le même PDF {BURST} fois à la fois",
            serveur=name,
            workers_gunicorn=WORKERS,
            **same,
        )
    finally:
        process.terminate()
        process.wait(timeout=10)
