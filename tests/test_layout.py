"""The layout of `../shared/DESIGN.md`, checked on the source: which app may import which, and
which modules are pure engines (no Django). The same lists are written out in
`docs/architecture.md`; a new app takes its place in LAYERS before it may import anything."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "osezia"

# From the bottom up. An app may import the apps of the layers below its own; inside a layer
# only the pairs listed in SAME_LAYER are allowed. Modules answer the diagnostic's hub and the
# observatory by registering themselves, so nothing below them imports them.
LAYERS = [
    ("socle", "langue"),
    ("referentiels",),
    ("comptes",),
    ("entreprises",),
    ("recherche",),
    ("diagnostics",),
    (
        "catalogue",
        "academie",
        "programmes",
        "expertise",
        "ambassadeurs",
        "evenements",
        "consultation",
        "observatoire",
    ),
    ("api", "portail"),
]
SAME_LAYER = {("langue", "socle"), ("portail", "api")}

# Pure engines: the algorithm on plain data, testable and benchmarkable without Django.
PURE_MODULES = [
    "socle/texte.py",
    "socle/regles.py",
    "socle/plan.py",
    "socle/jours_ouvres.py",
    "langue",
    "referentiels/codes.py",
    "referentiels/naf.py",
    "entreprises/taille.py",
    "entreprises/identifiants.py",
    "diagnostics/questionnaire.py",
    "diagnostics/scoring.py",
    "diagnostics/parcours.py",
    "diagnostics/engine.py",
    "diagnostics/secteurs.py",
    "diagnostics/charts.py",
    "diagnostics/evaluation.py",
    "catalogue/format.py",
    "academie/format.py",
    "academie/lheo.py",
    "academie/preparation.py",
    "academie/balisage.py",
    "programmes/eligibilite.py",
    "expertise/devis.py",
    "expertise/etats.py",
    "expertise/suggestion.py",
    "expertise/rapport.py",
    "consultation/opinion.py",
    "consultation/scores.py",
    "consultation/sequence.py",
    "consultation/similaires.py",
    "ambassadeurs/routage.py",
    "ambassadeurs/jours_ouvres.py",
    "ambassadeurs/carte.py",
    "evenements/planification.py",
    "evenements/generateur.py",
    "recherche/index.py",
    "recherche/evaluation.py",
]

LAYER_OF = {app: rank for rank, apps in enumerate(LAYERS) for app in apps}


def _imports(path: Path):
    """Every absolute module imported by a file, wherever the import statement sits."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            # `from osezia.referentiels import codes` imports the module osezia.referentiels.codes
            for alias in node.names:
                yield f"{node.module}.{alias.name}", node.lineno
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno


def _apps():
    return sorted(p.name for p in ROOT.iterdir() if p.is_dir() and (p / "__init__.py").exists())


def test_every_app_has_its_place_in_the_layers():
    missing = [app for app in _apps() if app not in LAYER_OF]
    assert not missing, f"apps without a layer in tests/test_layout.py: {missing}"


@pytest.mark.parametrize("app", _apps())
def test_imports_go_downwards_only(app):
    wrong = []
    for path in (ROOT / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for module, line in _imports(path):
            parts = module.split(".")
            if parts[0] != "osezia" or len(parts) < 2 or parts[1] == app:
                continue
            target = parts[1]
            allowed = LAYER_OF.get(target, 99) < LAYER_OF[app] or (app, target) in SAME_LAYER
            if not allowed:
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert not wrong, "upward or sideways imports:\n" + "\n".join(wrong)


def _is_pure(module: str) -> bool:
    relative = "/".join(module.split(".")[1:])
    return any(
        relative == p.removesuffix(".py") or relative.startswith(p + "/") for p in PURE_MODULES
    )


@pytest.mark.parametrize("name", PURE_MODULES)
def test_engines_import_neither_django_nor_impure_modules(name):
    target = ROOT / name
    files = sorted(target.rglob("*.py")) if target.is_dir() else [target]
    assert all(f.exists() for f in files), f"{name} is listed but missing"
    wrong = []
    for path in files:
        for module, line in _imports(path):
            top = module.split(".")[0]
            parent = module.rsplit(".", 1)[0]
            if top == "django" or (top == "osezia" and not (_is_pure(module) or _is_pure(parent))):
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert not wrong, "an engine must stay pure:\n" + "\n".join(wrong)
