"""iCalendar files (RFC 5545, the `icalendar` package, Europe/Paris): a participant's agenda,
one VEVENT per meeting (counterpart and table; UID stable across re-planning, SEQUENCE raised
on each change), and the public feed of the events."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from icalendar import Calendar, Event

PARIS = ZoneInfo("Europe/Paris")
DOMAINE = "osez-ia.fr"


def _calendrier(nom: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//Osez l'IA//Rencontres d'affaires//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", nom)
    cal.add("x-wr-timezone", "Europe/Paris")
    return cal


def salle_de(evenement, table: int) -> int:
    """Halls of an AI Business Day share the tables in equal blocks (1-based)."""
    par_salle = -(-evenement.tables // max(1, evenement.salles))
    return (table - 1) // par_salle + 1


def lieu_du_rdv(evenement, table: int) -> str:
    lieu = "En ligne" if evenement.en_ligne else evenement.lieu
    if evenement.salles > 1:
        return f"{lieu} — salle {salle_de(evenement, table)}, table {table}"
    return f"{lieu} — table {table}"


def agenda_ics(inscription, rendez_vous) -> bytes:
    evenement = inscription.evenement
    cal = _calendrier(f"{evenement.titre} — {inscription.organisation}")
    for rdv in rendez_vous:
        autre = rdv.autre(inscription)
        ev = Event()
        ev.add("uid", f"rdv-{rdv.uid}@{DOMAINE}")
        ev.add("sequence", rdv.sequence)
        ev.add("dtstamp", rdv.modifie_le or timezone.now())
        ev.add("dtstart", rdv.creneau.debut.astimezone(PARIS))
        ev.add("dtend", rdv.creneau.fin.astimezone(PARIS))
        ev.add("summary", f"Rendez-vous avec {autre.organisation} (table {rdv.table})")
        ev.add("location", lieu_du_rdv(evenement, rdv.table))
        ev.add(
            "description",
            f"{evenement.titre} — rendez-vous avec {autre.organisation}, table {rdv.table}."
            + (f"\n{autre.presentation}" if autre.presentation else ""),
        )
        ev.add("status", "CONFIRMED")
        cal.add_component(ev)
    cal.add_missing_timezones()
    return cal.to_ical()


def evenements_ics(evenements, base_url: str) -> bytes:
    cal = _calendrier("Rencontres d'affaires Osez l'IA")
    for e in evenements:
        sessions = e.sessions or [["09:00", "17:00"]]
        debut = datetime.combine(e.date, time.fromisoformat(sessions[0][0]), tzinfo=PARIS)
        fin = datetime.combine(e.date, time.fromisoformat(sessions[-1][1]), tzinfo=PARIS)
        ev = Event()
        ev.add("uid", f"evenement-{e.pk}@{DOMAINE}")
        ev.add("dtstamp", e.cree_le or timezone.now())
        ev.add("dtstart", debut)
        ev.add("dtend", max(fin, debut + timedelta(minutes=e.duree_rdv)))
        ev.add("summary", e.titre)
        ev.add("location", "En ligne" if e.en_ligne else e.lieu)
        ev.add("url", f"{base_url.rstrip('/')}/rencontres/{e.pk}/")
        ev.add("description", e.description or e.get_type_evenement_display())
        cal.add_component(ev)
    cal.add_missing_timezones()
    return cal.to_ical()
