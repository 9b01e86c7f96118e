from django_tasks import task

from .services import planning


@task()
def planifier_evenement(run_pk: int) -> dict:
    """One run of the scheduler on an event (progress stored on the run)."""
    run = planning.executer(run_pk)
    return {"statut": run.statut, "objectif": run.objectif, "borne": run.borne}
