from django_tasks import task

from . import services


@task()
def send_email(subject: str, body: str, recipients: list[str]) -> int:
    return services.deliver_email(subject, body, recipients)
