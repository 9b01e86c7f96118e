from django_tasks import task

from . import services


@task()
def apply_changes() -> int:
    """Apply the search index's change log until it is empty (idempotent)."""
    return services.apply_pending()


@task()
def rebuild_index() -> dict[str, int]:
    """Rebuild the whole index from the database (asked when the index is found missing)."""
    return services.rebuild()


@task()
def sync_documents(doc_type: str, keys: list[str]) -> int:
    """Kept for tasks enqueued before the change log: they go through it now."""
    return services.sync(doc_type, keys)
