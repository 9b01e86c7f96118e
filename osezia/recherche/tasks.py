from django_tasks import task

from . import services


@task()
def sync_documents(doc_type: str, keys: list[str]) -> int:
    """Re-index (or remove) documents after a change; runs in the background worker."""
    return services.sync(doc_type, keys)
