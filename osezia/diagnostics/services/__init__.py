"""Self-diagnostic use cases, by concern: questionnaire versions (`questionnaires`), the
company profile (`profils`), scoring and reading results (`resultats`), the life of a stored
diagnostic (`cycle`), the results page's preferences (`preferences`), re-scoring
(`recalcul`). The bridge between the ORM and the pure `scoring`, `engine` and `parcours`
modules. Every public name is re-exported here: callers import `diagnostics.services`."""

from .cycle import FINISHED, answer_step, attach, complete, save_step, start, submit
from .preferences import (
    HOSTING_CHOICES,
    MAX_BUDGET_EUR_MOIS,
    Preferences,
    parse_preferences,
)
from .profils import MAX_DESCRIPTION, Profil, profile_of, validate_profile
from .questionnaires import (
    CURRENT_TTL_SECONDS,
    DATA_DIR,
    _as_data,
    copy_as_new_version,
    current_questionnaire,
    forget_current_questionnaire,
    load_questionnaire,
    load_questionnaire_file,
    questionnaire_changed,
    questionnaire_data,
)
from .recalcul import (
    Echec,
    RescoreError,
    RescoreFailed,
    completed_pk_ranges,
    rescore_all,
    rescore_in_parallel,
)
from .resultats import (
    PEERS_MINIMUM,
    Resultat,
    answers_of,
    compare,
    evaluate,
    evaluate_diagnostic,
    history,
    peers,
    quick_assessment,
    store_results,
    validate_answers,
)

__all__ = [
    "CURRENT_TTL_SECONDS",
    "DATA_DIR",
    "FINISHED",
    "HOSTING_CHOICES",
    "MAX_BUDGET_EUR_MOIS",
    "MAX_DESCRIPTION",
    "PEERS_MINIMUM",
    "Echec",
    "Preferences",
    "Profil",
    "RescoreError",
    "RescoreFailed",
    "Resultat",
    "_as_data",
    "answer_step",
    "answers_of",
    "attach",
    "compare",
    "complete",
    "completed_pk_ranges",
    "copy_as_new_version",
    "current_questionnaire",
    "evaluate",
    "evaluate_diagnostic",
    "forget_current_questionnaire",
    "history",
    "load_questionnaire",
    "load_questionnaire_file",
    "parse_preferences",
    "peers",
    "profile_of",
    "questionnaire_changed",
    "questionnaire_data",
    "quick_assessment",
    "rescore_all",
    "rescore_in_parallel",
    "save_step",
    "start",
    "store_results",
    "submit",
    "validate_answers",
    "validate_profile",
]
