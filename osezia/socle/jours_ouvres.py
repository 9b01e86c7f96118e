"""Working days in France (pure Python, no Django): Monday to Friday except the national
public holidays (the `holidays` package: 1 January, Easter Monday, 1 and 8 May, Ascension,
Whit Monday, 14 July, 15 August, 1 and 11 November, 25 December).

The one engine of working-day deadlines: the ambassadors' first contact, the experts'
acceptance of a Diagnostic Data IA file; each module keeps its own delays."""

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("FR", years=year))


def is_holiday(day: date) -> bool:
    return day in _holidays(day.year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and not is_holiday(day)


def add_working_days(start: date, days: int) -> date:
    """The `days`-th working day after `start` (`start` itself never counts)."""
    current, left = start, days
    while left > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            left -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to `end` included (0 when `end` ≤ `start`)."""
    count, current = 0, start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count
