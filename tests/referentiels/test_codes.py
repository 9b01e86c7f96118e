"""The shared code lists are declared once (osezia/referentiels/codes.py, from referentiels.json)
and every table, constraint and form agrees with them."""

import ast
import json
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from osezia.referentiels import codes
from osezia.referentiels import models as ref

ROOT = Path(__file__).resolve().parents[2] / "osezia"
JSON = json.loads((ROOT / "referentiels" / "data" / "referentiels.json").read_text("utf-8"))

# The codes every module stores (REFERENTIALS.md): a code is never renamed nor dropped.
KEPT = {
    "taille": ("TPE", "PME", "ETI", "GE"),
    "public": ("APPRENTI", "DEMANDEUR_EMPLOI", "SALARIE", "DIRIGEANT"),
    "niveau": ("DECOUVERTE", "EXPLORATION", "DEPLOIEMENT", "TRANSFORMATION"),
    "dimension": ("STRATEGIE", "DONNEES", "COMPETENCES", "OUTILS", "USAGES", "CONFIANCE"),
    "risque_ia_act": ("minimal", "transparence", "haut"),
    "type_ambassadeur": ("GRAND_PUBLIC", "SECTORIEL", "REGIONAL"),
    "reseau": ("FRANCE_NUM", "CCI", "BPIFRANCE", "FRENCH_TECH", "SOUS_PREFET_FRANCE_2030"),
    "hebergement": ("france", "ue", "hors_ue"),
    "deploiement": ("saas", "sur_site", "hybride"),
    "modele_tarif": ("abonnement", "licence", "sur_devis", "gratuit"),
}

# The reference tables loaded by the data migration, per list.
TABLES = {
    "famille": ref.FamilleCasUsage,
    "dimension": ref.Dimension,
    "niveau": ref.NiveauMaturite,
    "public": ref.Public,
    "taille": ref.CategorieTaille,
    "type_ambassadeur": ref.TypeAmbassadeur,
    "reseau": ref.ReseauPartenaire,
    "risque_ia_act": ref.NiveauRisqueIA,
}


def test_every_list_of_the_file_is_declared_and_read_as_written():
    assert set(codes.KINDS.values()) == set(JSON) - {"source"}
    for kind, key in codes.KINDS.items():
        assert codes.codes(kind) == tuple(e["code"] for e in JSON[key])
        assert codes.labels(kind) == {e["code"]: e["libelle"] for e in JSON[key]}
        assert codes.choices(kind, short=True) == [
            (e["code"], e.get("court", e["libelle"])) for e in JSON[key]
        ]
        assert len(set(codes.codes(kind))) == len(codes.codes(kind)), kind
        for entry in JSON[key]:
            assert entry["libelle"].strip(), (kind, entry["code"])


def test_no_code_was_renamed_or_dropped():
    for kind, kept in KEPT.items():
        assert codes.codes(kind) == kept
    assert len(codes.FAMILLES) == 23 and "MAINTENANCE_PREDICTIVE" in codes.FAMILLES


def test_levels_cover_every_score_once():
    bounds = codes.NIVEAUX_BORNES
    assert bounds[0][1] == 0 and bounds[-1][2] == 100
    assert all(a[2] + 1 == b[1] for a, b in zip(bounds, bounds[1:], strict=False))


def test_unknown_kind_and_code_are_refused():
    with pytest.raises(KeyError):
        codes.codes("familles")
    with pytest.raises(KeyError):
        codes.label("taille", "XXL")
    assert codes.label("hebergement", "hors_ue", short=True) == "Hors UE"
    assert codes.is_code("taille", "ETI") and not codes.is_code("taille", "eti")


def test_named_size_constants_follow_the_list():
    from osezia.entreprises import taille

    assert (taille.TPE, taille.PME, taille.ETI, taille.GE) == ("TPE", "PME", "ETI", "GE")


@pytest.mark.django_db
def test_reference_tables_loaded_by_the_migration_match_the_declaration():
    for kind, model in TABLES.items():
        rows = list(model.objects.order_by("ordre").values_list("code", "libelle"))
        assert rows == codes.choices(kind), kind
    assert (
        tuple(
            ref.NiveauMaturite.objects.order_by("ordre").values_list(
                "code", "score_min", "score_max"
            )
        )
        == codes.NIVEAUX_BORNES
    )


@pytest.mark.django_db
def test_database_refuses_a_code_outside_the_list_with_a_french_message(company_a):
    from osezia.entreprises.models import Entreprise

    entreprise = company_a
    entreprise.categorie_taille = "XXL"
    with pytest.raises(ValidationError) as error:
        entreprise.validate_constraints()
    assert "valeurs possibles : TPE, PME, ETI, GE" in str(error.value)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Entreprise.objects.filter(pk=entreprise.pk).update(categorie_taille="XXL")


