"""Re-scoring every completed diagnostic after a knowledge or engine update: in batches by
primary key, each written in one transaction, in one process or in parallel slices."""

import multiprocessing
import queue as queue_module
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass

from django.db import connection, connections, transaction
from django.utils import timezone

from ..engine import Engine, default_knowledge
from ..models import Diagnostic
from .resultats import evaluate_diagnostic


class RescoreError(Exception):
    """The scoring of one diagnostic raised: the batches before it are kept."""

    def __init__(self, pk: int, reason: str):
        super().__init__(pk, reason)
        self.pk = pk
        self.reason = reason

    def __str__(self) -> str:
        return f"diagnostic n° {self.pk} : {self.reason}"


@dataclass(frozen=True)
class Echec:
    """A slice that did not finish: the diagnostic at fault when known, the reason in French."""

    pk_range: tuple[int, int]
    pk: int | None
    reason: str

    def __str__(self) -> str:
        where = (
            f"diagnostic n° {self.pk}"
            if self.pk is not None
            else f"diagnostics n° {self.pk_range[0]} à {self.pk_range[1]}"
        )
        return f"{where} : {self.reason}"


class RescoreFailed(Exception):
    """Some slices of a parallel re-scoring failed; the others are written."""

    def __init__(self, done: int, echecs: list[Echec]):
        super().__init__(done, echecs)
        self.done = done
        self.echecs = echecs

    def __str__(self) -> str:
        lines = "\n".join(f"- {e}" for e in self.echecs)
        return (
            f"Le recalcul a échoué pour {len(self.echecs)} tranche(s) "
            f"({self.done} diagnostic(s) recalculé(s) et enregistré(s)) :\n{lines}\n"
            "Corrigez la cause puis relancez la commande : les lots déjà enregistrés sont "
            "simplement recalculés à nouveau."
        )


