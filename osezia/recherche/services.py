"""The search index of the platform, kept in sync with the modules that feed it.

Each searchable module has an `indexation` module with `TYPE`, `documents()` (every document
to index) and `document_for(key)` (one document, or None when it must leave the index).
Reading never returns what is not in the index; only published content is ever indexed.

Index changes are derived from the database: a module's service calls `mark_changed` in the
transaction of its change, which writes a `ChangementIndex` row; `apply_pending` (the task
`apply_changes`, `manage.py apply_index_changes`, the end of an import or of a rebuild)
recomputes each marked document from the database and writes the index until the log is
empty. Whatever crashes (the web process after its commit, the worker mid-task, an import
half-way), the rows stay and the next run repairs the index. `rebuild` stays the last resort.
"""

import importlib
import logging
from dataclasses import dataclass, field, replace
from datetime import timedelta
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from .index import Filters, Results, SearchIndex, SearchUnavailable
from .models import ChangementIndex
from .requete import SearchPage, SearchRequest, SearchSpec, expand, family_hints

logger = logging.getLogger(__name__)

__all__ = ["Filters", "Results", "SearchUnavailable"]

SOURCES = {
    "solution": "osezia.catalogue.indexation",
    "formation": "osezia.academie.indexation:FORMATIONS",
    "tutoriel": "osezia.academie.indexation:TUTORIELS",
}
BATCH = 500
MAX_KEY = ChangementIndex._meta.get_field("cle").max_length
RETRY_AFTER = 30  # seconds a client is told to wait while the index is unavailable
REBUILD_KEY = "recherche:reconstruction-demandee"
REBUILD_DEBOUNCE = 600  # a missing index asks for one rebuild per 10 minutes at most


@lru_cache(maxsize=1)
def get_index() -> SearchIndex:
    return SearchIndex(settings.SEARCH_INDEX_DIR)


def reset_index_cache() -> None:
    get_index.cache_clear()


def source(doc_type: str):
    """The module (or `module:object`) that gives the documents of this type."""
    path, _, name = SOURCES[doc_type].partition(":")
    module = importlib.import_module(path)
    return getattr(module, name) if name else module


# The change log -----------------------------------------------------------------------------


def mark_changed(doc_type: str, keys, schedule: bool = True) -> int:
    """Record, in the caller's transaction, that these documents must be brought up to date;
    with `schedule`, ask the worker to apply the log once the transaction is committed."""
    if doc_type not in SOURCES:
        raise ValueError(f"type de document inconnu : {doc_type}")
    keys = list(dict.fromkeys(str(k) for k in keys if k))
    too_long = [k for k in keys if len(k) > MAX_KEY]
    if too_long:
        raise ValueError(
            f"clé de document trop longue (plus de {MAX_KEY} caractères) : {too_long[0]}"
        )
    if not keys:
        return 0
    ChangementIndex.objects.bulk_create(
        [ChangementIndex(type_document=doc_type, cle=key) for key in keys], batch_size=BATCH
    )
    if schedule:
        _schedule_apply_on_commit()
    return len(keys)


def _schedule_apply_on_commit() -> None:
    transaction.on_commit(schedule_apply, robust=True)


def schedule_apply() -> None:
    """Ask the worker to apply the change log soon (the log keeps the changes if this fails).
    Called after a commit: an applier task still waiting in the queue will read what this
    commit logged, so a second one is not enqueued (one task for a burst of changes)."""
    from .tasks import apply_changes

    backend = apply_changes.get_backend()
    if type(backend).__module__.startswith("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        waiting = DBTaskResult.objects.filter(
            status="READY", task_path=apply_changes.module_path, backend_name=backend.alias
        )
        if waiting.exists():
            return
    apply_changes.enqueue()


def pending_count() -> int:
    return ChangementIndex.objects.count()


def _documents_for(rows) -> tuple[list[dict], list[str]]:
    """The documents of these log rows (and the ids to remove), each type read by batch when
    its module offers `documents_for(keys)` (one query for many documents), else key by key."""
    keys_by_type: dict[str, list[str]] = {}
    for doc_type, key in dict.fromkeys((doc_type, key) for _, doc_type, key in rows):
        keys_by_type.setdefault(doc_type, []).append(key)
    documents, removed = [], []
    for doc_type, keys in keys_by_type.items():
        module = source(doc_type)
        if hasattr(module, "documents_for"):
            found = module.documents_for(keys)
        else:
            found = {key: module.document_for(key) for key in keys}
        for key in keys:
            data = found.get(key)
            if data is None:
                removed.append(f"{doc_type}:{key}")
            else:
                documents.append(data)
    return documents, removed


