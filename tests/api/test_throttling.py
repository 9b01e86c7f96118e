"""The API counts calls per token, per person and per address in the shared cache."""

import pytest
from django.core.cache import cache
from django.test import Client

from tests.conftest import login_with_code


@pytest.fixture(autouse=True)
def _low_limits(db, settings):
    cache.clear()
    settings.API_RATE_PER_MINUTE = {"jeton": 4, "compte": 3, "anonyme": 2}


def test_anonymous_calls_past_the_limit_get_429_with_retry_after():
    client = Client()
    for _ in range(2):
        assert client.get("/api/v1/referentiels/regions").status_code == 200
    refused = client.get("/api/v1/referentiels/regions")
    assert refused.status_code == 429
    wait = int(refused["Retry-After"])
    assert 1 <= wait <= 60
    assert refused.json()["detail"] == f"Trop de requêtes : réessayez dans {wait} s."


def test_each_address_has_its_own_count_behind_the_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    first = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.1")
    second = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.2")
    for _ in range(2):
        assert first.get("/api/v1/referentiels/regions").status_code == 200
    assert first.get("/api/v1/referentiels/regions").status_code == 429
    # Another visitor behind the same proxy is not blocked by the first one.
    assert second.get("/api/v1/referentiels/regions").status_code == 200
    # A forged first entry does not give a fresh count.
    forged = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.1")
    assert forged.get("/api/v1/referentiels/regions").status_code == 429


def test_a_logged_in_person_is_counted_apart_from_anonymous_callers(make_user):
    client = login_with_code(Client(), make_user("CITOYEN"))
    statuses = [client.get("/api/v1/referentiels/regions").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_the_documentation_names_the_429_answer():
    schema = Client().get("/api/openapi.json").json()
    operation = schema["paths"]["/api/v1/referentiels/regions"]["get"]
    assert "429" in operation["responses"]
