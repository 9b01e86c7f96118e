"""The order of the diagnostic's steps (pure Python, no Django): which step may be shown,
where a person resumes, which step comes after an answer, and when the diagnostic is complete.
Used by the page and the services alike."""

from dataclasses import dataclass

from . import scoring
from .questionnaire import Questionnaire

NEXT, PREVIOUS, LATER = "suivant", "precedent", "plus_tard"
ACTIONS = (NEXT, PREVIOUS, LATER)


def action_of(value: str | None) -> str:
    """The action a submitted step asks for; anything else is « next » (the form's default
    button), so that an unknown value never skips the required answers."""
    return value if value in ACTIONS else NEXT


def reachable(total: int, reached: int, index: int) -> bool:
    """A step can be shown once every step before it has been answered."""
    return 0 <= index < total and index <= reached


def resume_index(total: int, reached: int) -> int:
    """The step a person comes back to: the first one not answered yet (the last one when
    every step is answered but the diagnostic is not complete)."""
    return max(0, min(reached, total - 1))


def reached_after(total: int, reached: int, index: int) -> int:
    """The furthest step reachable once step `index` is answered."""
    return max(reached, min(index + 1, total))


@dataclass(frozen=True)
class Suite:
    """What follows a saved step: the step to show, or the completion of the diagnostic."""

    index: int | None
    complete: bool = False


def after_save(total: int, index: int, action: str) -> Suite:
    action = action_of(action)
    if action == PREVIOUS:
        return Suite(max(index - 1, 0))
    if action == LATER:
        return Suite(index)
    if index + 1 < total:
        return Suite(index + 1)
    return Suite(None, complete=True)


def missing_to_complete(questionnaire: Questionnaire, answers: scoring.Answers) -> list[str]:
    """The required questions still without an answer: a diagnostic is complete when none is
    left."""
    return list(scoring.missing_required(questionnaire, answers))
