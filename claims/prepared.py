"""Queries the ORM builds and compiles once, then runs with a new value.

The claim page reads the same five `values()` queries for every claim, but for
the claim's id or slug; building and compiling them through the ORM took longer
than running them (issue 16). A `PreparedValues` builds its query once per
database connection, with a marker where the value goes, keeps the SQL, and
runs it with the value put where the marker was. Its rows are dicts, converted
as `values()` converts them (the backend's converters: SQLite's dates, say), and
its queries go through the connection's cursor like any other (counted by
tests, logged, wrapped).

    STATEMENT_ROWS = PreparedValues(
        lambda claim_id: Statement.objects.filter(claim_id=claim_id).values("pk", "summary"),
        marker=PreparedValues.ID_MARKER,
    )
    STATEMENT_ROWS.rows(claim.pk)

Only for queries whose SQL does not depend on the value (no `__in` a list,
no None): the value must stay one parameter, which `rows` checks was found.

On PostgreSQL the value is also bound on the server and the statement is
prepared on its first run in a connection, so the database plans it once per
connection instead of on every page: planning was most of the claim page's SQL
time (4.5 ms of SQL a page, 2 ms prepared). One plan suits every value because
these queries look rows up by a key. Django's own queries bind on the client
and are never prepared: a search's best plan depends on its words.
`DB_PREPARED_STATEMENTS=0` (behind a pooler that cannot keep prepared
statements) runs the same queries unprepared.
"""

import functools
import threading

from django.db import DEFAULT_DB_ALIAS, connections


class PreparedValues:
    # Values no real row has: an id below zero, a slug with a NUL (which
    # PostgreSQL cannot store). They are compiled, never run.
    ID_MARKER = -7_346_219_083
    SLUG_MARKER = "\x00prepared-slug\x00"

    def __init__(self, build, marker):
        self.build = build
        self.marker = marker
        self.local = threading.local()  # Django's connections are per thread

    def rows(self, value, using=DEFAULT_DB_ALIAS):
        connection = connections[using]
        prepared = getattr(self.local, "prepared", None)
        if prepared is None or prepared.connection is not connection:
            prepared = self.local.prepared = _Prepared(self.build(self.marker), self.marker, connection)
        return prepared.rows(value)


class _Prepared:
    def __init__(self, queryset, marker, connection):
        query = queryset.query
        self.connection = connection
        self.compiler = query.get_compiler(connection=connection)
        self.sql, params = self.compiler.as_sql()
        self.params = list(params)
        self.slots = [index for index, param in enumerate(self.params) if _same(param, marker)]
        if not self.slots:
            raise ValueError(f"the marker {marker!r} is not among the query's parameters")
        # What ValuesIterable names and converts, from the compiled select.
        self.names = [*query.extra_select, *query.values_select, *query.annotation_select]
        fields = [column[0] for column in self.compiler.select[: self.compiler.col_count]]
        self.converters = self.compiler.get_converters(fields)

    def rows(self, value):
        params = list(self.params)
        for index in self.slots:
            params[index] = value
        with preparing_cursor(self.connection) as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        names = self.names
        return [dict(zip(names, row, strict=True)) for row in rows]


def _same(param, marker):
    # `True == 1`: compare types too, so a flag is never taken for the marker.
    return type(param) is type(marker) and param == marker


def preparing_cursor(connection):
    """A cursor as Django makes it (health-checked, wrapped: counted by
    execute_wrapper, logged in DEBUG) whose statements PostgreSQL prepares
    on first use: for SQL whose best plan is the same whatever the values
    (a look-up by a unique key). A cursor like any other on SQLite."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        # Django's own wrapping (its `_cursor` does the same with the cursor
        # it creates): the thread check, then logged or plain.
        return connection._prepare_cursor(_preparing_cursor_class()(connection.connection))


@functools.cache
def _preparing_cursor_class():
    # Imported here: the PostgreSQL backend needs psycopg, SQLite does not.
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PreparingCursor(ServerBindingCursor):
        """Binds on the server and asks psycopg to prepare the statement
        (a no-op when the connection's prepare_threshold is None)."""

        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True, binary=binary)

    return PreparingCursor