def _delete_rows(ids: list[int]) -> None:
    for start in range(0, len(ids), BATCH):
        ChangementIndex.objects.filter(pk__in=ids[start : start + BATCH]).delete()


def apply_pending(batch: int = BATCH) -> int:
    """Apply the change log until it is empty: each marked document is recomputed from the
    database (indexed when published, removed otherwise), the index is committed, then
    exactly the rows applied are deleted (rows marked meanwhile stay for the next round).
    Idempotent: a crash at any point is repaired by the next run. A missing index is rebuilt
    whole. Return how many log rows were applied."""
    index = get_index()
    if not index.exists():
        before = pending_count()
        rebuild()
        return before
    applied = 0
    while ChangementIndex.objects.exists():

        def compute():
            # Read under the writer's lock: what is written is never older than the index.
            rows = list(
                ChangementIndex.objects.order_by("pk").values_list("pk", "type_document", "cle")[
                    :batch
                ]
            )
            documents, removed = _documents_for(rows)
            return documents, removed, rows

        try:
            rows = index.update(compute)
        except SearchUnavailable as exc:
            if not exc.missing:
                raise
            rebuild()  # the folder went away meanwhile: the rebuild covers the whole log
            return applied
        if not rows:
            return applied
        _delete_rows([pk for pk, _, _ in rows])
        applied += len(rows)
    return applied


def apply_or_schedule() -> None:
    """Apply the log now when outside a transaction (a command between lines), else once
    the caller's transaction is committed (never index what could still be rolled back).
    An unavailable index never stops the caller: the rows wait for the worker."""
    if transaction.get_connection().in_atomic_block:
        _schedule_apply_on_commit()
        return
    try:
        apply_pending()
    except SearchUnavailable as exc:
        logger.warning("Index de recherche indisponible, changements laissés en attente : %s", exc)
        _schedule_apply_on_commit()


def finish_after_import(rebuild_types: tuple[str, ...] = ()) -> str | None:
    """The one way an import (catalogue file, LHEO file, the demo) brings the index up to
    date, called once at its end by the import service: apply what is left of the change log
    (also what an earlier, interrupted import left), or, for `rebuild_types`, recompute those
    types whole (what the index held of them is replaced). Inside a transaction this happens
    once it is committed (never index what could still be rolled back). None when the index
    is up to date (or will be at the commit), else the French reason it is not: the changes
    stay in the log and the worker is asked to apply them."""
    if _in_callers_transaction():
        transaction.on_commit(lambda: _finish_committed(rebuild_types), robust=True)
        return None
    try:
        for doc_type in rebuild_types:
            rebuild(doc_type)
        apply_pending()
    except SearchUnavailable as exc:
        _schedule_apply_on_commit()
        return (
            f"Index de recherche indisponible ({exc}) : les changements restent en attente ; "
            "relancez manage.py apply_index_changes."
        )
    return None


def _in_callers_transaction() -> bool:
    """Whether the caller holds a transaction open: the blocks a test case opens around each
    test do not count (as for Django's own `durable` check), so a test sees what a command
    running in autocommit does."""
    connection = transaction.get_connection()
    return any(not getattr(b, "_from_testcase", False) for b in connection.atomic_blocks)


def _finish_committed(rebuild_types: tuple[str, ...]) -> None:
    problem = finish_after_import(rebuild_types)
    if problem:
        logger.warning(problem)


def sync(doc_type: str, keys: list[str]) -> int:
    """Bring these documents up to date now (through the change log)."""
    mark_changed(doc_type, keys, schedule=False)
    return apply_pending()


# Rebuilding ---------------------------------------------------------------------------------


def rebuild(doc_type: str | None = None, progress=None) -> dict[str, int]:
    """Recompute every document (of one type, or all) from the database in one commit; the
    change log rows read before the documents are covered and deleted, then what was marked
    meanwhile is applied. A missing index is rebuilt whole, whatever `doc_type` says."""
    index = get_index()
    if doc_type and not index.exists():
        doc_type = None
    types = [doc_type] if doc_type else list(SOURCES)
    counts: dict[str, int] = {}
    covered: list[int] = []

    def compute():
        counts.update(dict.fromkeys(types, 0))
        covered[:] = ChangementIndex.objects.filter(type_document__in=types).values_list(
            "pk", flat=True
        )

        def documents():
            for name in types:
                for data in source(name).documents():
                    counts[name] += 1
                    if progress:
                        progress(1)
                    yield data

        return documents(), None

    index.rebuild(compute, doc_types=types if doc_type else None)
    _delete_rows(list(covered))
    cache.delete(REBUILD_KEY)
    apply_pending()
    return counts


