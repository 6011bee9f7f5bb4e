"""Queries built and compiled once (claims/prepared.py): the claim page's rows
are the ORM's `values()` rows, for whichever claim is asked, in one query."""

import threading

import pytest
from django.db import connection

from claims.models import Claim
from claims.prepared import PreparedValues
from claims.views import claim_page

from .settings_support import setting_in_fresh_process

TOWN_HALL = "wagner-captured-bakhmut-city-administration"

BY_ID = [
    claim_page.STATEMENT_ROWS,
    claim_page.TIMELINE_ROWS,
    claim_page.LINK_ROWS,
    claim_page.REVIEW_ROWS,
]

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("prepared", BY_ID, ids=["statements", "timeline", "links", "reviews"])
def test_prepared_rows_are_the_orm_values_for_every_claim(demo, prepared):
    for claim in Claim.objects.all():
        assert prepared.rows(claim.pk) == list(prepared.build(claim.pk))


def test_the_claim_by_slug_is_the_orm_values(demo):
    rows = claim_page.CLAIM_ROWS.rows(TOWN_HALL)
    assert rows == list(claim_page.claim_rows(TOWN_HALL))
    assert rows[0]["slug"] == TOWN_HALL
    assert isinstance(rows[0]["published_at"], type(Claim.objects.get(slug=TOWN_HALL).published_at))


def test_a_draft_or_unknown_slug_has_no_rows(demo):
    Claim.objects.filter(slug=TOWN_HALL).update(is_published=False)
    assert claim_page.CLAIM_ROWS.rows(TOWN_HALL) == []
    assert claim_page.CLAIM_ROWS.rows("no-such-claim") == []


def test_a_prepared_query_is_one_query_each_time(demo, django_assert_num_queries):
    claim = Claim.objects.get(slug=TOWN_HALL)
    claim_page.STATEMENT_ROWS.rows(claim.pk)
    with django_assert_num_queries(1):
        rows = claim_page.STATEMENT_ROWS.rows(claim.pk)
    assert rows


def test_a_query_without_the_marker_is_refused(db):
    prepared = PreparedValues(lambda claim_id: Claim.objects.values("pk"), PreparedValues.ID_MARKER)
    with pytest.raises(ValueError, match="marker"):
        prepared.rows(1)


def test_a_flag_is_never_taken_for_the_marker(demo):
    """`True == 1`: with 1 as the marker, only the id is replaced, not the flag."""
    draft = Claim.objects.get(slug=TOWN_HALL)
    Claim.objects.filter(pk=draft.pk).update(is_published=False)
    prepared = PreparedValues(lambda pk: Claim.objects.filter(is_published=True, pk=pk).values("pk"), 1)
    assert prepared.rows(draft.pk) == []
    published = Claim.objects.filter(is_published=True).first()
    assert prepared.rows(published.pk) == [{"pk": published.pk}]


# --- Other connections; prepared on PostgreSQL (planned once per connection) --

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)


def prepared_statements():
    """The statements this connection's session holds prepared (psycopg's, by the protocol)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE NOT from_sql")
        return [statement for (statement,) in cursor.fetchall()]


def in_a_new_connection(work):
    """work()'s result, run in a thread of its own: a connection with nothing prepared yet."""
    results = []

    def run():
        try:
            results.append(work())
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return results[0]


@pytest.fixture
def committed_claim(transactional_db):
    """The town hall claim, committed: other connections see it."""
    from claims.demo import load_demo

    load_demo()
    return Claim.objects.get(slug=TOWN_HALL)


def test_each_thread_compiles_for_its_own_connection(committed_claim):
    here = claim_page.STATEMENT_ROWS.rows(committed_claim.pk)
    assert in_a_new_connection(lambda: claim_page.STATEMENT_ROWS.rows(committed_claim.pk)) == here


@postgresql_only
def test_the_claim_pages_queries_are_prepared_on_postgresql(committed_claim):
    def read():
        before = prepared_statements()
        return before, claim_page.STATEMENT_ROWS.rows(committed_claim.pk), prepared_statements()

    before, rows, after = in_a_new_connection(read)
    assert rows == list(claim_page.statement_rows(committed_claim.pk))
    assert before == []
    assert [statement for statement in after if '"claims_statement"' in statement] != []


@postgresql_only
def test_with_prepared_statements_off_the_same_rows_come_unprepared(committed_claim):
    def read():
        connection.ensure_connection()
        connection.connection.prepare_threshold = None  # as DB_PREPARED_STATEMENTS=0 sets it
        return claim_page.STATEMENT_ROWS.rows(committed_claim.pk), prepared_statements()

    rows, prepared = in_a_new_connection(read)
    assert rows == list(claim_page.statement_rows(committed_claim.pk))
    assert prepared == []


@postgresql_only
def test_ordinary_orm_queries_are_never_prepared(committed_claim):
    """A search's best plan depends on its words: one plan for all would be
    wrong for most, so only the queries that ask for it are prepared."""

    def search():
        for _ in range(10):
            list(Claim.objects.published().filter(text__icontains="bakhmut").values("pk"))
        return prepared_statements()

    assert in_a_new_connection(search) == []


@pytest.mark.parametrize(("value", "threshold"), [(None, 5), ("1", 5), ("0", None)])
def test_db_prepared_statements_sets_the_connections_threshold(value, threshold):
    environment = {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused"}
    if value is not None:
        environment["DB_PREPARED_STATEMENTS"] = value
    printed = setting_in_fresh_process(
        "settings.DATABASES['default']['OPTIONS']['prepare_threshold']",
        unset={"DB_PREPARED_STATEMENTS"},
        **environment,
    )
    assert printed == str(threshold)