# ---------------------------------------------------------------------------------------------
# No second copy of a list: a list, tuple or set literal (of codes or of (code, label) pairs),
# or the keys of a dict literal, holding three codes or more of one list — and more than half of it — outside codes.py and the
# migrations is a re-typed copy. A subset chosen by a rule (e.g. the three dimensions that
# make a use case feasible) stays under that bar.

# Tables keyed by every code of a list whose values are not labels but knowledge of their own
# (they must then cover the list exactly, checked below).
KEYED_TABLES = {
    ("academie/lheo.py", "PUBLIC_WORDS"): "public",
}


def _kind_of(strings: list[str]) -> str | None:
    for kind in codes.KINDS:
        found = set(strings) & set(codes.codes(kind))
        if len(found) >= 3 and 2 * len(found) > len(codes.codes(kind)):
            return kind
    return None


def _copies(path: Path) -> list[tuple[int, str, str]]:
    tree = ast.parse(path.read_text("utf-8"))
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    names[id(node.value)] = target.id
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            # codes, or (code, label…) pairs as in `choices`
            items = [
                e.elts[0] if isinstance(e, ast.Tuple | ast.List) and e.elts else e
                for e in node.elts
            ]
        elif isinstance(node, ast.Dict):
            items = [k for k in node.keys if k is not None]
        else:
            continue
        strings = [
            i.value for i in items if isinstance(i, ast.Constant) and isinstance(i.value, str)
        ]
        kind = _kind_of(strings)
        if kind:
            found.append((node.lineno, kind, names.get(id(node), "")))
    return found


def test_no_second_copy_of_a_code_list():
    copies = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "/migrations/" in relative or relative == "referentiels/codes.py":
            continue
        for line, kind, name in _copies(path):
            if (relative, name) not in KEYED_TABLES:
                copies.append(f"{relative}:{line} re-types the list « {kind} » ({name or '?'})")
    assert copies == [], "use osezia.referentiels.codes instead:\n" + "\n".join(copies)


def test_keyed_tables_cover_their_list_exactly():
    import importlib

    for (relative, name), kind in KEYED_TABLES.items():
        module = importlib.import_module("osezia." + relative.removesuffix(".py").replace("/", "."))
        assert tuple(getattr(module, name)) == codes.codes(kind), (relative, name)


def test_the_scan_finds_a_retyped_list(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        'SIZES = ("TPE", "PME", "ETI")\nLABELS = {"france": "x", "ue": "y", "hors_ue": "z"}\n'
        'FEASIBLE = ("DONNEES", "COMPETENCES", "OUTILS")\nBOTH = ("PME", "ETI")\n'
        'CHOICES = [("saas", "SaaS"), ("sur_site", "Sur site"), ("hybride", "Hybride")]\n'
    )
    assert [(line, kind) for line, kind, _ in _copies(sample)] == [
        (1, "taille"),
        (2, "hebergement"),
        (5, "deploiement"),
    ]


def test_academie_landing_entries_follow_the_audiences():
    from osezia.academie.views import ENTREES

    assert [code for code, _, _ in ENTREES] == list(codes.codes("public"))
    assert all(title.strip() and text.strip() for _, title, text in ENTREES)


# ---------------------------------------------------------------------------------------------
# Templates: a code list is not typed into a page either. A template naming three codes or more
# of one list (and more than half of it) where a code is written as a code (`"TPE"`, `.SALARIE`,
# `=DIRIGEANT`), or three labels or more of it (« apprentis, salariés et dirigeants »), copies
# the list: the view passes it from `codes` instead.

TEMPLATES = sorted(ROOT.glob("*/templates/**/*.html")) + sorted(ROOT.glob("templates/**/*.html"))


def _template_copies(text: str) -> list[str]:
    folded = text.casefold()
    found = []
    for kind in codes.KINDS:
        written = {
            c for c in codes.codes(kind) if re.search(rf"""(?:["'.=]){re.escape(c)}\b""", text)
        }
        named = {
            c
            for c, label in codes.labels(kind).items()
            if re.search(rf"(?<!\w){re.escape(label.casefold())}(?!\w)", folded)
        }
        for what, hits in (("codes", written), ("labels", named)):
            if len(hits) >= 3 and 2 * len(hits) > len(codes.codes(kind)):
                found.append(f"{kind} ({what}: {', '.join(sorted(hits))})")
    return found


def test_no_template_retypes_a_code_list():
    copies = []
    for path in TEMPLATES:
        for what in _template_copies(path.read_text("utf-8")):
            copies.append(f"{path.relative_to(ROOT)} types the list {what}")
    assert copies == [], "pass the list from osezia.referentiels.codes instead:\n" + "\n".join(
        copies
    )


