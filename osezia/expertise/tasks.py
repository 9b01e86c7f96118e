from django_tasks import task

from .services import experts


@task()
def check_deadlines() -> dict:
    """Reminders at day 3 and files given back to the operators after 5 working days without
    the expert's acceptance (run it every hour or every day)."""
    report = experts.check_deadlines()
    return {"relances": report.relances, "retours": report.retours}
