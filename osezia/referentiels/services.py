"""Loading of the reference data from the versioned files in `data/`.

`load_referentiels` is idempotent: it upserts every row by its code, so running it twice
changes nothing and running it after a data-file update applies the update. It takes an
`apps` registry so that the data migration can call it with historical models.
"""

import csv
import json
from collections.abc import Callable
from pathlib import Path

from django.apps import apps as global_apps
from django.db import transaction

from osezia.socle.texte import search_key

DATA_DIR = Path(__file__).resolve().parent / "data"

NAF_LEVELS = ["section", "division", "groupe", "classe", "sous_classe"]
_CSV_LEVEL = {"sous-classe": "sous_classe"}


def read_naf_rows() -> list[dict]:
    """The 1,728 NAF rows, parents always before their children, with their section."""
    short_labels = {}
    with open(DATA_DIR / "naf_rev2_sous_classes.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            short_labels[row["code"]] = row["libelle_65"]
    with open(DATA_DIR / "naf_rev2_all_levels.csv", encoding="utf-8") as handle:
        rows = [
            {
                "code": row["code"],
                "libelle": row["libelle"],
                "niveau": _CSV_LEVEL.get(row["niveau"], row["niveau"]),
                "parent": row["parent"] or None,
            }
            for row in csv.DictReader(handle)
        ]
    by_code = {row["code"]: row for row in rows}
    for row in rows:
        node = row
        while node["parent"]:
            node = by_code[node["parent"]]
        row["section"] = node["code"]
        row["libelle_court"] = short_labels.get(row["code"], "")
        # Section labels are upper case in the source; keep them, but search ignores case.
        row["recherche"] = search_key(f"{row['code']} {row['libelle']} {row['libelle_court']}")
    rows.sort(key=lambda r: NAF_LEVELS.index(r["niveau"]))
    return rows


def read_csv(name: str) -> list[dict]:
    with open(DATA_DIR / name, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def read_codes() -> dict:
    with open(DATA_DIR / "referentiels.json", encoding="utf-8") as handle:
        return json.load(handle)


def _upsert(model, objects: list, fields: list[str]) -> None:
    model.objects.bulk_create(
        objects, update_conflicts=True, unique_fields=["code"], update_fields=fields, batch_size=500
    )


def load_referentiels(apps=None, progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Upsert every reference table from the data files; returns the row count per table."""
    apps = apps or global_apps

    def model(name: str):
        return apps.get_model("referentiels", name)

    def step(label: str) -> None:
        if progress:
            progress(label)

    counts: dict[str, int] = {}
    codes = read_codes()
    with transaction.atomic():
        step("NAF rév. 2")
        Naf = model("Naf")
        rows = read_naf_rows()
        for level in NAF_LEVELS:
            level_rows = [r for r in rows if r["niveau"] == level]
            _upsert(
                Naf,
                [
                    Naf(
                        code=r["code"],
                        libelle=r["libelle"],
                        libelle_court=r["libelle_court"],
                        niveau=r["niveau"],
                        parent_id=r["parent"],
                        section=r["section"],
                        recherche=r["recherche"],
                    )
                    for r in level_rows
                ],
                ["libelle", "libelle_court", "niveau", "parent", "section", "recherche"],
            )
            counts[f"naf_{level}"] = len(level_rows)

        step("Régions et départements")
        Region, Departement = model("Region"), model("Departement")
        regions = read_csv("cog_regions.csv")
        _upsert(
            Region,
            [Region(code=r["REG"], libelle=r["LIBELLE"], ordre=i) for i, r in enumerate(regions)],
            ["libelle", "ordre"],
        )
        departements = read_csv("cog_departements.csv")
        _upsert(
            Departement,
            [
                Departement(code=d["DEP"], libelle=d["LIBELLE"], region_id=d["REG"], ordre=i)
                for i, d in enumerate(departements)
            ],
            ["libelle", "region", "ordre"],
        )
        counts["regions"], counts["departements"] = len(regions), len(departements)

        step("Codes du plan")
        simple = {
            "familles": ("FamilleCasUsage", lambda e: {"libelle_court": e["court"]}),
            "dimensions": ("Dimension", lambda e: {"libelle_court": e["court"]}),
            "niveaux": ("NiveauMaturite", lambda e: {"score_min": e["min"], "score_max": e["max"]}),
            "publics": ("Public", lambda e: {}),
            "tailles": ("CategorieTaille", lambda e: {"definition": e["definition"]}),
            "types_ambassadeur": ("TypeAmbassadeur", lambda e: {}),
            "reseaux": ("ReseauPartenaire", lambda e: {}),
            "risques_ia_act": ("NiveauRisqueIA", lambda e: {"description": e["description"]}),
        }
        for key, (model_name, extra) in simple.items():
            Model = model(model_name)
            entries = codes[key]
            objects = [
                Model(code=e["code"], libelle=e["libelle"], ordre=i, **extra(e))
                for i, e in enumerate(entries)
            ]
            fields = ["libelle", "ordre", *extra(entries[0]).keys()]
            _upsert(Model, objects, fields)
            counts[key] = len(entries)
    if apps is global_apps:
        from .queries import clear_caches

        clear_caches()
    return counts
