"""The use-case engine on companies as leaders describe them."""

import csv
import json
from pathlib import Path

import pytest

from osezia.diagnostics.engine import Company, Engine, UnknownNaf, default_knowledge

DATA = Path(__file__).resolve().parents[2] / "osezia" / "diagnostics" / "data"
FAMILIES = 23


@pytest.fixture(scope="module")
def engine():
    return Engine(default_knowledge())


def top(engine, n=5, **kwargs):
    return [u.famille for u in engine.evaluate(Company(**kwargs))[:n]]


def test_all_23_families_scored_and_ranked_best_first(engine):
    ranked = engine.evaluate(Company(naf="10.71C", size="TPE", description="boulangerie"))
    assert len(ranked) == FAMILIES == len({u.famille for u in ranked})
    assert [u.score for u in ranked] == sorted((u.score for u in ranked), reverse=True)
    for u in ranked:
        assert 0 <= u.score <= 1 and 0 <= u.valeur <= 100 and 0 <= u.faisabilite <= 100
        assert u.priorite in {"quick_win", "projet_structurant", "a_preparer"}
        assert u.justification.endswith(".") and u.justification[0].isupper()


@pytest.mark.parametrize(
    ("naf", "size", "description", "family"),
    [
        ("43.39Z", "TPE", "mes devis me prennent mes soirées", "VENTE"),
        ("43.39Z", "TPE", "mes devi me prenent toutes mes soirees", "VENTE"),  # typos, no accents
        ("55.10Z", "PME", "le bot du site répond n'importe quoi aux clients", "RELATION_CLIENT"),
        ("69.20Z", "PME", "on croule sous les facturs fournisseurs a saisir", "DOCUMENTS"),
        ("10.71C", "TPE", "on jette trop de pain le soir", "PREVISION"),
        ("25.62B", "PME", "nos machines tombent en panne sans prévenir", "MAINTENANCE_PREDICTIVE"),
        ("56.10A", "PME", "le plannig des equipes est un casse-tête", "RH"),
        (
            "46.90Z",
            "PME",
            "Nous devons traduire nos catalogues en anglais et en allemand",
            "TRADUCTION_TRANSCRIPTION",
        ),
    ],
)
def test_stated_pains_in_everyday_french_reach_the_top_3(engine, naf, size, description, family):
    assert family in top(engine, 3, naf=naf, size=size, description=description)


def test_justification_names_its_evidence(engine):
    ranked = engine.evaluate(
        Company(naf="10.71C", size="TPE", description="Mes devis me prennent mes soirées.")
    )
    vente = next(u for u in ranked if u.famille == "VENTE")
    assert "Vous indiquez « Mes devis me prennent mes soirées »" in vente.justification
    prevision = next(u for u in ranked if u.famille == "PREVISION")
    assert "dans la boulangerie" in prevision.justification.lower()


def test_a_vague_sentence_falls_back_on_the_sector(engine):
    garage = top(
        engine, naf="45.20A", size="TPE", description="on m'a parlé de l'IA, je sais pas trop"
    )
    assert "SANTE" not in garage and "AGRICULTURE" not in garage
    farm = top(engine, naf="01.11Z", size="TPE", description="")
    assert farm[0] == "AGRICULTURE"
    hospital = top(engine, naf="86.10Z", size="GE", description="")
    assert "SANTE" in hospital


def test_absurd_families_stay_out_unless_clearly_asked(engine):
    lawyers = top(engine, naf="69.10Z", size="PME", description="cabinet d'avocats")
    assert not {"AGRICULTURE", "MAINTENANCE_PREDICTIVE", "CONTROLE_QUALITE"} & set(lawyers)


def test_size_changes_the_value_of_heavy_projects(engine):
    def value(size):
        ranked = engine.evaluate(Company(naf="25.62B", size=size, description="usinage"))
        return next(u.valeur for u in ranked if u.famille == "MAINTENANCE_PREDICTIVE")

    assert value("TPE") < value("PME") <= value("ETI")


def test_maturity_changes_feasibility_and_priority(engine):
    def prevision(maturity):
        ranked = engine.evaluate(
            Company(naf="47.11C", size="PME", description="supérette", maturity=maturity)
        )
        return next(u for u in ranked if u.famille == "PREVISION")

    low = prevision(
        dict.fromkeys(("STRATEGIE", "DONNEES", "COMPETENCES", "OUTILS", "USAGES", "CONFIANCE"), 5)
    )
    high = prevision(
        dict.fromkeys(("STRATEGIE", "DONNEES", "COMPETENCES", "OUTILS", "USAGES", "CONFIANCE"), 95)
    )
    assert low.faisabilite < high.faisabilite
    assert low.priorite == "a_preparer" and high.priorite != "a_preparer"
    assert "données" in low.justification


def test_ticked_priorities_raise_their_families(engine):
    plain = top(engine, naf="62.01Z", size="PME", description="")
    ticked = top(
        engine, naf="62.01Z", size="PME", description="", priorities={"RH": (1.0, ["Recruter"])}
    )
    assert "RH" in ticked and ticked.index("RH") < (plain.index("RH") if "RH" in plain else 99)


def test_any_naf_level_works_and_unknown_codes_are_refused(engine):
    assert len(engine.evaluate(Company(naf="C", size="PME"))) == FAMILIES
    assert len(engine.evaluate(Company(naf="10.7", size="PME"))) == FAMILIES
    with pytest.raises(UnknownNaf):
        engine.evaluate(Company(naf="99.99Z", size="PME"))


def test_sector_knowledge_covers_all_88_divisions_with_valid_codes():
    sectors = json.loads((DATA / "secteurs.json").read_text(encoding="utf-8"))
    with open(
        Path(__file__).resolve().parents[2] / "osezia/referentiels/data/naf_rev2_all_levels.csv",
        encoding="utf-8",
    ) as handle:
        rows = list(csv.DictReader(handle))
    divisions = {r["code"] for r in rows if r["niveau"] == "division"}
    codes = {r["code"] for r in rows}
    families = set(json.loads((DATA / "familles.json").read_text(encoding="utf-8"))["familles"])
    assert set(sectors["divisions"]) == divisions
    assert set(sectors["precisions"]) <= codes
    for entry in [*sectors["divisions"].values(), *sectors["precisions"].values()]:
        assert set(entry["familles"]) <= families and set(entry["absurdes"]) <= families
        assert not set(entry["familles"]) & set(entry["absurdes"])
        assert all(0.3 <= f["pertinence"] <= 1 and f["raison"] for f in entry["familles"].values())
