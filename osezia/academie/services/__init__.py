"""The Académie's use cases, one module per concern:

- `trainings`: checking and storing trainings (LHEO import, demo, API), their export;
- `profiles`: the learner profile and the rule « a learner profile is needed »;
- `enrolments`: seats never oversold, the waiting list, cancellation;
- `completions`: completions recorded by training organisations;
- `certificates`: certificate codes and their verification;
- `counters`: the « professionnels formés » counter, kept incrementally;
- `tutorials`: tutorials and their quiz;
- `paths`: learning paths and a learner's progress;
- `organisations`: training organisations' members.

Code of the Académie imports the precise module; this package re-exports the public functions
for the other apps, the commands and the tests (`services.enrol(...)`)."""

from .certificates import Attestation, find_attestation, holder_name, new_code
from .completions import complete_session, completion_open, record_attendance
from .counters import OBJECTIF_2030, counters, recount
from .enrolments import (
    cancel,
    cancellable,
    enrol,
    enrolments_of,
    has_begun,
    live_by_session,
    live_enrolments,
    managed_sessions,
    release_enrolments,
    session_participants,
)
from .organisations import add_member, add_member_by_email, members
from .paths import (
    PathProgress,
    StepState,
    completed_steps,
    follow_of,
    followed_paths,
    path_progress,
    progress,
    published_paths,
    save_parcours,
    start_path,
)
from .profiles import ProfileRequired, learner_profile, require_profile, set_profile
from .trainings import (
    FORMATION_FIELDS,
    ImportReport,
    Saved,
    check,
    export_lheo,
    family_codes,
    import_lheo,
    import_trainings,
    infer_families,
    next_session,
    normalized,
    published_formation,
    save_formation,
    schedule_index,
    with_details,
)
from .tutorials import (
    QUIZ_MAX_ATTEMPTS,
    QuizAttemptRefused,
    QuizResult,
    published_tutorial,
    quiz_wait,
    save_tutoriel,
    start_tutorial,
    submit_quiz,
    tutorial_enrolment,
)

__all__ = [
    "FORMATION_FIELDS",
    "OBJECTIF_2030",
    "QUIZ_MAX_ATTEMPTS",
    "Attestation",
    "ImportReport",
    "PathProgress",
    "StepState",
    "followed_paths",
    "ProfileRequired",
    "QuizAttemptRefused",
    "QuizResult",
    "Saved",
    "add_member",
    "follow_of",
    "enrolments_of",
    "live_by_session",
    "live_enrolments",
    "published_formation",
    "published_tutorial",
    "tutorial_enrolment",
    "add_member_by_email",
    "members",
    "cancel",
    "cancellable",
    "check",
    "complete_session",
    "completed_steps",
    "completion_open",
    "counters",
    "enrol",
    "export_lheo",
    "family_codes",
    "find_attestation",
    "has_begun",
    "holder_name",
    "import_lheo",
    "import_trainings",
    "infer_families",
    "managed_sessions",
    "new_code",
    "next_session",
    "normalized",
    "path_progress",
    "progress",
    "published_paths",
    "quiz_wait",
    "record_attendance",
    "recount",
    "release_enrolments",
    "require_profile",
    "learner_profile",
    "save_formation",
    "save_parcours",
    "save_tutoriel",
    "schedule_index",
    "session_participants",
    "set_profile",
    "start_path",
    "start_tutorial",
    "submit_quiz",
    "with_details",
]