def request_rebuild() -> bool:
    """Ask the worker for one rebuild (debounced through the shared cache); True if asked."""
    if not cache.add(REBUILD_KEY, 1, timeout=REBUILD_DEBOUNCE):
        return False
    from .tasks import rebuild_index

    def enqueue():
        try:
            rebuild_index.enqueue()
        except Exception:
            cache.delete(REBUILD_KEY)
            raise

    transaction.on_commit(enqueue, robust=True)
    return True


# Reading ------------------------------------------------------------------------------------


def search(text: str = "", filters: Filters | None = None, **kwargs) -> Results:
    """Search the index; raise SearchUnavailable when it cannot be read (a missing index
    asks the worker for a rebuild, once)."""
    try:
        return get_index().search(text, filters, **kwargs)
    except SearchUnavailable as exc:
        logger.warning("Recherche indisponible : %s", exc)
        if exc.missing:
            request_rebuild()
        raise


def search_page(
    request: SearchRequest, spec: SearchSpec, facets: bool = False, snippets: bool = False
) -> SearchPage:
    """One page of a module's search, as its list page and its API endpoint answer it (raise
    SearchUnavailable when the index cannot be read)."""
    terms = {spec.facet(name).field: list(codes) for name, codes in request.values.items()}
    extra = dict(spec.filters(request)) if spec.filters else {}
    terms.update(extra.pop("terms", {}))
    fields = spec.count_fields()
    results = search(
        expand(request.q),
        Filters(type=spec.doc_type, terms=terms, **extra),
        limit=request.page_size,
        offset=(request.page - 1) * request.page_size,
        sort=request.sort,
        facets=tuple(dict.fromkeys(fields.values())) if facets else False,
        snippets=snippets,
        family_hints=family_hints(request.q),
    )
    counts = {name: results.facets.get(f, {}) for name, f in fields.items()} if facets else {}
    return SearchPage(request, results.count, results.hits, counts)


def search_page_or_unavailable(request: SearchRequest, spec: SearchSpec, **kwargs) -> SearchPage:
    """`search_page` for a list page: a page number past the last shows the last page (as
    the paginator of other lists does); an empty page marked `unavailable` when the index
    cannot be read (the page then shows its notice and answers 503, see `recherche.http`)."""
    try:
        page = search_page(request, spec, **kwargs)
        last = max(1, -(-page.count // request.page_size))
        if request.page > last:
            page = search_page(replace(request, page=last), spec, **kwargs)
        return page
    except SearchUnavailable:
        return SearchPage(request, 0, [], unavailable=True)


# Background tasks left running by a killed worker -------------------------------------------


@dataclass
class Reclaimed:
    requeued: list[str] = field(default_factory=list)  # task paths put back in the queue
    failed: list[str] = field(default_factory=list)  # given up after `max_attempts`
    apply_scheduled: bool = False


STALE_TASK_ERROR = "osezia.recherche.services.StaleTask"


def reclaim_stale_tasks(after_seconds: int = 900, max_attempts: int = 3) -> Reclaimed:
    """Tasks of the database backend still RUNNING `after_seconds` after they started were
    left by a killed worker (django-tasks-db never revisits them): put them back in the
    queue (READY, run again by the next free worker), or mark them failed once they have
    been started `max_attempts` times. Then, when the search change log is not empty, ask
    for one run of the applier, so a lost index update is always finished. Tasks must be
    idempotent (the applier is): a task killed just before it recorded its success runs
    again."""
    from django_tasks_db.models import DBTaskResult

    try:
        from django.tasks.base import TaskResultStatus
    except ImportError:
        from django_tasks.base import TaskResultStatus

    now = timezone.now()
    cutoff = now - timedelta(seconds=after_seconds)
    report = Reclaimed()
    stale = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff)
    for pk, task_path, worker_ids in stale.values_list("pk", "task_path", "worker_ids"):
        # Conditional updates: a worker that finishes meanwhile keeps its own outcome.
        row = DBTaskResult.objects.filter(pk=pk, status=TaskResultStatus.RUNNING)
        if len(worker_ids or []) >= max_attempts:
            done = row.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=STALE_TASK_ERROR,
                traceback=(
                    f"Tâche abandonnée : toujours en cours {after_seconds} s après son début, "
                    f"{len(worker_ids)} fois (worker arrêté ?)."
                ),
            )
            if done:
                report.failed.append(task_path)
        elif row.update(status=TaskResultStatus.READY, started_at=None):
            report.requeued.append(task_path)
    if ChangementIndex.objects.exists():
        schedule_apply()
        report.apply_scheduled = True
    for path in report.requeued:
        logger.warning("Tâche %s relancée (worker arrêté pendant son exécution).", path)
    for path in report.failed:
        logger.error("Tâche %s abandonnée après %s tentatives.", path, max_attempts)
    return report
