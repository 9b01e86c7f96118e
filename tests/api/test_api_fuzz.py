"""Property-based fuzzing of the public API from its OpenAPI schema (schemathesis): whatever
the input, no server error and every answer (status, body) matches the documented schema.

A well-typed request may still be refused with a French 422 when it names codes that do not
exist (a NAF code, a department, a question): the schema cannot list them, so the check that
every schema-valid request is accepted is the one left out."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from config.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
public = schema.include(
    path_regex=r"^/api/v1/(referentiels|entreprises/(categorie-taille|verification-siret)|diagnostics/(rapide|questionnaire)|catalogue/solutions|academie/(formations|tutoriels|parcours|compteurs|attestations))"
)


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


@pytest.mark.django_db
@public.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_public_endpoints_never_fail(case):
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
