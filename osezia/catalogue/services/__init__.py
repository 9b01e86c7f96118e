"""The catalogue's use cases, one module per concern. Every change that spans tables is one
transaction; each change the search index must follow is logged in that same transaction
(`recherche.services.mark_changed`) and applied by the index's applier.

- `versions`: what the others share: checking a line, versions, history, index log;
- `imports`: reading and importing trusted catalogues (operators), the export;
- `solutions`: providers' solutions: creation, new content, submission;
- `moderation`: the moderation queue, publication, refusal, withdrawals;
- `published`: the public catalogue read: one published solution, the comparison;
- `tokens`: providers' API tokens;
- `contacts`: visitors' contact requests and their e-mail, the statistics;
- `providers`: provider organisations, their registration and members.

Code of the catalogue imports the precise module; this package re-exports the public
functions for the other apps, the commands, the demo and the tests (`services.publish(...)`)."""

from .contacts import (
    contact,
    failed_contacts,
    record_view,
    retry_contact,
    send_contact_email,
)
from .imports import BATCH, ImportReport, export_lines, import_lines, read_lines
from .moderation import decide, moderation_queue, publish, recent_withdrawals, refuse, withdraw
from .providers import (
    add_member,
    add_member_by_email,
    parse_siren,
    register_provider,
    verified_account,
)
from .published import COMPARISON_MAX, COMPARISON_MIN, comparison, published_solution
from .solutions import (
    ID_FIXED,
    ID_TAKEN,
    create_solution,
    provider_solutions,
    save_draft,
    submit,
    update_solution,
)
from .tokens import authenticate_token, create_token, revoke_token
from .versions import known_naf, provider_for, validate

__all__ = [
    "BATCH",
    "COMPARISON_MAX",
    "COMPARISON_MIN",
    "ID_FIXED",
    "ID_TAKEN",
    "ImportReport",
    "add_member",
    "add_member_by_email",
    "authenticate_token",
    "comparison",
    "contact",
    "create_solution",
    "create_token",
    "export_lines",
    "failed_contacts",
    "import_lines",
    "known_naf",
    "decide",
    "moderation_queue",
    "parse_siren",
    "provider_for",
    "provider_solutions",
    "publish",
    "published_solution",
    "read_lines",
    "record_view",
    "recent_withdrawals",
    "refuse",
    "register_provider",
    "retry_contact",
    "revoke_token",
    "save_draft",
    "send_contact_email",
    "submit",
    "update_solution",
    "validate",
    "verified_account",
    "withdraw",
]
