import pytest
from allauth.mfa.totp.internal.auth import TOTP

from tests.factories import EntrepriseFactory, UtilisateurFactory, member

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
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_process_caches():
    """Per-process caches (current questionnaire, reference indexes) must not outlive a test's
    rolled-back database."""
    from osezia.diagnostics import services
    from osezia.referentiels.queries import clear_caches

    services.forget_current_questionnaire()
    services._as_data.cache_clear()
    clear_caches()
    yield


@pytest.fixture(autouse=True)
def _private_search_index(settings, tmp_path_factory):
    """Each test session (and xdist worker) gets its own empty search index folder."""
    from osezia.recherche import services

    settings.SEARCH_INDEX_DIR = _private_search_index.path = getattr(
        _private_search_index, "path", None
    ) or tmp_path_factory.mktemp("index")
    services.reset_index_cache()
    services.get_index().create()
    yield
    services.reset_index_cache()


@pytest.fixture
def empty_index(settings, tmp_path):
    """A fresh, empty search index for one test."""
    from osezia.recherche import services

    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    services.reset_index_cache()
    services.get_index().create()
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
