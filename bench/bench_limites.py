"""Rate limits hold across workers and behind the proxy, through the served app.

gunicorn with BENCH_WORKERS workers (default 3) on a throw-away SQLite database (or
BENCH_DATABASE_URL), trusting one proxy (TRUSTED_PROXY_COUNT=1). Measures:
- wrong passwords on one account before the login refuses even the right one (limit 5 / 5 min);
- anonymous API calls from one address accepted in a minute (limit API_RATE_ANON, here 30),
  sent on fresh connections so that every worker gets some;
- the same from a second address behind the same proxy (its own count);
- the latency of one throttled API call (p50, p95).
"""

import http.client
import os
import re
import statistics
import time
from urllib.parse import urlencode, urlparse

from _support import emit, percentile, serve, setup_django, temp_environment

WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
API_LIMIT = 30
env = temp_environment(os.environ.get("BENCH_DATABASE_URL"))
env.update({"TRUSTED_PROXY_COUNT": "1", "API_RATE_ANON": str(API_LIMIT)})
setup_django(env)

from osezia.comptes.services import create_account  # noqa: E402

PASSWORD = "Une-phrase-de-passe-de-mesure-2030"  # noqa: S105
create_account("mesure@exemple.fr", PASSWORD, ["CITOYEN"], verified=True)

process, url = serve(env, WORKERS)
host = urlparse(url)


def request(method, path, body=None, headers=None, cookies=""):
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
    all_headers = {"X-Forwarded-For": "203.0.113.7", **(headers or {})}
    if cookies:
        all_headers["Cookie"] = cookies
    conn.request(method, path, body=body, headers=all_headers)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response, data


def login_attempt(password: str) -> bool:
    page, html = request("GET", "/comptes/login/")
    cookie = page.getheader("Set-Cookie", "").split(";")[0]
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1).decode()
    response, _ = request(
        "POST",
        "/comptes/login/",
        body=urlencode(
            {"login": "mesure@exemple.fr", "password": password, "csrfmiddlewaretoken": token}
        ),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        cookies=cookie,
    )
    return response.status == 302 and "/espace" in (response.getheader("Location") or "")


try:
    # Wrong passwords, then the right one once 5 have been tried: the first count at which
    # the right password is refused is how many guesses the limit lets through.
    right_refused_after = None
    for wrong in range(1, 21):
        login_attempt("mauvais-mot-de-passe")
        if wrong >= 5 and not login_attempt(PASSWORD):
            right_refused_after = wrong
            break

    def api_burst(address: str, count: int) -> tuple[int, list[float]]:
        accepted, latencies = 0, []
        for _ in range(count):
            start = time.perf_counter()
            response, _ = request(
                "GET", "/api/v1/referentiels/regions", headers={"X-Forwarded-For": address}
            )
            latencies.append((time.perf_counter() - start) * 1000)
            accepted += response.status == 200
        return accepted, latencies

    first, latencies = api_burst("198.51.100.1", API_LIMIT * 3)
    second, _ = api_burst("198.51.100.2", API_LIMIT)
    emit(
        bench="limites",
        workers=WORKERS,
        database="postgresql" if "BENCH_DATABASE_URL" in os.environ else "sqlite",
        cache="redis" if os.environ.get("REDIS_URL") else "base de données",
        wrong_passwords_before_refusal=right_refused_after,
        login_limit=5,
        api_limit_per_minute=API_LIMIT,
        api_accepted_first_address=first,
        api_sent_first_address=API_LIMIT * 3,
        api_accepted_second_address=second,
        api_p50_ms=round(statistics.median(latencies), 2),
        api_p95_ms=round(percentile(latencies, 95), 2),
    )
finally:
    process.terminate()
    process.wait(timeout=10)
