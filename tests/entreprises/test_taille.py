"""Size categories by décret 2008-1354, at every threshold of the decree."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from osezia.entreprises.taille import InvalidFigures, size_category

M = 1_000_000


@pytest.mark.parametrize(
    ("effectif", "ca", "bilan", "expected"),
    [
        # The cases the plan's operators check.
        (8, 900_000, None, "TPE"),
        (9, 3 * M, 1_500_000, "TPE"),
        (9, 3 * M, 3 * M, "PME"),
        (300, 40 * M, None, "ETI"),
        (6000, 3000 * M, None, "GE"),
        # 9 / 10 persons.
        (9, 1 * M, 1 * M, "TPE"),
        (10, 1 * M, 1 * M, "PME"),
        # 2 M€: « n'excédant pas » means 2,000,000 is still TPE.
        (5, 2 * M, 2 * M, "TPE"),
        (5, 2 * M + 1, 2 * M + 1, "PME"),
        (5, 2 * M + 1, 2 * M, "TPE"),
        (5, 2 * M, 2 * M + 1, "TPE"),
        # 249 / 250 persons.
        (249, 10 * M, 10 * M, "PME"),
        (250, 10 * M, 10 * M, "ETI"),
        # 50 M€ turnover OR 43 M€ balance sheet.
        (100, 50 * M, 60 * M, "PME"),
        (100, 50 * M + 1, 43 * M, "PME"),
        (100, 50 * M + 1, 43 * M + 1, "ETI"),
        (100, 80 * M, 43 * M, "PME"),
        # 4,999 / 5,000 persons.
        (4999, 100 * M, 100 * M, "ETI"),
        (5000, 100 * M, 100 * M, "GE"),
        # 1,500 M€ turnover OR 2,000 M€ balance sheet.
        (1000, 1500 * M, 2500 * M, "ETI"),
        (1000, 1500 * M + 1, 2000 * M, "ETI"),
        (1000, 1500 * M + 1, 2000 * M + 1, "GE"),
        # Few persons but a very large turnover and balance sheet.
        (3, 60 * M, 50 * M, "ETI"),
    ],
)
def test_category_at_every_threshold(effectif, ca, bilan, expected):
    result = size_category(effectif, ca, bilan)
    assert result.categorie == expected
    assert result.estimation is False


def test_headcount_alone_is_an_estimate():
    result = size_category(8)
    assert (result.categorie, result.estimation) == ("TPE", True)
    assert size_category(120).categorie == "PME"
    assert size_category(300).categorie == "ETI"
    assert size_category(6000).categorie == "GE"


def test_one_known_figure_that_settles_the_category_is_not_an_estimate():
    assert size_category(8, 900_000) == size_category(8, 900_000, 100)
    assert size_category(8, 900_000).estimation is False
    # 3 M€ turnover: the unknown balance sheet decides between TPE and PME.
    result = size_category(9, 3 * M)
    assert (result.categorie, result.estimation) == ("TPE", True)


@pytest.mark.parametrize(
    ("effectif", "ca", "bilan"), [(-1, None, None), (None, 1, 1), (5, -10, None), (5, None, -1)]
)
def test_invalid_figures_are_refused_in_french(effectif, ca, bilan):
    with pytest.raises(InvalidFigures) as excinfo:
        size_category(effectif, ca, bilan)
    assert "négati" in str(excinfo.value) or "obligatoire" in str(excinfo.value)


ORDER = ["TPE", "PME", "ETI", "GE"]


@given(
    st.integers(0, 10_000),
    st.integers(0, 3_000 * M),
    st.integers(0, 3_000 * M),
    st.integers(0, 1_000),
)
def test_more_persons_never_make_a_smaller_category(effectif, ca, bilan, extra):
    small = size_category(effectif, ca, bilan).categorie
    large = size_category(effectif + extra, ca, bilan).categorie
    assert ORDER.index(large) >= ORDER.index(small)
