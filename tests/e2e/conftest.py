"""Browser journeys: a real server (gunicorn) on a fresh database, driven by Debian's Chromium."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def server_url(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("var")
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update({"OSEZIA_VAR_DIR": str(var_dir), "OSEZIA_FAST_PASSWORD_HASHER": "1"})
    manage = [sys.executable, "manage.py"]
    # The key file first: the two web workers must sign sessions with the same key.
    commands = (
        ["ensure_secret_key"],
        ["migrate", "--noinput"],
        ["seed_demo"],
        ["collectstatic", "--noinput", "-v0"],
    )
    for command in commands:
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, capture_output=True)
    port = _free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "config.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/", timeout=1)  # noqa: S310
            break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        raise RuntimeError("le serveur de test n'a pas démarré")
    yield url
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:  # a loaded machine: do not fail the run on the way out
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium est absent : `make e2e` l'installe (apt-get install chromium).")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def _open(browser, **options):
    context = browser.new_context(locale="fr-FR", **options)
    page = context.new_page()
    page.console_errors = []
    page.on(
        "console",
        lambda message: (
            page.console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    return page


@pytest.fixture
def page(browser):
    page = _open(browser)
    yield page
    page.context.close()


@pytest.fixture
def page_at(browser):
    """`page_at(375)`: a fresh page in its own context, with a viewport of that width."""
    pages = []

    def make(width: int, height: int = 812):
        pages.append(_open(browser, viewport={"width": width, "height": height}))
        return pages[-1]

    yield make
    for page in pages:
        page.context.close()
