"""Inserting many new rows at once, with their history rows: the ClaimReview
importer's writer.

On PostgreSQL, ids come from each table's own sequence before anything is
written (safe beside other writers) and rows go in with COPY; elsewhere with
`bulk_create`, which returns the ids. Either way no `save()` runs and no
signal is sent: the caller refreshes what signals would have (the receivers of claims/status.py,
claims/search/document.py and claims/caching/invalidation.py).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import connection

HISTORY_COLUMNS = ["history_id", "history_date", "history_change_reason", "history_type", "history_user_id"]


@dataclass(frozen=True)
class HistoryNote:
    """Who made the rows, when and why: every history row of a batch says the same."""

    user: object
    reason: str
    date: datetime

    @property
    def user_id(self):
        return getattr(self.user, "pk", None)


def _postgres():
    return connection.vendor == "postgresql"


def take_ids(model, count):
    """`count` new primary keys from the table's sequence (PostgreSQL)."""
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def copy_rows(table, columns, rows):
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        statement = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
        with cursor.cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)


# Field types whose Python values psycopg writes as they are: no need to ask
# the field to prepare each one (most of an import's time, otherwise).
PLAIN_TYPES = frozenset(
    [
        *("AutoField", "BigAutoField", "BigIntegerField", "IntegerField", "SmallIntegerField"),
        *("PositiveIntegerField", "PositiveSmallIntegerField", "FloatField", "BooleanField", "ForeignKey"),
        *("CharField", "SlugField", "TextField", "URLField", "DateField", "DateTimeField", "TimeField"),
    ]
)


def _prepared_rows(model, objs):
    """Each object's column values as the database takes them (auto_now filled in)."""
    fields = model._meta.concrete_fields

    def preparer(field):
        if field.get_internal_type() in PLAIN_TYPES:
            return lambda obj: field.pre_save(obj, True)
        return lambda obj: field.get_db_prep_save(field.pre_save(obj, True), connection)

    preparers = [preparer(field) for field in fields]
    return fields, [[prepare(obj) for prepare in preparers] for obj in objs]


def insert(model, objs, batch_size=1000):
    """Insert unsaved instances of `model` and set their primary keys."""
    if not objs:
        return
    if not _postgres():
        model._default_manager.bulk_create(objs, batch_size=batch_size)
        return
    for obj, pk in zip(objs, take_ids(model, len(objs)), strict=True):
        obj.pk = pk
    fields, rows = _prepared_rows(model, objs)
    copy_rows(model._meta.db_table, [field.column for field in fields], rows)
    for obj in objs:
        obj._state.adding, obj._state.db = False, connection.alias


def insert_with_history(model, objs, note, batch_size=1000):
    """`insert`, and one "+" history row for each object; returns the history
    rows' ids in the order of `objs`."""
    if not objs:
        return []
    history = model.history.model
    if not _postgres():
        model._default_manager.bulk_create(objs, batch_size=batch_size)
        rows = model.history.bulk_history_create(
            objs,
            batch_size=batch_size,
            default_user=note.user,
            default_change_reason=note.reason,
            default_date=note.date,
        )
        return [row.history_id for row in rows]
    insert(model, objs)
    tracked = history.tracked_fields  # the model's own fields: same columns in the history table
    history_ids = take_ids(history, len(objs))
    copy_rows(
        history._meta.db_table,
        [*(field.column for field in tracked), *HISTORY_COLUMNS],
        (
            [
                *(getattr(obj, field.attname) for field in tracked),
                history_id,
                note.date,
                note.reason,
                "+",
                note.user_id,
            ]
            for obj, history_id in zip(objs, history_ids, strict=True)
        ),
    )
    return history_ids
