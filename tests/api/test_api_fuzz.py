"""Property-based fuzzing of the API from its OpenAPI schema (schemathesis): whatever the
input, no server error.

The public endpoints are also checked against the documented schema (status, body). A
well-typed request may still be refused with a French 422 when it names codes that do not
exist (a NAF code, a department, a question): the schema cannot list them, so the check that
every schema-valid request is accepted is the one left out.

The endpoints behind a session are fuzzed logged in (session cookie and CSRF header), as a
company administrator who is also a learner; the provider endpoints with a provider token,
whose bodies are described by the exchange format's schema, so that many generated bodies are
valid and reach the services. For those two only "no 5xx" is checked."""

import json

import pytest
import schemathesis
from django.middleware.csrf import _get_new_csrf_string
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import positive_data_acceptance

from config.wsgi import application
from osezia.api.api import api

# The schema as /api/openapi.json serves it, built without a request: collecting the tests has
# no database, and every API request is counted (rate limits) in the database.
schema = schemathesis.openapi.from_dict(
    json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/")))
)
schema.app = application
public = schema.include(
    path_regex=r"^/api/v1/(referentiels|entreprises/(categorie-taille|verification-siret)|diagnostics/(rapide|questionnaire)|catalogue/solutions|academie/(formations|tutoriels|parcours|compteurs|attestations))"
)
with_session = schema.include(
    path_regex=r"^/api/v1/(entreprises|diagnostics|academie/(profil|inscriptions|sessions|tutoriels/[^/]+/quiz))"
).exclude(
    path_regex=r"^/api/v1/(entreprises/(categorie-taille|verification-siret)|diagnostics/(rapide|questionnaire))"
)
with_token = schema.include(path_regex=r"^/api/v1/catalogue/fournisseur/")


STATUSES = []


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Calls go through the WSGI handler, whose request signals would close the database
    connection of the test transaction (Django's test client disconnects them the same way)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def session(admin_a):
    """A logged-in company administrator with a learner profile: the session cookie and the
    CSRF cookie and header a browser would send."""
    from django.test import Client

    from osezia.academie import services as academie

    academie.set_profile(admin_a, "DIRIGEANT", "69")
    client = Client()
    client.force_login(admin_a)
    csrf = _get_new_csrf_string()
    return {
        "headers": {"X-CSRFToken": csrf},
        "cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf},
    }


@pytest.fixture
def token_headers(make_user):
    from osezia.catalogue import services
    from tests.catalogue.conftest import siren

    user = make_user()
    fournisseur = services.register_provider(user, "Essai Logiciels (fictif)", siren(1))
    return {"Authorization": f"Bearer {services.create_token(fournisseur, user, 'fuzz')}"}


@pytest.mark.django_db
@public.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_public_endpoints_never_fail(case):
    case.call_and_validate(excluded_checks=[positive_data_acceptance])


@pytest.mark.django_db
@with_session.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_session_endpoints_never_fail(case, session):
    response = case.call(**session)
    case.validate_response(response, checks=[not_a_server_error])


@pytest.mark.django_db
@with_token.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_provider_endpoints_never_fail(case, token_headers):
    response = case.call(headers=token_headers)
    case.validate_response(response, checks=[not_a_server_error])
    STATUSES.append((case.method, response.status_code))
