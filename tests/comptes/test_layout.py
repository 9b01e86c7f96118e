"""`comptes` sits below `entreprises` and every module: it imports none of them. « Mon
espace », which composes several apps, is served by the site layer at its usual address."""

import ast
from pathlib import Path

from django.urls import resolve, reverse

# `api.pagination` is the API's shared paginator, used by every router (its place is
# decided with the search and pagination work, not here).
ALLOWED = {"socle", "langue", "referentiels", "comptes", "api"}


def test_comptes_imports_no_app_above_it():
    root = Path(__file__).resolve().parents[2] / "osezia" / "comptes"
    upward = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            for name in names:
                parts = name.split(".")
                if parts[0] == "osezia" and len(parts) > 1 and parts[1] not in ALLOWED:
                    upward.append(f"{path.relative_to(root)}: {name}")
    assert upward == []


def test_my_space_keeps_its_address_and_name():
    assert reverse("comptes:espace") == "/espace/"
    assert resolve("/espace/").func.__module__ == "osezia.portail.views"
    assert reverse("comptes:rattachements") == "/espace/operateur/rattachements/"
