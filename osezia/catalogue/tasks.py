from django_tasks import task

from . import services


@task()
def send_contact_email(demande_id: int) -> bool:
    return services.send_contact_email(demande_id)
