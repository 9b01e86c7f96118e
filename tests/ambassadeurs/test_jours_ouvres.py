from datetime import date

from osezia.ambassadeurs.jours_ouvres import (
    add_working_days,
    deadline,
    is_working_day,
    working_days_between,
)


def test_weekends_and_french_public_holidays_are_not_working_days():
    assert not is_working_day(date(2026, 12, 5))  # Saturday
    assert not is_working_day(date(2026, 5, 14))  # Ascension, Thursday
    assert not is_working_day(date(2026, 4, 6))  # Easter Monday
    assert not is_working_day(date(2026, 7, 14))
    assert is_working_day(date(2026, 12, 3))


def test_five_working_days_skip_the_weekend():
    # Thursday 3 December 2026 → Thursday 10 December.
    assert deadline(date(2026, 12, 3)) == date(2026, 12, 10)


def test_the_deadline_skips_christmas_and_new_year():
    # Wednesday 23 December 2026: 24, 28, 29, 30, 31 (25 Dec and 1 Jan are holidays).
    assert deadline(date(2026, 12, 23)) == date(2026, 12, 31)
    assert add_working_days(date(2026, 12, 23), 6) == date(2027, 1, 4)


def test_ascension_week():
    # Tuesday 12 May 2026: 13, 15, 18, 19, 20 (14 May is Ascension).
    assert deadline(date(2026, 5, 12)) == date(2026, 5, 20)


def test_working_days_between():
    assert working_days_between(date(2026, 12, 3), date(2026, 12, 3)) == 0
    assert working_days_between(date(2026, 12, 3), date(2026, 12, 8)) == 3
    assert working_days_between(date(2026, 12, 4), date(2026, 12, 6)) == 0
