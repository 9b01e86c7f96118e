"""The routing rule of docs/ambassadeurs.md on plain data (no database)."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from osezia.ambassadeurs.routage import Candidat, Cible, covers, naf_chain, rank, route

PARENTS = {"10.71C": "10.71", "10.71": "10.7", "10.7": "10", "10": "C", "C": None}
BAKERY_BRITTANY = Cible("53", naf_chain("10.71C", PARENTS))


def amb(ident, regions=(), naf=(), capacite=5, ouvertes=0, derniere=None):
    return Candidat(ident, frozenset(regions), frozenset(naf), capacite, ouvertes, derniere)


def test_the_chain_of_a_sous_classe_goes_up_to_its_section():
    assert naf_chain("10.71C", PARENTS) == ("10.71C", "10.71", "10.7", "10", "C")
    assert naf_chain("ZZ", PARENTS) == ("ZZ",)


@pytest.mark.parametrize("code", ["10.71C", "10.71", "10.7", "10", "C"])
def test_a_sector_listed_at_any_level_covers_the_company(code):
    assert covers(amb("a", naf=[code]), BAKERY_BRITTANY)


@pytest.mark.parametrize(
    "candidat",
    [
        amb("a", regions=["84"]),
        amb("a", naf=["10.72"]),
        amb("a", naf=["11"]),
        amb("a", naf=["D"]),
        amb("a", regions=["53"], naf=["47.24Z"]),
    ],
)
def test_another_region_or_sector_does_not_cover(candidat):
    assert not covers(candidat, BAKERY_BRITTANY)


def test_ranks():
    assert rank(amb("a", regions=["53"], naf=["C"])) == 1
    assert rank(amb("a", regions=["53"])) == 2
    assert rank(amb("a", naf=["C"])) == 3
    assert rank(amb("a")) == 4


def test_the_best_rank_wins_even_when_more_loaded():
    choix = route(
        [
            amb("everyone"),
            amb("sector", naf=["10"], ouvertes=3),
            amb("region", regions=["53"], ouvertes=2),
            amb("both", regions=["53"], naf=["10.71"], ouvertes=4),
        ],
        BAKERY_BRITTANY,
    )
    assert (choix.id_externe, choix.rang, choix.tous_complets) == ("both", 1, False)
    assert "Rang 1" in choix.motif


def test_a_full_ambassador_of_the_best_rank_passes_to_the_next_rank():
    choix = route(
        [
            amb("both", regions=["53"], naf=["C"], capacite=2, ouvertes=2),
            amb("region", regions=["53"]),
        ],
        BAKERY_BRITTANY,
    )
    assert (choix.id_externe, choix.rang) == ("region", 2)


def test_within_a_rank_the_lowest_load_relative_to_capacity():
    choix = route(
        [
            amb("a", regions=["53"], capacite=10, ouvertes=3),  # 0.3
            amb("b", regions=["53"], capacite=4, ouvertes=1),  # 0.25
            amb("c", regions=["53"], capacite=2, ouvertes=1),  # 0.5
        ],
        BAKERY_BRITTANY,
    )
    assert choix.id_externe == "b"
    assert choix.charge == Fraction(1, 4)


def test_equal_loads_go_to_the_never_assigned_then_the_oldest_assignment_then_the_id():
    assert route([amb("a", derniere=5), amb("b")], BAKERY_BRITTANY).id_externe == "b"
    assert route([amb("a", derniere=9), amb("b", derniere=3)], BAKERY_BRITTANY).id_externe == "b"
    assert route([amb("b"), amb("a")], BAKERY_BRITTANY).id_externe == "a"
    assert route([amb("b", derniere=2), amb("a", derniere=2)], BAKERY_BRITTANY).id_externe == "a"


def test_when_everyone_is_full_the_least_loaded_of_the_best_rank_takes_it_with_a_warning():
    choix = route(
        [
            amb("r1", regions=["53"], naf=["C"], capacite=1, ouvertes=3),
            amb("r1b", regions=["53"], naf=["10"], capacite=2, ouvertes=2),
            amb("r4", capacite=1, ouvertes=1),
        ],
        BAKERY_BRITTANY,
    )
    assert (choix.id_externe, choix.rang, choix.tous_complets) == ("r1b", 1, True)
    assert "complets" in choix.motif


def test_nobody_covering_gives_none_and_excluded_ambassadors_are_skipped():
    assert route([amb("a", regions=["84"])], BAKERY_BRITTANY) is None
    choix = route([amb("a", regions=["53"]), amb("b")], BAKERY_BRITTANY, exclus=["a"])
    assert choix.id_externe == "b"
    assert route([amb("a")], BAKERY_BRITTANY, exclus=["a"]) is None


def test_a_series_of_requests_balances_the_load_and_respects_capacity():
    pool = {"a": amb("a", regions=["53"], capacite=2), "b": amb("b", regions=["53"], capacite=4)}
    taken = []
    for sequence in range(1, 7):
        choix = route(pool.values(), BAKERY_BRITTANY)
        c = pool[choix.id_externe]
        pool[c.id_externe] = Candidat(
            c.id_externe, c.regions, c.naf, c.capacite, c.ouvertes + 1, sequence
        )
        taken.append((choix.id_externe, choix.tous_complets))
    assert taken == [
        ("a", False),
        ("b", False),
        ("b", False),
        ("a", False),
        ("b", False),
        ("b", False),
    ]
    assert route(pool.values(), BAKERY_BRITTANY).tous_complets


REGIONS = ["53", "84", "11"]
CODES = ["C", "10", "10.7", "10.71", "10.71C", "47", "G"]


@st.composite
def pools(draw):
    size = draw(st.integers(1, 8))
    result = []
    for i in range(size):
        capacite = draw(st.integers(1, 4))
        result.append(
            amb(
                f"A{i:02d}",
                regions=draw(st.sets(st.sampled_from(REGIONS), max_size=2)),
                naf=draw(st.sets(st.sampled_from(CODES), max_size=2)),
                capacite=capacite,
                ouvertes=draw(st.integers(0, 5)),
                derniere=draw(st.one_of(st.none(), st.integers(1, 50))),
            )
        )
    return result


@given(pools())
def test_the_choice_always_follows_the_rule(pool):
    choix = route(pool, BAKERY_BRITTANY)
    covering = [c for c in pool if covers(c, BAKERY_BRITTANY)]
    if not covering:
        assert choix is None
        return
    chosen = next(c for c in pool if c.id_externe == choix.id_externe)
    assert covers(chosen, BAKERY_BRITTANY) and rank(chosen) == choix.rang
    free = [c for c in covering if not c.complet]
    assert choix.tous_complets == (not free)
    candidates = free or covering
    best = min(rank(c) for c in candidates)
    assert choix.rang == best
    same_rank = [c for c in candidates if rank(c) == best]
    assert chosen.charge == min(c.charge for c in same_rank)
    if not choix.tous_complets:
        assert not chosen.complet


def test_the_map_s_tints_follow_the_counts():
    from osezia.ambassadeurs.carte import SHADES, shade

    assert shade(0, 18) == 0  # nobody: grey
    assert shade(18, 18) == SHADES  # the most covered region: the darkest tint
    assert 1 <= shade(1, 18) < shade(9, 18) < shade(18, 18)
    assert [shade(n, 0) for n in (0, 1)] == [0, 3]  # a lone ambassador, no division by zero
