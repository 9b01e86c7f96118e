import os
import subprocess
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client

from tests.comptes.factories import PASSWORD, UtilisateurFactory, member
from tests.entreprises.factories import EntrepriseFactory

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def login_with_code(client, user):
    """Log `user` in as a completed login with the second factor would (password, then TOTP
    code): what operators need for any page. The real flow is tested in comptes/test_mfa."""
    import time

    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )

    client.force_login(user)
    session = client.session
    now = time.time()
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": now, "email": user.email},
        {"method": "mfa", "at": now, "type": "totp"},
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()
    return client


@pytest.fixture
def make_user(db):
    def make(*roles, **kwargs):
        return UtilisateurFactory(roles=list(roles), **kwargs)

    return make


@pytest.fixture
def logged_in_client(make_user):
    """A browser logged in as a new user without any role."""
    client = Client()
    client.login(email=make_user().email, password=PASSWORD)
    return client


@pytest.fixture
def operator(make_user):
    from osezia.comptes.services import grant_role

    user = make_user()
    grant_role(user, "OPERATEUR")
    TOTP.activate(user, TOTP_SECRET)
    return user


@pytest.fixture
def company_a(db):
    return EntrepriseFactory(denomination="Boulangerie Alpha")


@pytest.fixture
def company_b(db):
    return EntrepriseFactory(denomination="Garage Bêta")


@pytest.fixture
def admin_a(make_user, company_a):
    user = make_user()
    member(user, company_a, admin=True)
    return user


@pytest.fixture
def member_a(make_user, company_a):
    user = make_user()
    member(user, company_a)
    return user


@pytest.fixture
def member_b(make_user, company_b):
    user = make_user()
    member(user, company_b, admin=True)
    return user


@pytest.fixture(autouse=True)
def _reference_data_after_a_flush(request):
    """A test on a real transaction ends with a flush of every table, reference data included
    (loaded by data migrations): the next such test in the same worker would find no NAF code,
    department or questionnaire. Reload them, idempotently, before each of these tests."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or (
        marker is not None and marker.kwargs.get("transaction")
    )
    if not transactional:
        return
    request.getfixturevalue("transactional_db")
    from osezia.diagnostics.models import Questionnaire
    from osezia.diagnostics.services import load_questionnaire_file
    from osezia.referentiels.models import Departement
    from osezia.referentiels.services import load_referentiels

    if not Departement.objects.exists():
        load_referentiels()
    if not Questionnaire.objects.exists():
        load_questionnaire_file()


@pytest.fixture(autouse=True)
def _steady_rate_windows(monkeypatch):
    """Rate-limit windows are fixed (a minute, an hour, a day): a test that counts calls must
    not see its count start afresh because the clock crossed a boundary in the middle. The
    limiter's clock stands still, one second into the current day (every period divides a
    day); a test that needs time to pass moves it itself."""
    import time

    from osezia.socle import ratelimit

    pinned = time.time() // 86400 * 86400 + 1
    monkeypatch.setattr(ratelimit, "clock", lambda: pinned)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_process_caches():
    """Per-process caches (current questionnaire, reference indexes) must not outlive a test's
    rolled-back database."""
    from osezia.consultation.services import resultats
    from osezia.diagnostics import services
    from osezia.referentiels.queries import clear_caches

    resultats.forget_deferred()
    services.forget_current_questionnaire()
    services._as_data.cache_clear()
    clear_caches()
    yield


@pytest.fixture(autouse=True)
def _private_search_index(settings, tmp_path_factory):
    """Each test gets its own empty search index folder: nothing indexed by one test (nor a
    folder another test removed) is seen by the next, on the same xdist worker or not."""
    from osezia.recherche import services

    settings.SEARCH_INDEX_DIR = tmp_path_factory.mktemp("index")
    services.reset_index_cache()
    services.get_index().create()
    yield
    services.reset_index_cache()


@pytest.fixture
def empty_index():
    """The test's own search index, empty when the test starts."""
    from osezia.recherche import services

    return services.get_index()


@pytest.fixture
def immediate_tasks(settings, django_capture_on_commit_callbacks):
    """Run background tasks at once, after the (captured) commit, as the worker would."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    return django_capture_on_commit_callbacks


@pytest.fixture(scope="session")
def questionnaire():
    """The shipped questionnaire (version 1) as plain data."""
    import json
    from pathlib import Path

    from osezia.diagnostics.questionnaire import Questionnaire

    path = (
        Path(__file__).resolve().parents[1]
        / "osezia"
        / "diagnostics"
        / "data"
        / "questionnaire_v1.json"
    )
    return Questionnaire.from_dict(json.loads(path.read_text(encoding="utf-8")))


ROOT = Path(__file__).resolve().parents[1]
_CACHES = ("__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis", ".venv", "node_modules")


def _tree_state() -> dict[str, tuple] | None:
    """Every changed, untracked or ignored file of the working tree, with its size and time."""
    try:
        listing = subprocess.run(
            ["git", "status", "--porcelain", "-z", "--untracked-files=all", "--ignored"],
            cwd=ROOT,
            capture_output=True,
            check=True,
            timeout=60,
        ).stdout.decode("utf-8", "replace")
    except (OSError, subprocess.SubprocessError):
        return None
    state = {}
    for entry in filter(None, listing.split("\0")):
        path = entry[3:]
        if any(part in _CACHES for part in Path(path).parts) or path.endswith(".pyc"):
            continue
        try:
            stat = os.stat(ROOT / path)
            state[path] = (entry[:2], stat.st_size, stat.st_mtime_ns)
        except OSError:
            state[path] = (entry[:2], None, None)
    return state


def pytest_sessionstart(session):
    if not hasattr(session.config, "workerinput"):  # the controller (or a run without xdist)
        session.config._osezia_tree = _tree_state()


def pytest_sessionfinish(session, exitstatus):
    before = getattr(session.config, "_osezia_tree", None)
    after = _tree_state() if before is not None else None
    if before is None or after is None or after == before:
        return
    changed = sorted(p for p in set(before) | set(after) if before.get(p) != after.get(p))
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(
            "Tests wrote into the working tree (write under tmp_path instead): "
            + ", ".join(changed[:20]),
            red=True,
        )
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
