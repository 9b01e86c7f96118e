"""The ambassadors' use cases, the only writers of this app's tables, one module per concern:
`reseau` (profiles, applications, the CSV import, the directory), `demandes` (requests,
routing, statuses, handing over, deadlines), `activites` (the activity log and the contact
form), `chiffres` (figures for the ambassador and the observatory)."""

from .chiffres import ambassador_figures, observatory_figures
from .demandes import (
    DemandeError,
    answer,
    change_status,
    check_deadlines,
    create_request,
    hand_over,
    validate_request,
)
from .reseau import apply, decide_application, directory, import_ambassadeurs

__all__ = [
    "DemandeError",
    "ambassador_figures",
    "answer",
    "apply",
    "change_status",
    "check_deadlines",
    "create_request",
    "decide_application",
    "directory",
    "hand_over",
    "import_ambassadeurs",
    "observatory_figures",
    "validate_request",
]
