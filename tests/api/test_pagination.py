"""Every API list answers one paginated shape; the API stays at the top of the house."""

import ast
from pathlib import Path

from django.test import Client

from osezia.api.api import api

ROOT = Path(__file__).resolve().parents[2]
PAGE_FIELDS = {"count", "page", "page_size", "next", "previous", "items"}


def _schema(ref_or_schema: dict, components: dict) -> dict:
    if "$ref" in ref_or_schema:
        return components[ref_or_schema["$ref"].rsplit("/", 1)[-1]]
    return ref_or_schema


def test_no_list_endpoint_answers_a_bare_list_and_every_page_has_the_same_fields():
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    pages = []
    for path, operations in schema["paths"].items():
        get = operations.get("get")
        if not get:
            continue
        content = get["responses"].get(200, {}).get("content", {}).get("application/json")
        if not content:
            continue
        answer = _schema(content["schema"], components)
        assert answer.get("type") != "array", f"{path} answers a list without pagination"
        items = answer.get("properties", {}).get("items")
        if items is not None and items.get("maxItems", 1000) <= 50:
            continue  # a bounded answer by contract (10 suggestions, 12 in a sequence)
        if items is not None:
            assert set(answer["properties"]) >= PAGE_FIELDS, path
            parameters = {p["name"] for p in get.get("parameters", [])}
            assert {"page", "page_size"} <= parameters, path
            pages.append(path)
    assert len(pages) >= 20  # référentiels, comptes, entreprises, diagnostics, modules


def test_the_provider_solutions_list_is_paginated(make_user):
    from osezia.catalogue import services
    from tests.catalogue.conftest import siren

    user = make_user()
    provider = services.register_provider(user, "Essai Logiciels (fictif)", siren(1))
    token = services.create_token(provider, user, "CI")
    body = Client(HTTP_AUTHORIZATION=f"Bearer {token}").get(
        "/api/v1/catalogue/fournisseur/solutions"
    )
    assert body.status_code == 200
    assert body.json() == {
        "count": 0,
        "page": 1,
        "page_size": 50,
        "next": None,
        "previous": None,
        "items": [],
    }


def test_a_queryset_list_pages_with_next_and_previous(db):
    client = Client()
    first = client.get("/api/v1/referentiels/naf?niveau=section&page_size=10").json()
    last = client.get("/api/v1/referentiels/naf?niveau=section&page_size=10&page=3").json()
    assert (first["count"], first["page_size"], first["previous"], first["next"]) == (
        21,
        10,
        None,
        2,
    )
    assert (last["page"], last["previous"], last["next"], len(last["items"])) == (3, 2, None, 1)
    assert client.get("/api/v1/referentiels/naf?page=-1").status_code == 422
    refused = client.get("/api/v1/referentiels/naf?page_size=10001")
    assert refused.status_code == 422 and "page_size" in refused.json()["detail"]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_no_app_imports_the_api_layer():
    offenders = []
    for path in (ROOT / "osezia").rglob("*.py"):
        app = path.relative_to(ROOT / "osezia").parts[0]
        if app in ("api", "portail") or "migrations" in path.parts:
            continue
        for name in _imports(path):
            if name == "osezia.api" or name.startswith("osezia.api."):
                offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert offenders == []