def test_the_template_scan_finds_a_typed_list():
    table = (
        "<tr><th>Apprentis</th><td>{{ c.par_public.APPRENTI }}</td></tr>"
        "<tr><th>Salariés</th><td>{{ c.par_public.SALARIE }}</td></tr>"
        "<tr><th>Dirigeants</th><td>{{ c.par_public.DIRIGEANT }}</td></tr>"
    )
    assert _template_copies(table) == [
        "public (codes: APPRENTI, DIRIGEANT, SALARIE)",
        "public (labels: APPRENTI, DIRIGEANT, SALARIE)",
    ]
    assert _template_copies('{% if taille == "PME" or taille == "ETI" %}') == []
    assert _template_copies("{% for code, libelle in publics %}{{ libelle }}{% endfor %}") == []


# ---------------------------------------------------------------------------------------------
# The plan's figures live in osezia/socle/plan.py only: no template and no Python text elsewhere
# writes one as a literal (« d'ici 2030 », « 40 % », « 18 mois »…). « France 2030 » is the name
# of a State programme, not the plan's target year.


def _figure_patterns() -> dict[str, re.Pattern]:
    from osezia.socle import plan

    space = r"(?:\s|&nbsp;|\u00a0|\u202f)*"
    percents = {
        *plan.TARGETS_PCT.values(),
        plan.DIAGNOSTIC_DATA_IA_STATE_SHARE_PCT,
        plan.PRODUCTIVITY_GAIN_PCT,
        plan.BASELINE_PME_ETI_PCT,
    }
    trained = plan.PROFESSIONALS_TRAINED_TARGET
    grouped = space.join(f"{trained:,}".split(","))
    return {
        "target year": re.compile(rf"(?<!France )(?<![\w-]){plan.TARGET_YEAR}(?![\w-])"),
        "percentages": re.compile(
            rf"(?<![\w.,])(?:{'|'.join(sorted({str(int(p)) for p in percents}))}){space}%"
        ),
        "trained target": re.compile(
            rf"(?<!\d)(?:{trained}|{grouped}|{trained // 1_000_000}{space}millions)(?!\d)"
        ),
        "ambassadors": re.compile(rf"(?<!\d){plan.AMBASSADORS_TARGET}{space}ambassadeurs"),
        "programme months": re.compile(rf"(?<!\d){plan.ACCELERATION_PROGRAMME_MONTHS}{space}mois"),
        "launch": re.compile(re.escape(plan.PLAN_LAUNCH)),
    }


def _figures(text: str) -> list[str]:
    return [name for name, pattern in _figure_patterns().items() if pattern.search(text)]


def _python_texts(path: Path) -> list[tuple[int, str]]:
    """The string literals of a module, docstrings left out."""
    tree = ast.parse(path.read_text("utf-8"))
    docstrings = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def _page_text(template: str) -> str:
    """A template without its style sheets (`width: 100%` is not a figure)."""
    template = re.sub(r"<style.*?</style>", "", template, flags=re.DOTALL)
    return re.sub(r"""style=(["']).*?\1""", "", template)


def test_plan_figures_are_written_only_in_plan_py():
    copies = []
    for path in TEMPLATES:
        for name in _figures(_page_text(path.read_text("utf-8"))):
            copies.append(f"{path.relative_to(ROOT)} writes the plan's {name}")
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "/migrations/" in relative or relative == "socle/plan.py":
            continue
        for line, value in _python_texts(path):
            for name in _figures(value):
                copies.append(f"{relative}:{line} writes the plan's {name}")
    assert copies == [], "take it from osezia.socle.plan:\n" + "\n".join(copies)


def test_the_figure_scan_finds_a_written_figure():
    assert _figures("sur un objectif de 15 000 000 professionnels formés d'ici 2030") == [
        "target year",
        "trained target",
    ]
    assert _figures("l'État finance 40&nbsp;% du coût ; 18 mois d'accompagnement") == [
        "percentages",
        "programme months",
    ]
    assert _figures("Un réseau de 300 ambassadeurs ; 15 millions de professionnels") == [
        "trained target",
        "ambassadors",
    ]
    assert _figures("Appel à projets (France 2030) ; 140 % ; 2030-01-01 ; 1800 mois") == []
    assert _figures("d'ici {{ plan.TARGET_YEAR }} ({{ part }} %)") == []


def test_consultation_qualifications_follow_their_vote():
    assert codes.codes("vote_consultation") == ("pour", "contre", "neutre")
    assert codes.qualifications_for("pour") == ("coup_de_coeur", "realiste", "banalite")
    assert codes.qualifications_for("contre") == ("banalite", "surtout_pas", "infaisable")
    assert codes.qualifications_for("neutre") == (
        "je_ne_comprends_pas",
        "pas_d_avis",
        "ca_m_est_egal",
    )
    assert codes.qualifications_for("autre") == ()
    every = {q for v in codes.codes("vote_consultation") for q in codes.qualifications_for(v)}
    assert every == set(codes.codes("qualification"))
