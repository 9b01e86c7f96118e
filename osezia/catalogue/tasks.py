from django_tasks import task

from .services import contacts


@task()
def send_contact_email(demande_id: int) -> bool:
    return contacts.send_contact_email(demande_id)
