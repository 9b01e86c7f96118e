"""Tutorials and their quiz: storing them, the quiz rules (attempts, delays), grading."""

import math
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .. import format as fmt
from ..models import (
    Inscription,
    TentativeQuiz,
    Tutoriel,
)
from .completions import complete
from .trainings import family_codes, schedule_index

QUIZ_PASS_RATIO = 2 / 3
# Quiz rules (docs/academie.md): at most 3 graded attempts per tutorial per rolling hour, and
# 30 seconds at least between two attempts.
QUIZ_MAX_ATTEMPTS = 3
QUIZ_WINDOW = timedelta(hours=1)
QUIZ_MIN_DELAY = timedelta(seconds=30)


def published_tutorial(slug: str) -> Tutoriel | None:
    """A published tutorial (None when unknown or withdrawn)."""
    return Tutoriel.objects.filter(slug=slug, publie=True).first()


def tutorial_enrolment(user, tutoriel: Tutoriel) -> Inscription | None:
    """The learner's enrolment in a tutorial (None for an anonymous visitor or none yet)."""
    if not (user and user.is_authenticated):
        return None
    return Inscription.objects.filter(apprenant=user, tutoriel=tutoriel).first()


def start_tutorial(user, tutoriel: Tutoriel) -> Inscription:
    inscription, _ = Inscription.objects.get_or_create(
        apprenant=user, tutoriel=tutoriel, defaults={"statut": Inscription.Statut.INSCRIT}
    )
    return inscription


@dataclass
class Correction:
    """The feedback on one question of an attempt. The right answer is given once the quiz is
    passed only (`bonne_reponse` None before): until then the learner learns which answers are
    wrong, not what to tick, so that a certificate still needs the tutorial to be read."""

    numero: int  # 1-based
    question: str
    reponse: int | None
    reponse_libelle: str
    juste: bool
    bonne_reponse: int | None = None
    bonne_reponse_libelle: str = ""


def corrections(tutoriel: Tutoriel, answers: list[int | None], reveal: bool) -> list[Correction]:
    """Question by question: the answer given, right or wrong, and (when `reveal`, after a
    passed quiz) the right answer."""
    out = []
    for index, (question, answer) in enumerate(zip(tutoriel.quiz, answers, strict=False), 1):
        choices = question["choix"]
        given = answer if isinstance(answer, int) and 0 <= answer < len(choices) else None
        right = question["reponse"]
        out.append(
            Correction(
                numero=index,
                question=question["question"],
                reponse=given,
                reponse_libelle=choices[given] if given is not None else "",
                juste=given == right,
                bonne_reponse=right if reveal else None,
                bonne_reponse_libelle=choices[right] if reveal else "",
            )
        )
    return out


def pass_mark(total: int) -> int:
    """The right answers a quiz of `total` questions needs (two thirds, rounded up)."""
    return math.ceil(total * QUIZ_PASS_RATIO - 1e-9)


@dataclass
class QuizResult:
    correct: int
    total: int
    passed: bool
    inscription: Inscription | None
    attempts_left: int = 0  # in the current rolling hour, after this one
    corrections: list = None  # `Correction`s, one a question
    needed: int = 0  # right answers needed to pass


class QuizAttemptRefused(ValidationError):  # noqa: N818 - a ValidationError, like the others
    """An answer sent before the quiz rules allow another attempt (not graded, not stored)."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


def _duration(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} seconde{'s' if seconds > 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes > 1 else ''}"


def _recent_attempts(user_id: int, tutoriel_id: int, now) -> list:
    """When this learner's attempts of the last rolling window were made, newest first."""
    return list(
        TentativeQuiz.objects.filter(
            apprenant_id=user_id, tutoriel_id=tutoriel_id, cree_le__gt=now - QUIZ_WINDOW
        )
        .order_by("-cree_le")
        .values_list("cree_le", flat=True)[:QUIZ_MAX_ATTEMPTS]
    )


def quiz_wait(user, tutoriel: Tutoriel, now=None) -> tuple[int, str]:
    """(seconds before this learner may answer this quiz again, French reason); (0, "") now."""
    now = now or timezone.now()
    recent = _recent_attempts(user.pk, tutoriel.pk, now)
    if len(recent) >= QUIZ_MAX_ATTEMPTS:
        wait = math.ceil((recent[QUIZ_MAX_ATTEMPTS - 1] + QUIZ_WINDOW - now).total_seconds())
        if wait > 0:
            return wait, (
                f"vous avez déjà répondu {QUIZ_MAX_ATTEMPTS} fois à ce quiz en moins d'une heure : "
                f"vous pourrez réessayer dans {_duration(wait)}"
            )
    if recent:
        wait = math.ceil((recent[0] + QUIZ_MIN_DELAY - now).total_seconds())
        if wait > 0:
            return wait, (
                "prenez le temps de relire le tutoriel : vous pourrez répondre de nouveau dans "
                f"{_duration(wait)}"
            )
    return 0, ""


def submit_quiz(user, tutoriel: Tutoriel, answers: list[int | None]) -> QuizResult:
    """The learner answers the tutorial's quiz; two answers out of three complete it.

    Every graded answer is stored as a `TentativeQuiz`. At most `QUIZ_MAX_ATTEMPTS` per rolling
    `QUIZ_WINDOW` and `QUIZ_MIN_DELAY` between two: an answer sent earlier is refused
    (`QuizAttemptRefused`, with the wait), neither graded nor stored. The tutorial is completed
    (certificate code) only by a passed attempt stored within these rules."""
    questions = tutoriel.quiz
    if len(answers) != len(questions):
        raise ValidationError(f"répondez aux {len(questions)} questions")
    with transaction.atomic():
        inscription = start_tutorial(user, tutoriel)
        # The learner's row for this tutorial is the lock: two answers sent at once are
        # counted one after the other.
        inscription = Inscription.objects.select_for_update().get(pk=inscription.pk)
        now = timezone.now()
        wait, reason = quiz_wait(user, tutoriel, now)
        if wait:
            raise QuizAttemptRefused(reason, wait)
        correct = sum(1 for q, a in zip(questions, answers, strict=True) if a == q["reponse"])
        passed = correct >= len(questions) * QUIZ_PASS_RATIO
        TentativeQuiz.objects.create(
            apprenant=user,
            tutoriel=tutoriel,
            cree_le=now,
            bonnes_reponses=correct,
            questions=len(questions),
            reussie=passed,
        )
        if passed and inscription.statut != Inscription.Statut.TERMINEE:
            complete(inscription, score=correct)
        left = QUIZ_MAX_ATTEMPTS - len(_recent_attempts(user.pk, tutoriel.pk, now))
    return QuizResult(
        correct,
        len(questions),
        passed,
        inscription,
        left,
        corrections(tutoriel, answers, reveal=passed),
        pass_mark(len(questions)),
    )


@transaction.atomic
def save_tutoriel(data: dict) -> Tutoriel:
    cleaned, errors = fmt.check_tutoriel(data, family_codes())
    if errors:
        raise ValidationError([f"{path} : {message}" for path, message in errors])
    tutoriel, _ = Tutoriel.objects.update_or_create(
        slug=cleaned["slug"], defaults={k: v for k, v in cleaned.items() if k != "slug"}
    )
    schedule_index([tutoriel.slug], "tutoriel")
    return tutoriel
