"""One proposal's figures: shares with their intervals, Make.org's scores, the ranking score,
the controversy and the zone, on counts checked by hand."""

import itertools

import pytest

from osezia.consultation import scores
from osezia.referentiels import codes


def test_the_zones_are_the_referential_codes():
    assert codes.codes("zone_consultation") == scores.ZONES


def test_figures_of_a_proposal_checked_by_hand():
    # 10 votes: 6 pour (3 coups de cœur, 1 réaliste, 1 banalité), 2 contre (1 surtout pas),
    # 2 neutre
    figures = scores.stats(
        6, 2, 2, {"coup_de_coeur": 3, "realiste": 1, "banalite": 1, "surtout_pas": 1}
    )
    assert figures.votes == 10
    assert figures.engagement == pytest.approx(1 - 3.33 / 11)
    assert figures.adhesion == pytest.approx(2 / 9)
    assert figures.realisme == pytest.approx(1 / 9)
    assert figures.accord == pytest.approx(4 / 11)
    # quality = (2/9 + 2 × 1/9) / 3 × 9/11 = 4/33; score = 4/11 + ½ × 7/11 × 4/33 = 146/363
    assert figures.score == pytest.approx(146 / 363)
    assert figures.controverse == pytest.approx(2.01 / 9)
    assert figures.intervalles["pour"].part == pytest.approx(0.6)
    assert figures.intervalles["pour"].bas == pytest.approx(0.3127, abs=1e-4)
    assert figures.intervalles["pour"].haut == pytest.approx(0.8318, abs=1e-4)
    assert figures.qualifications["coup_de_coeur"] == 3
    assert figures.qualifications["infaisable"] == 0
    assert figures.zone == scores.LIMBO  # 10 votes: too few
    data = figures.as_json()
    assert data["score"] == 0.4022 and data["zone"] == "limbo"
    assert data["intervalles"]["pour"] == {"part": 0.6, "bas": 0.3127, "haut": 0.8318}


def test_a_proposal_without_votes_has_neutral_figures():
    figures = scores.stats(0, 0, 0)
    assert figures.votes == 0
    assert figures.intervalles["pour"].as_json() == {"part": 0.0, "bas": 0.0, "haut": 1.0}
    assert figures.accord == 0 and figures.zone == scores.LIMBO
    assert figures.engagement == pytest.approx(0.67)


def test_consensus_starts_where_the_lower_bound_passes_the_threshold():
    # 30 pour of 40: lower bound 0.598; 31 of 40: 0.625
    assert scores.stats(30, 5, 5).intervalles["pour"].bas == pytest.approx(0.5981, abs=1e-4)
    assert scores.stats(30, 5, 5).zone == scores.LIMBO
    assert scores.stats(31, 5, 4).zone == scores.CONSENSUS


def test_rejection_mirrors_consensus():
    assert scores.stats(5, 30, 5).zone == scores.LIMBO
    assert scores.stats(4, 31, 5).zone == scores.REJET


def test_too_few_votes_is_limbo_whatever_they_say():
    assert scores.stats(19, 0, 0).zone == scores.LIMBO
    assert scores.stats(20, 0, 0).zone == scores.CONSENSUS
    assert scores.stats(0, 19, 0).zone == scores.LIMBO
    assert scores.stats(0, 20, 0).zone == scores.REJET


def test_split_opinion_is_controversy_unless_most_do_not_take_sides():
    assert scores.stats(50, 50, 0).zone == scores.CONTROVERSE
    # half neutral: still controversy among those who take sides
    assert scores.stats(25, 25, 50).zone == scores.CONTROVERSE
    # more than half neutral: limbo
    assert scores.stats(25, 24, 51).zone == scores.LIMBO


def test_controversy_needs_each_side_above_thirty_percent_of_the_sided_votes():
    # 42 pour, 18 contre: contre is exactly 0.3 of the 60 votes that take a side
    assert scores.stats(42, 18, 40).zone == scores.LIMBO
    assert scores.stats(41, 19, 40).zone == scores.CONTROVERSE
    assert scores.stats(18, 42, 40).zone == scores.LIMBO
    assert scores.stats(19, 41, 40).zone == scores.CONTROVERSE


def test_controversy_is_highest_when_opinion_is_split():
    split = scores.stats(50, 50, 0).controverse
    leaning = scores.stats(80, 20, 0).controverse
    unanimous = scores.stats(100, 0, 0).controverse
    assert split > leaning > unanimous
    assert split == pytest.approx(50.01 / 101)


def test_intervals_contain_the_share_and_narrow_with_more_votes():
    widths = []
    for scale in (1, 4, 16, 64):
        interval = scores.wilson(3 * scale, 10 * scale)
        assert interval.bas < interval.part < interval.haut
        assert interval.part == pytest.approx(0.3)
        widths.append(interval.haut - interval.bas)
    assert widths == sorted(widths, reverse=True) and widths[-1] < widths[0] / 6
    assert scores.wilson(0, 10).bas == pytest.approx(0.0)
    assert scores.wilson(10, 10).haut == pytest.approx(1.0)


def test_agreement_ranks_first_then_qualifications():
    plain = scores.stats(60, 20, 20)
    liked = scores.stats(60, 20, 20, {"coup_de_coeur": 30, "realiste": 20})
    disliked = scores.stats(60, 20, 20, {"surtout_pas": 10, "infaisable": 10})
    assert disliked.score < plain.score < liked.score
    # a clearly more agreed proposal ranks higher even without any qualification
    assert scores.stats(80, 10, 10).score > liked.score


def test_one_more_pour_vote_never_lowers_the_score():
    for contre, neutre, liked, real, against in itertools.product(
        range(0, 6), range(0, 6), range(0, 5), range(0, 5), range(0, 3)
    ):
        if against > contre:
            continue
        quals = {"coup_de_coeur": liked, "realiste": real, "infaisable": against}
        previous = None
        for pour in range(liked + real, 45):
            score = scores.stats(pour, contre, neutre, quals).score
            assert previous is None or score >= previous - 1e-12, (pour, contre, neutre, quals)
            assert -2 < score < 1
            previous = score


@pytest.mark.parametrize(
    "args, message",
    [
        ((-1, 0, 0), "pour : un nombre positif ou nul"),
        ((0, -3, 0), "contre : un nombre positif ou nul"),
        ((1.5, 0, 0), "pour : un nombre entier"),
        ((True, 0, 0), "pour : un nombre entier"),
        ((2, 0, 0, {"realiste": -1}), "realiste : un nombre positif ou nul"),
        ((2, 0, 0, {"genial": 1}), "qualification inconnue : genial"),
        ((2, 0, 0, {"realiste": 3}), "qualifications incohérentes"),
        ((2, 5, 0, {"coup_de_coeur": 2, "realiste": 1}), "qualifications incohérentes"),
        ((2, 2, 0, {"banalite": 5}), "qualifications incohérentes"),
        ((0, 0, 1, {"pas_d_avis": 1, "ca_m_est_egal": 1}), "qualifications incohérentes"),
    ],
)
def test_bad_counts_are_refused(args, message):
    with pytest.raises(ValueError, match=message):
        scores.stats(*args)


def test_qualifications_that_fit_their_votes_are_accepted():
    figures = scores.stats(2, 2, 1, {"coup_de_coeur": 1, "banalite": 2, "infaisable": 1})
    assert figures.qualifications["banalite"] == 2
