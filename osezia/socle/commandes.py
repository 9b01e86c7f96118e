"""What the management commands share: the `--maintenant` option of the deadline checks
(ambassadors, experts), which simulates another date."""

from datetime import datetime

from django.core.management.base import CommandError
from django.utils import timezone

MAINTENANT_HELP = "Date et heure ISO 8601 (AAAA-MM-JJ ou AAAA-MM-JJTHH:MM)"


def add_maintenant(parser) -> None:
    parser.add_argument("--maintenant", help=MAINTENANT_HELP)


def maintenant(value: str | None) -> datetime | None:
    """The moment `--maintenant` names (in the platform's time zone when naive), None without
    it; CommandError in French when it is not ISO 8601."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise CommandError("--maintenant : date ISO 8601 attendue (AAAA-MM-JJ).") from exc
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment
