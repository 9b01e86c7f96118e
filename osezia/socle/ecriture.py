"""Many rows written at once, for the trusted imports (hundreds of thousands of rows).

`insert_rows` sends one `executemany` per call, each value prepared by its field exactly as
`bulk_create` prepares it (`Field.get_db_prep_save`), without building a model instance and
its per-field SQL for every row: the same rows, the same types, on SQLite and PostgreSQL,
inside the caller's transaction. No signal is sent (nor does `bulk_create` send one) and the
new primary keys are not returned: read them back by a natural key when they are needed."""

from collections.abc import Iterable, Mapping

from django.db import connections, router
from django.db.models import Model
from django.utils import timezone

# Fields whose `get_db_prep_save` gives back the value itself once it has the right Python
# type (text, whole numbers, booleans, a foreign key's integer): no call per value.
_AS_IS = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "EmailField",
    "IntegerField",
    "PositiveBigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallAutoField",
    "SmallIntegerField",
    "TextField",
    "URLField",
}
_MISSING = object()


def _kind(field) -> str:
    target = field.target_field if field.is_relation else field
    return target.get_internal_type()


def insert_rows(model: type[Model], rows: Iterable[Mapping], using: str | None = None) -> int:
    """Insert these rows (each a mapping of field attribute names, `organisme_id` for a
    foreign key, to Python values) and return how many were sent. A field left out takes its
    default as a model instance would (`Field.get_default`: "" for text); `auto_now` and
    `auto_now_add` dates always take the time of the call, as `bulk_create` does."""
    rows = list(rows)
    if not rows:
        return 0
    using = using or router.db_for_write(model)
    connection = connections[using]
    fields = [
        f
        for f in model._meta.concrete_fields
        if not (f.primary_key and getattr(f, "db_returning", False))
    ]
    now = timezone.now()
    plan = []  # (field, its automatic date, prepare or None, the automatic date is used)
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            plan.append((f, f.get_db_prep_save(now, connection), None, True))  # as `pre_save` does
            continue
        prepare = None if _kind(f) in _AS_IS else f.get_db_prep_save
        plan.append((f, None, prepare, False))
    params = []
    for row in rows:
        values = []
        for f, default, prepare, forced in plan:
            value = default if forced else row.get(f.attname, _MISSING)
            if value is _MISSING:  # as a model instance would hold it: "" for text…
                value = f.get_default()
            if prepare is not None and value is not None:
                value = prepare(value, connection)
            values.append(value)
        params.append(values)
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (names quoted, from the model)
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    return len(params)
