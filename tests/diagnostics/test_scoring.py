import pytest

from osezia.diagnostics import scoring
from tests.diagnostics.factories import all_answers


def test_the_questionnaire_has_20_to_35_questions_over_the_six_dimensions(questionnaire):
    assert 20 <= len(questionnaire.questions) <= 35
    dimensions = {q.dimension for q in questionnaire.questions if q.dimension}
    assert dimensions == set(scoring.DIMENSIONS)
    assert all(len(questionnaire.questions_of(e.code)) > 0 for e in questionnaire.etapes)


def test_no_answer_means_no_maturity(questionnaire):
    assert scoring.maturity(questionnaire, {}) is None
    only_priorities = scoring.validate_answers(questionnaire, {"PRIO_TACHES": ["DEVIS"]})
    assert scoring.maturity(questionnaire, only_priorities) is None


def test_most_mature_answers_score_100_and_least_mature_score_0(questionnaire):
    top = scoring.maturity(
        questionnaire, scoring.validate_answers(questionnaire, all_answers(questionnaire, "max"))
    )
    assert top.overall == 100 and top.level == "TRANSFORMATION"
    bottom = scoring.maturity(
        questionnaire, scoring.validate_answers(questionnaire, all_answers(questionnaire, "min"))
    )
    assert bottom.overall == 0 and bottom.level == "DECOUVERTE"
    assert set(bottom.dimensions.values()) == {0}


def test_dimension_is_the_mean_of_its_questions_unanswered_counting_zero(questionnaire):
    strategy = [q for q in questionnaire.questions if q.dimension == "STRATEGIE"]
    first = strategy[0]
    answers = scoring.validate_answers(questionnaire, {first.code: first.options[-1].code})
    result = scoring.maturity(questionnaire, answers)
    assert result.dimensions["STRATEGIE"] == round(first.options[-1].points / len(strategy))
    assert result.overall == round(sum(result.dimensions.values()) / 6)


def test_multiple_choice_sums_points_capped_at_100(questionnaire):
    question = questionnaire.question("CONF_CYBER")
    everything = [o.code for o in question.options if not o.exclusif]
    assert scoring.question_score(questionnaire, "CONF_CYBER", tuple(everything)) == 100
    one = next(o for o in question.options if not o.exclusif)
    assert scoring.question_score(questionnaire, "CONF_CYBER", (one.code,)) == one.points


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (0, "DECOUVERTE"),
        (25, "DECOUVERTE"),
        (26, "EXPLORATION"),
        (50, "EXPLORATION"),
        (51, "DEPLOIEMENT"),
        (75, "DEPLOIEMENT"),
        (76, "TRANSFORMATION"),
        (100, "TRANSFORMATION"),
    ],
)
def test_levels_follow_the_referential(score, level):
    assert scoring.level_of(score) == level


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"INCONNUE": "X"}, "n'existe pas"),
        ({"STRAT_PRIORITE": "PEUT_ETRE"}, "réponse inconnue"),
        ({"STRAT_PRIORITE": ["NON"]}, "une seule réponse"),
        ({"PRIO_TACHES": ["DEVIS", "FACTURES", "PLANNING", "STOCKS"]}, "au plus 3"),
        ({"CONF_CYBER": ["AUCUNE", "SAUVEGARDES"]}, "ne se combine pas"),
        ({"PRIO_TACHES": 3}, "réponses dans la liste"),
    ],
)
def test_bad_answers_are_refused_in_french(questionnaire, answers, message):
    codes = {q.code: {o.code for o in q.options} for q in questionnaire.questions}
    # Keep the parametrised codes honest against the shipped questionnaire.
    if "PRIO_TACHES" in answers and isinstance(answers["PRIO_TACHES"], list):
        answers = {"PRIO_TACHES": sorted(codes["PRIO_TACHES"])[:4]}
    if "CONF_CYBER" in answers:
        exclusive = next(o.code for o in questionnaire.question("CONF_CYBER").options if o.exclusif)
        other = next(o.code for o in questionnaire.question("CONF_CYBER").options if not o.exclusif)
        answers = {"CONF_CYBER": [exclusive, other]}
    with pytest.raises(scoring.InvalidAnswers) as excinfo:
        scoring.validate_answers(questionnaire, answers)
    assert message in str(excinfo.value)


def test_priorities_and_usages_feed_the_engine(questionnaire):
    task = questionnaire.question("PRIO_TACHES")
    option = next(o for o in task.options if o.familles)
    answers = scoring.validate_answers(
        questionnaire, {"PRIO_TACHES": [option.code], "USAGE_RELATION_CLIENT": "EN_PRODUCTION"}
    )
    signals = scoring.priority_signals(questionnaire, answers)
    family, weight = max(option.familles.items(), key=lambda kv: kv[1])
    assert signals[family][0] == weight and option.libelle in signals[family][1]
    assert scoring.usage_stages(questionnaire, answers)["RELATION_CLIENT"] == "EN_PRODUCTION"
