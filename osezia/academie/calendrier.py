"""A session as an iCalendar file (RFC 5545), attached to the enrolment e-mail.

Pure Python. LHEO sessions carry dates, not hours: the event is a run of whole days
(`DTSTART;VALUE=DATE`, `DTEND` the day after the last one, as RFC 5545 § 3.6.1 asks), the days
of the training's place, in France (Europe/Paris). `DTSTAMP` is in UTC."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

PRODID = "-//Osez l'IA//Academie de l'IA//FR"
TIMEZONE = "Europe/Paris"


@dataclass(frozen=True)
class Evenement:
    uid: str
    debut: date
    fin: date  # the last day (included)
    titre: str
    lieu: str = ""
    description: str = ""
    url: str = ""


def _escape(text: str) -> str:
    """TEXT values (§ 3.3.11): backslash, semicolon, comma and line breaks escaped."""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Content lines of at most 75 octets, continued by CRLF and a space (§ 3.1), never
    cutting a UTF-8 character."""
    out, current = [], ""
    for char in line:
        limit = 75 if not out else 74  # a continuation line starts with one space
        if len((current + char).encode("utf-8")) > limit:
            out.append(current)
            current = char
        else:
            current += char
    out.append(current)
    return "\r\n ".join(out)


def ics(event: Evenement, now: datetime | None = None) -> str:
    """The calendar file (CRLF line ends) holding this one event."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    last = max(event.fin, event.debut)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-TIMEZONE:{TIMEZONE}",
        "BEGIN:VEVENT",
        f"UID:{_escape(event.uid)}",
        f"DTSTAMP:{now:%Y%m%dT%H%M%SZ}",
        f"DTSTART;VALUE=DATE:{event.debut:%Y%m%d}",
        f"DTEND;VALUE=DATE:{last + timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{_escape(event.titre)}",
    ]
    if event.lieu:
        lines.append(f"LOCATION:{_escape(event.lieu)}")
    if event.description:
        lines.append(f"DESCRIPTION:{_escape(event.description)}")
    if event.url:
        lines.append(f"URL:{event.url}")
    lines += ["TRANSP:OPAQUE", "END:VEVENT", "END:VCALENDAR"]
    return "".join(_fold(line) + "\r\n" for line in lines)