def completed_pk_ranges(parts: int) -> list[tuple[int, int]]:
    """Split the completed diagnostics into `parts` contiguous primary-key ranges of about
    the same size, for re-scoring them in parallel processes."""
    pks = (
        Diagnostic.objects.filter(statut=Diagnostic.Statut.TERMINE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    total = pks.count()
    if total == 0:
        return []
    bounds = []
    for i in range(parts):
        start = pks[i * total // parts] if i * total // parts < total else None
        if start is not None:
            bounds.append(start)
    ranges = []
    for i, low in enumerate(bounds):
        high = bounds[i + 1] - 1 if i + 1 < len(bounds) else pks.reverse()[0]
        if high >= low:
            ranges.append((low, high))
    return ranges


def _write_results(columns: list[str], rows: list[list]) -> None:
    """Write one batch of re-scored rows (values in `columns` order, then the id) in one
    transaction: on PostgreSQL one UPDATE … FROM (VALUES …), on SQLite one UPDATE per row
    through executemany (both far faster than bulk_update's CASE expressions)."""
    quote = connection.ops.quote_name
    table = quote(Diagnostic._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            casts = [
                "jsonb",
                "integer",
                "text",
                *["integer"] * len(Diagnostic.DIMENSION_FIELDS),
                "timestamptz",
                "bigint",
            ]
            placeholder = "(" + ", ".join(f"%s::{cast}" for cast in casts) + ")"
            names = ", ".join(quote(c) for c in [*columns, "id"])
            assignments = ", ".join(f"{quote(c)} = v.{quote(c)}" for c in columns)
            sql = (
                f"UPDATE {table} AS t SET {assignments} "  # noqa: S608 — names come from the model
                f"FROM (VALUES {', '.join([placeholder] * len(rows))}) AS v({names}) "
                f"WHERE t.{quote('id')} = v.{quote('id')}"
            )
            cursor.execute(sql, [value for row in rows for value in row])
        else:
            assignments = ", ".join(f"{quote(c)} = %s" for c in columns)
            sql = f"UPDATE {table} SET {assignments} WHERE {quote('id')} = %s"  # noqa: S608
            cursor.executemany(sql, rows)


def rescore_all(
    batch_size: int = 2000, progress=None, pk_range: tuple[int, int] | None = None
) -> int:
    """Re-run scoring and the engine on every completed diagnostic (after a knowledge or
    engine update), in batches by primary key, each batch written in one transaction.
    `pk_range` (inclusive) limits it to one slice, for parallel processes. A diagnostic whose
    scoring raises stops it with `RescoreError` naming it (the batches before are kept)."""
    engine = Engine(default_knowledge())
    ready_cache: dict = {}  # the catalogue's ready-to-use counts, asked once per (size, sector)
    done = 0
    base = Diagnostic.objects.filter(statut=Diagnostic.Statut.TERMINE).order_by("pk")
    last_pk = 0
    if pk_range:
        base = base.filter(pk__lte=pk_range[1])
        last_pk = pk_range[0] - 1
    columns = [
        "cas_usage",
        "score_global",
        "niveau",
        *Diagnostic.DIMENSION_FIELDS.values(),
        "recalcule_le",
    ]
    json_field = Diagnostic._meta.get_field("cas_usage")
    while True:
        batch = list(
            base.filter(pk__gt=last_pk)
            .select_related("questionnaire")
            .only(
                "pk",
                "naf_id",
                "categorie_taille",
                "departement_id",
                "description",
                "reponses",
                "questionnaire__version",
            )[:batch_size]
        )
        if not batch:
            return done
        now = timezone.now()
        rows = []
        for diagnostic in batch:
            try:
                result = evaluate_diagnostic(diagnostic, engine, ready_cache)
            except Exception as exc:
                raise RescoreError(diagnostic.pk, f"{type(exc).__name__} : {exc}") from exc
            maturite = result.maturite
            dimensions = [
                maturite.dimensions[d] if maturite else None for d in Diagnostic.DIMENSION_FIELDS
            ]
            rows.append(
                [
                    json_field.get_db_prep_save(result.cas_usage, connection),
                    maturite.overall if maturite else None,
                    maturite.level if maturite else "",
                    *dimensions,
                    now,
                    diagnostic.pk,
                ]
            )
        _write_results(columns, rows)
        done += len(batch)
        last_pk = batch[-1].pk
        if progress:
            progress(len(batch))


# Parallel slices ------------------------------------------------------------------------

_progress_queue = None


def _start_worker(progress_queue) -> None:
    global _progress_queue
    _progress_queue = progress_queue
    connections.close_all()  # each process opens its own connection


def _rescore_slice(pk_range: tuple[int, int], batch_size: int) -> int:
    return rescore_all(batch_size=batch_size, progress=_progress_queue.put, pk_range=pk_range)


def _drain(progress_queue, progress) -> int:
    """The diagnostics written since the last call (each batch reports when it is stored)."""
    written = 0
    while True:
        try:
            n = progress_queue.get_nowait()
        except queue_module.Empty:
            return written
        written += n
        if progress:
            progress(n)


def rescore_in_parallel(processes: int, batch_size: int = 2000, progress=None) -> int:
    """`rescore_all` in `processes` forked processes, one slice of primary keys each. Every
    slice's outcome is awaited: a slice that raises, or a process that dies, is reported in
    `RescoreFailed` (after the other slices are done) instead of being waited for forever."""
    ranges = completed_pk_ranges(processes)
    if not ranges:
        return 0
    connections.close_all()  # not shared with the children
    context = multiprocessing.get_context("fork")
    progress_queue = context.Queue()
    done, echecs = 0, []
    with ProcessPoolExecutor(
        max_workers=len(ranges),
        mp_context=context,
        initializer=_start_worker,
        initargs=(progress_queue,),
    ) as pool:
        pending = {pool.submit(_rescore_slice, r, batch_size): r for r in ranges}
        while pending:
            finished, _ = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            done += _drain(progress_queue, progress)
            for future in finished:
                pk_range = pending.pop(future)
                try:
                    future.result()
                except RescoreError as exc:
                    echecs.append(Echec(pk_range, exc.pk, exc.reason))
                except Exception as exc:  # a process that died, an unexpected error
                    reason = str(exc) or type(exc).__name__
                    echecs.append(Echec(pk_range, None, reason))
    done += _drain(progress_queue, progress)
    if echecs:
        raise RescoreFailed(done, sorted(echecs, key=lambda e: e.pk_range))
    return done
