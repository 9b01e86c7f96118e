from osezia.diagnostics.recommandations import Contexte, recommend
from osezia.programmes.eligibilite import eligibilities


def by_code(items):
    return {e.code: e for e in items}


def test_diagnostic_data_ia_is_for_pme_and_eti_with_40_percent_from_the_state():
    for size, eligible in [("TPE", False), ("PME", True), ("ETI", True), ("GE", False)]:
        item = by_code(eligibilities(size, ("62.01Z", "62.01", "62.0", "62", "J"), []))[
            "DIAGNOSTIC_DATA_IA"
        ]
        assert item.eligible is eligible
        if eligible:
            assert "40 %" in item.raison


def test_guaranteed_loan_needs_a_pme_with_a_structuring_project():
    chain = ("25.62B", "25.62", "25.6", "25", "C")
    assert by_code(eligibilities("PME", chain, ["Maintenance prédictive"]))["PRET_GARANTI"].eligible
    assert not by_code(eligibilities("PME", chain, []))["PRET_GARANTI"].eligible
    assert not by_code(eligibilities("ETI", chain, ["Maintenance prédictive"]))[
        "PRET_GARANTI"
    ].eligible


def test_calls_for_projects_follow_their_fields():
    law = by_code(eligibilities("PME", ("69.10Z", "69.10", "69.1", "69", "M"), [], "EXPLORATION"))
    assert "AAP_IA_GENERATIVE" in law and "AAP_PIONNIERS" not in law
    retail = by_code(eligibilities("PME", ("47.11C", "47.11", "47.1", "47", "G"), []))
    assert "AAP_IA_GENERATIVE" not in retail and "AAP_PIONNIERS" not in retail
    hospital = by_code(
        eligibilities("GE", ("86.10Z", "86.10", "86.1", "86", "Q"), ["Santé"], "DEPLOIEMENT")
    )
    assert {"AAP_IA_GENERATIVE", "AAP_PIONNIERS"} <= set(hospital)


def test_the_hub_asks_every_module_and_says_which_are_not_open(db, empty_index):
    context = Contexte(
        naf="25.62B",
        naf_chain=("25.62B", "25.62", "25.6", "25", "C"),
        section="C",
        categorie_taille="PME",
        departement="39",
        region="27",
        cas_usage=(
            {
                "famille": "MAINTENANCE_PREDICTIVE",
                "libelle": "Maintenance prédictive",
                "priorite": "projet_structurant",
                "valeur": 90,
            },
        ),
    )
    answers = {r.module.code: r for r in recommend(context)}
    assert set(answers) == {"catalogue", "academie", "financements", "ambassadeurs", "evenements"}
    funding = answers["financements"]
    assert funding.disponible
    assert {"Diagnostic Data IA", "Prêt garanti par l'État"} <= {
        r.titre for r in funding.recommandations
    }
    assert answers["catalogue"].disponible is True  # answers, here with an empty catalogue
    assert answers["academie"].disponible is True  # answers, here with no training stored
    for code in ("catalogue", "academie", "financements", "ambassadeurs", "evenements"):
        assert answers[code].module.a_venir == ""
    assert answers["ambassadeurs"].disponible is True  # answers, here with no ambassador
    assert answers["evenements"].disponible is True  # answers, here with no event


def use_case(libelle, priorite, valeur):
    return {"famille": libelle.upper(), "libelle": libelle, "priorite": priorite, "valeur": valeur}


def test_a_structuring_project_is_a_valuable_structuring_use_case_among_the_first_five():
    from osezia.programmes.eligibilite import STRUCTURING_MIN_VALUE, structuring_projects

    ranked = [
        use_case("Maintenance prédictive", "projet_structurant", 90),
        use_case("Devis", "quick_win", 95),
        use_case("Vision", "projet_structurant", STRUCTURING_MIN_VALUE),
        use_case("Planification", "projet_structurant", STRUCTURING_MIN_VALUE - 1),
        use_case("Prévision", "a_preparer", 80),
        use_case("Sixième", "projet_structurant", 99),  # beyond the five best-ranked
    ]
    assert structuring_projects(ranked) == ["Maintenance prédictive", "Vision"]
    assert structuring_projects([]) == []


def test_the_funding_section_offers_the_loan_only_for_a_structuring_project(db, empty_index):
    base = {
        "naf": "25.62B",
        "naf_chain": ("25.62B", "25.62", "25.6", "25", "C"),
        "section": "C",
        "categorie_taille": "PME",
        "departement": "39",
        "region": "27",
    }

    def funding(*cases):
        answers = {r.module.code: r for r in recommend(Contexte(**base, cas_usage=cases))}
        return {r.titre for r in answers["financements"].recommandations}

    assert "Prêt garanti par l'État" in funding(use_case("Vision", "projet_structurant", 60))
    assert "Prêt garanti par l'État" not in funding(use_case("Vision", "projet_structurant", 40))
    assert "Prêt garanti par l'État" not in funding(use_case("Devis", "quick_win", 95))


def test_calls_for_projects_only_for_credible_candidates_with_the_reason():
    bakery = ("10.71C", "10.71", "10.7", "10", "C")
    small = by_code(eligibilities("TPE", bakery, [], level="EXPLORATION"))
    assert "AAP_IA_GENERATIVE" not in small and "AAP_PIONNIERS" not in small
    beginner = by_code(eligibilities("PME", bakery, ["Contrôle qualité"], level="DECOUVERTE"))
    assert "AAP_IA_GENERATIVE" not in beginner and "AAP_PIONNIERS" not in beginner
    ready = by_code(eligibilities("PME", bakery, ["Contrôle qualité"], level="DEPLOIEMENT"))
    assert "Déploiement" in ready["AAP_PIONNIERS"].raison
    assert "PME" in ready["AAP_IA_GENERATIVE"].raison
    no_project = by_code(eligibilities("PME", bakery, [], level="DEPLOIEMENT"))
    assert "AAP_PIONNIERS" not in no_project


def test_opco_and_region_are_named_when_they_apply():
    chain = ("10.71C", "10.71", "10.7", "10", "C")
    found = by_code(eligibilities("TPE", chain, [], effectif=6, region_name="Bretagne"))
    assert "FNE-Formation" in found["OPCO"].raison
    assert found["REGION"].titre == "Aides de la Région Bretagne"
    assert "OPCO" not in by_code(eligibilities("TPE", chain, [], effectif=0))
