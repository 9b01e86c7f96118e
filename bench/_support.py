"""Shared helpers of the benchmarks: a throw-away database and a served app (nothing written
into the tree)."""

import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def emit(**fields) -> None:
    fields.setdefault("date", datetime.now(UTC).strftime("%Y-%m-%d"))
    fields.setdefault(
        "machine",
        f"{platform.machine()} {os.cpu_count()} cœurs, Python {platform.python_version()}",
    )
    print(json.dumps(fields, ensure_ascii=False), flush=True)


def temp_environment(database_url: str | None = None) -> dict:
    """Environment variables for a fresh SQLite file in a temporary folder (or DATABASE_URL)."""
    var_dir = tempfile.mkdtemp(prefix="osezia-bench-")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({"OSEZIA_VAR_DIR": var_dir, "DJANGO_SETTINGS_MODULE": "config.settings"})
    # Capacity benchmarks measure the app, not the API's per-client limits (bench_limites does).
    for name in ("API_RATE_TOKEN", "API_RATE_USER", "API_RATE_ANON", "API_RATE_ADDRESS"):
        env.setdefault(name, "10000000")
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def setup_django(env: dict) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def manage(env: dict, *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(env: dict, workers: int, extra_args=()) -> tuple[subprocess.Popen, str]:
    manage(env, "ensure_secret_key")  # every worker signs sessions with the same key
    port = free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [
            str(gunicorn),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            *extra_args,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(url + "/api/v1/referentiels/publics", timeout=1)
            return process, url
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("server did not start")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))
    return ordered[index]
