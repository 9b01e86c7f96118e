from django_tasks import task

from .services import resultats


@task()
def refresh_results(consultation_id: int) -> bool:
    return resultats.refresh_pending(consultation_id)
