"""Maturity scoring of the self-diagnostic (pure Python, no Django). See docs/diagnostic.md.

- A single-choice question scores the points of the chosen option (0–100).
- A multiple-choice question scores the sum of the chosen options' points, capped at 100.
- A dimension scores the mean of its questions, an unanswered question counting 0.
- The overall score is the mean of the six dimensions; the level follows REFERENTIALS.md.
Without any answer to a scored question there is no maturity (None), not a zero.
"""

from dataclasses import dataclass

from osezia.referentiels import codes

from .questionnaire import MULTIPLE, SINGLE, Questionnaire

DIMENSIONS = codes.codes("dimension")
LEVELS = codes.NIVEAUX_BORNES
STAGE_ORDER = ("NON_UTILISE", "ENVISAGE", "EN_TEST", "EN_PRODUCTION")

Answers = dict[str, tuple[str, ...]]


class InvalidAnswers(ValueError):
    """Answers that do not fit the questionnaire. `by_question` holds the French messages of
    each known question (by its code, to show next to it), `general` those about unknown
    questions; `errors` is every message, the question named by its wording."""

    def __init__(
        self,
        errors: list[str],
        by_question: dict[str, list[str]] | None = None,
        general: list[str] | None = None,
    ):
        super().__init__(" ".join(errors))
        self.errors = errors
        self.by_question = by_question or {}
        self.general = general if general is not None else ([] if by_question else errors)


@dataclass(frozen=True)
class Maturity:
    dimensions: dict[str, int]
    overall: int
    level: str


def level_of(score: int) -> str:
    for code, low, high in LEVELS:
        if low <= score <= high:
            return code
    raise ValueError(f"score hors bornes : {score}")


def validate_answers(questionnaire: Questionnaire, raw: dict | None) -> Answers:
    """Normalise `{question: option or [options]}`; raise InvalidAnswers in French (each
    message about a known question is kept for that question; no code is shown to people)."""
    general: list[str] = []
    by_question: dict[str, list[str]] = {}
    errors: list[str] = []
    answers: Answers = {}

    def refuse(question, message: str) -> None:
        by_question.setdefault(question.code, []).append(message)
        errors.append(f"« {question.libelle} » : {message[0].lower()}{message[1:]}")

    for code, value in (raw or {}).items():
        question = questionnaire.question(code)
        if question is None:
            message = f"La question « {code} » n'existe pas dans le questionnaire v{questionnaire.version}."
            general.append(message)
            errors.append(message)
            continue
        if value is None or value == [] or value == "":
            continue
        if question.type == SINGLE:
            if not isinstance(value, str):
                refuse(question, "Choisissez une seule réponse.")
                continue
            chosen = (value,)
        else:
            values = [value] if isinstance(value, str) else value
            if not isinstance(values, list | tuple) or not all(isinstance(v, str) for v in values):
                refuse(question, "Choisissez une ou plusieurs réponses dans la liste.")
                continue
            chosen = tuple(dict.fromkeys(values))
        unknown = [c for c in chosen if question.option(c) is None]
        if unknown:
            refuse(
                question,
                "Réponse inconnue : choisissez parmi « "
                + " », « ".join(o.libelle for o in question.options)
                + " ».",
            )
            continue
        if question.type == MULTIPLE:
            if question.max_choix and len(chosen) > question.max_choix:
                refuse(
                    question,
                    f"Choisissez au plus {question.max_choix} réponses "
                    f"(vous en avez coché {len(chosen)}).",
                )
                continue
            exclusive = [question.option(c) for c in chosen if question.option(c).exclusif]
            if len(chosen) > 1 and exclusive:
                refuse(
                    question,
                    f"La réponse « {exclusive[0].libelle} » ne se combine pas avec d'autres.",
                )
                continue
        answers[code] = chosen
    if errors:
        raise InvalidAnswers(errors, by_question, general)
    return answers


def missing_required(
    questionnaire: Questionnaire, answers: Answers, etape: str | None = None
) -> list[str]:
    return [
        q.code
        for q in questionnaire.questions
        if q.obligatoire and q.code not in answers and (etape is None or q.etape == etape)
    ]


def question_score(questionnaire: Questionnaire, code: str, chosen: tuple[str, ...]) -> int:
    question = questionnaire.question(code)
    points = [question.option(c).points for c in chosen]
    if question.type == SINGLE:
        return points[0]
    return min(100, sum(points))


def maturity(questionnaire: Questionnaire, answers: Answers) -> Maturity | None:
    scored = [q for q in questionnaire.questions if q.dimension]
    if not any(q.code in answers for q in scored):
        return None
    dimensions = {}
    for dimension in DIMENSIONS:
        questions = [q for q in scored if q.dimension == dimension]
        if not questions:
            dimensions[dimension] = 0
            continue
        total = sum(
            question_score(questionnaire, q.code, answers[q.code])
            for q in questions
            if q.code in answers
        )
        dimensions[dimension] = round(total / len(questions))
    overall = round(sum(dimensions.values()) / len(DIMENSIONS))
    return Maturity(
        dimensions=dimensions, overall=overall, level=capped_level(questionnaire, answers, overall)
    )


# Without any AI in production, a company is at most exploring, whatever its other scores.
LEVEL_WITHOUT_PRODUCTION = "EXPLORATION"


def capped_level(questionnaire: Questionnaire, answers: Answers, overall: int) -> str:
    """The level of the overall score, capped at EXPLORATION when the questionnaire asks about
    the AI in use and no answer says one is in production (« Déploiement » and beyond mean AI
    actually running)."""
    level = level_of(overall)
    usage = [q for q in questionnaire.questions if q.familles_usage]
    if not usage or any("EN_PRODUCTION" in answers.get(q.code, ()) for q in usage):
        return level
    order = [code for code, _low, _high in LEVELS]
    if order.index(level) > order.index(LEVEL_WITHOUT_PRODUCTION):
        return LEVEL_WITHOUT_PRODUCTION
    return level


def usage_labels(questionnaire: Questionnaire, answers: Answers) -> dict[str, str]:
    """For each family whose stage was declared, the wording of the usage question it comes
    from (the one of its most advanced stage), so that the advice quotes what was said."""
    stages = usage_stages(questionnaire, answers)
    labels: dict[str, str] = {}
    for question in questionnaire.questions:
        if not question.familles_usage or question.code not in answers:
            continue
        for family in question.familles_usage:
            if family not in labels and stages.get(family) == answers[question.code][0]:
                labels[family] = question.libelle
    return labels


def priority_signals(
    questionnaire: Questionnaire, answers: Answers
) -> dict[str, tuple[float, list[str]]]:
    """Families the leader's priorities point to: weight (max over options) and option labels."""
    signals: dict[str, tuple[float, list[str]]] = {}
    for code, chosen in answers.items():
        question = questionnaire.question(code)
        for option_code in chosen:
            option = question.option(option_code)
            for family, weight in option.familles.items():
                current, labels = signals.get(family, (0.0, []))
                signals[family] = (max(current, float(weight)), [*labels, option.libelle])
    return signals


def usage_stages(questionnaire: Questionnaire, answers: Answers) -> dict[str, str]:
    """For each family covered by a usage question, the most advanced stage declared."""
    stages: dict[str, str] = {}
    for question in questionnaire.questions:
        if not question.familles_usage or question.code not in answers:
            continue
        stage = answers[question.code][0]
        if stage not in STAGE_ORDER:
            continue
        for family in question.familles_usage:
            if family not in stages or STAGE_ORDER.index(stage) > STAGE_ORDER.index(stages[family]):
                stages[family] = stage
    return stages
