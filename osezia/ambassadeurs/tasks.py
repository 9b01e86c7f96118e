from django_tasks import task

from .services import demandes


@task()
def check_deadlines() -> dict:
    """Reminders at day 3 and reassignments at day 6 (run it every hour or every day)."""
    report = demandes.check_deadlines()
    return {"relances": report.relances, "reattributions": report.reattributions}
