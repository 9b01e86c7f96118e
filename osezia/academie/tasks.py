from django_tasks import task

from .services import notifications


@task()
def send_enrolment_emails(inscription_id: int, kind: str = "inscription") -> int:
    return notifications.send_enrolment_emails(inscription_id, kind)
