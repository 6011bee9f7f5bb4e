"""Queries built and compiled once (claims/prepared.py): the claim page's rows
are the ORM's `values()` rows, for whichever claim is asked, in one query."""

import threading

import pytest
from django.db import connection

from claims.models import Claim
from claims.prepared import PreparedValues
from claims.views import claim_page

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


@pytest.mark.django_db(transaction=True)
def test_each_thread_compiles_for_its_own_connection():
    from claims.demo import load_demo

    load_demo()
    claim = Claim.objects.get(slug=TOWN_HALL)
    here = claim_page.STATEMENT_ROWS.rows(claim.pk)
    there = []

    def read():
        there.append(claim_page.STATEMENT_ROWS.rows(claim.pk))
        connection.close()

    reader = threading.Thread(target=read)
    reader.start()
    reader.join()
    assert there == [here]
