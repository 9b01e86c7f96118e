"""The ranked suggestion of experts (pure)."""

from osezia.expertise.suggestion import Besoin, Candidat, suggerer

NEED = Besoin(
    siren="123456782",
    naf_chain=("C", "25", "25.6", "25.62", "25.62B"),
    region="27",
    familles=("MAINTENANCE_PREDICTIVE", "CONTROLE_QUALITE"),
    jours=10,
)


def candidate(id, **kwargs):
    base = {
        "nom": f"Expert {id}",
        "familles": frozenset(),
        "naf": frozenset(),
        "regions": frozenset(),
        "capacite_jours": 30,
        "jours_engages": 0,
    }
    return Candidat(id=id, **{**base, **kwargs})


def test_skills_sector_and_region_rank_first():
    best = candidate(
        1, familles=frozenset(NEED.familles), naf=frozenset({"C"}), regions=frozenset({"27"})
    )
    half = candidate(
        2,
        familles=frozenset({"MAINTENANCE_PREDICTIVE"}),
        naf=frozenset({"C"}),
        regions=frozenset({"27"}),
    )
    elsewhere = candidate(
        3, familles=frozenset(NEED.familles), naf=frozenset({"C"}), regions=frozenset({"53"})
    )
    ranked = [s.candidat.id for s in suggerer([elsewhere, half, best], NEED)]
    assert ranked == [1, 2, 3]


def test_an_expert_tied_to_the_company_is_never_suggested():
    own = candidate(1, familles=frozenset(NEED.familles), siren="123456782")
    declared = candidate(2, familles=frozenset(NEED.familles), conflits=frozenset({"123456782"}))
    free = candidate(3)
    assert [s.candidat.id for s in suggerer([own, declared, free], NEED)] == [3]


def test_an_expert_without_ten_days_left_this_quarter_is_not_suggested_and_load_breaks_ties():
    full = candidate(1, jours_engages=25)
    busy = candidate(2, jours_engages=10)
    free = candidate(3)
    assert [s.candidat.id for s in suggerer([full, busy, free], NEED)] == [3, 2]
