"""Diagnostic Data IA use cases, one module per concern, re-exported here for the pages, the
API, the commands and the other apps."""

from .chiffres import observatory_figures
from .demandes import (
    ExpertiseError,
    Interdit,
    create_request,
    eligibility,
    latest_diagnostic,
    move,
    open_request,
    timeline,
)
from .devis import accept, propose, queue_rank, serve_queue, set_envelope
from .experts import (
    accept_file,
    accredit,
    assign,
    check_deadlines,
    declare_conflict,
    decline,
    save_profile,
    suggestions,
)
from .rapports import edit, view

__all__ = [
    "ExpertiseError",
    "Interdit",
    "accept",
    "accept_file",
    "accredit",
    "assign",
    "check_deadlines",
    "create_request",
    "decline",
    "declare_conflict",
    "edit",
    "eligibility",
    "latest_diagnostic",
    "move",
    "observatory_figures",
    "open_request",
    "propose",
    "queue_rank",
    "save_profile",
    "serve_queue",
    "set_envelope",
    "suggestions",
    "timeline",
    "view",
]
