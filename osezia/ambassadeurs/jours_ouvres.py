"""The ambassadors' first-contact deadline in French working days (the engine lives in
`socle.jours_ouvres`, pure Python, shared with the experts' deadlines).

An ambassador makes a first contact within `DELAI_PREMIER_CONTACT` working days of the
assignment; the reminder goes at day `JOUR_RELANCE`, the reassignment at day
`JOUR_REATTRIBUTION` (days counted from the day after the assignment)."""

from datetime import date

from osezia.socle.jours_ouvres import (
    add_working_days,
    is_holiday,
    is_working_day,
    working_days_between,
)

__all__ = [
    "DELAI_PREMIER_CONTACT",
    "JOUR_REATTRIBUTION",
    "JOUR_RELANCE",
    "add_working_days",
    "deadline",
    "is_holiday",
    "is_working_day",
    "working_days_between",
]

DELAI_PREMIER_CONTACT = 5
JOUR_RELANCE = 3
JOUR_REATTRIBUTION = 6


def deadline(assigned_on: date) -> date:
    return add_working_days(assigned_on, DELAI_PREMIER_CONTACT)
