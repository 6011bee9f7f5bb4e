"""Filters, ordering, cursor pagination and query counts of the API lists."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from claims.models import Claim
from claims.vocabularies import LinkKind, Stance, Status

from .factories import (
    ActorFactory,
    AssessmentFactory,
    ClaimFactory,
    ClaimLinkFactory,
    SourceFactory,
    StatementFactory,
    TopicFactory,
)


def slugs(response):
    assert response.status_code == 200, response.content
    return [row.get("slug", row.get("id")) for row in response.json()["results"]]


@pytest.fixture
def claims(db):
    bakhmut = TopicFactory(slug="battle-of-bakhmut")
    kirby = ActorFactory(slug="john-kirby", name="John Kirby")
    wagner = ActorFactory(slug="wagner-group", name="Wagner Group")
    town_hall = ClaimFactory(
        slug="town-hall",
        text="The Wagner Group captured Bakhmut's city administration building.",
        topics=[bakhmut],
        first_claimed_on=dt.date(2023, 4, 3),
        occurred_on=dt.date(2023, 4, 2),
    )
    StatementFactory(claim=town_hall, actor=wagner, stance=Stance.ASSERTS)
    StatementFactory(claim=town_hall, actor=kirby, stance=Stance.DENIES)
    AssessmentFactory(claim=town_hall, status=Status.DISPUTED)
    finland = ClaimFactory(slug="finland", text="Finland becomes NATO's 31st member.", first_claimed_on=None)
    StatementFactory(claim=finland, actor=kirby, stance=Stance.ASSERTS)
    AssessmentFactory(claim=finland, status=Status.CONFIRMED)
    aid = ClaimFactory(slug="aid", text="A new aid package this week.", first_claimed_on=dt.date(2023, 3, 1))
    ClaimFactory(slug="draft", is_published=False)
    SourceFactory.create_batch(2)
    SourceFactory(language="ru")
    return {"town_hall": town_hall, "finland": finland, "aid": aid}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=disputed", {"town-hall"}),
        ("status=confirmed", {"finland"}),
        ("status=unverified", {"aid"}),
        ("topic=battle-of-bakhmut", {"town-hall"}),
        ("actor=john-kirby", {"town-hall", "finland"}),
        ("stance=denies", {"town-hall"}),
        ("actor=john-kirby&stance=denies", {"town-hall"}),
        ("actor=john-kirby&stance=asserts", {"finland"}),
        ("actor=wagner-group&stance=denies", set()),
        ("published=true", {"town-hall", "finland", "aid"}),
        ("published=false", set()),
        ("first_claimed_after=2023-04-01", {"town-hall"}),
        ("first_claimed_before=2023-04-01", {"aid"}),
        ("occurred_after=2023-04-02&occurred_before=2023-04-02", {"town-hall"}),
        ("q=Bakhmut", {"town-hall"}),
        ("q=Kirby", {"town-hall", "finland"}),
        ("q=", {"town-hall", "finland", "aid"}),
    ],
)
def test_claim_filters(api_client, claims, query, expected):
    assert set(slugs(api_client.get(f"/api/v1/claims/?{query}"))) == expected


def test_updated_since_finds_claims_whose_statements_changed(api_client, claims):
    since = timezone.now()
    assert slugs(api_client.get("/api/v1/claims/", {"updated_since": since.isoformat()})) == []
    StatementFactory(claim=claims["aid"], stance=Stance.QUALIFIES)
    assert slugs(api_client.get("/api/v1/claims/", {"updated_since": since.isoformat()})) == ["aid"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=nonsense", "status"),
        ("stance=maybe", "stance"),
        ("first_claimed_after=yesterday", "first_claimed_after"),
        ("updated_since=not-a-time", "updated_since"),
        ("published=perhaps", "published"),
        ("ordering=text", "ordering"),
        ("q=%00", "q"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(api_client, claims, query, field):
    response = api_client.get(f"/api/v1/claims/?{query}")
    assert response.status_code == 400
    assert field in response.json()["errors"]


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("claims/?actor=no-such-actor", "actor"),
        ("claims/?topic=no-such-topic", "topic"),
        ("claims/?actor=no-such-actor&stance=denies", "actor"),
        ("statements/?claim=no-such-claim", "claim"),
        ("statements/?actor=no-such-actor", "actor"),
        ("actors/?affiliation=no-such-actor", "affiliation"),
        ("sources/?publisher=no-such-actor", "publisher"),
        ("assessments/?claim=no-such-claim", "claim"),
        ("claim-links/?claim=no-such-claim", "claim"),
    ],
)
def test_an_unknown_slug_in_a_filter_is_a_400_naming_it(api_client, claims, path, field):
    response = api_client.get(f"/api/v1/{path}")
    assert response.status_code == 400
    [message] = response.json()["errors"][field]
    assert "no-such-" in message


@pytest.mark.parametrize("path", ["statements", "assessments", "claim-links"])
def test_a_draft_claims_slug_is_as_unknown_to_a_reader_as_a_missing_one(api_client, api_client_for, db, path):
    ClaimFactory(slug="draft-claim", is_published=False)
    drafted = api_client.get(f"/api/v1/{path}/?claim=draft-claim")
    missing = api_client.get(f"/api/v1/{path}/?claim=never-was")
    assert drafted.status_code == missing.status_code == 400
    assert drafted.json()["errors"]["claim"] == [
        message.replace("never-was", "draft-claim") for message in missing.json()["errors"]["claim"]
    ]
    assert api_client_for("Editor").get(f"/api/v1/{path}/?claim=draft-claim").status_code == 200


@pytest.mark.parametrize(
    ("path", "query", "expected"),
    [
        ("statements", "actor=john-kirby&stance=denies", 1),
        ("statements", "claim=town-hall", 2),
        ("statements", "stated_after=2023-04-04", 0),
        ("actors", "name=kirby", 1),
        ("actors", "kind=armed_group", 0),
        ("assessments", "status=confirmed", 1),
        ("assessments", "claim=town-hall&published=true", 1),
        ("topics", "updated_since=2000-01-01T00:00:00Z", 1),
        ("sources", "language=en", 2),
    ],
)
def test_other_filters(api_client, claims, path, query, expected):
    assert len(api_client.get(f"/api/v1/{path}/?{query}").json()["results"]) == expected


def test_source_url_filter_normalises(api_client, db):
    SourceFactory(url="https://example.org/report")
    response = api_client.get("/api/v1/sources/", {"url": "HTTPS://EXAMPLE.ORG/report/?utm_source=x"})
    assert [row["url"] for row in response.json()["results"]] == ["https://example.org/report"]


def test_claim_link_filters(api_client, claims):
    ClaimLinkFactory(from_claim=claims["aid"], to_claim=claims["town_hall"], kind=LinkKind.SUPPORTS)
    assert len(api_client.get("/api/v1/claim-links/?claim=town-hall").json()["results"]) == 1
    assert len(api_client.get("/api/v1/claim-links/?kind=contradicts").json()["results"]) == 0


def test_ordering_by_first_claimed_puts_unknown_dates_last(api_client, claims):
    assert slugs(api_client.get("/api/v1/claims/?ordering=-first_claimed_on")) == [
        "town-hall",
        "aid",
        "finland",
    ]
    assert slugs(api_client.get("/api/v1/claims/?ordering=first_claimed_on")) == [
        "finland",
        "aid",
        "town-hall",
    ]


def test_ordering_by_update_time(api_client, claims):
    Claim.objects.filter(slug="aid").update(updated_at=timezone.now() + dt.timedelta(minutes=1))
    assert slugs(api_client.get("/api/v1/claims/?ordering=-updated_at"))[0] == "aid"
    assert slugs(api_client.get("/api/v1/claims/?ordering=updated_at"))[-1] == "aid"


def walk(client, url):
    seen = []
    while url:
        page = client.get(url).json()
        seen += [row["slug"] for row in page["results"]]
        url = page["next"]
    return seen


@pytest.mark.parametrize("ordering", ["updated_at", "-updated_at", "first_claimed_on", "-first_claimed_on"])
def test_cursor_pages_visit_every_claim_once(api_client, db, ordering):
    for n in range(7):
        ClaimFactory(slug=f"c{n}", first_claimed_on=None if n % 3 == 0 else dt.date(2023, 4, 1 + n % 2))
    seen = walk(api_client, f"/api/v1/claims/?ordering={ordering}&page_size=2")
    assert sorted(seen) == [f"c{n}" for n in range(7)]


def test_a_page_boundary_holds_while_claims_are_added(api_client, db):
    for n in range(6):
        ClaimFactory(slug=f"old-{n}")
    first = api_client.get("/api/v1/claims/?page_size=3").json()
    for n in range(4):
        ClaimFactory(slug=f"new-{n}")  # newest first: they land before the cursor
    second = api_client.get(first["next"]).json()
    seen = [row["slug"] for row in first["results"] + second["results"]]
    assert sorted(seen) == [f"old-{n}" for n in range(6)]
    assert second["next"] is None


def test_a_sync_with_updated_since_and_ascending_pages_sees_new_rows_at_the_end(api_client, db):
    for n in range(4):
        ClaimFactory(slug=f"old-{n}")
    start = api_client.get("/api/v1/claims/?ordering=updated_at&page_size=2").json()
    ClaimFactory(slug="added")
    rest = walk(api_client, start["next"])
    assert [row["slug"] for row in start["results"]] + rest == ["old-0", "old-1", "old-2", "old-3", "added"]


@override_settings(API_MAX_PAGE_SIZE=5)
def test_page_size_up_to_the_maximum_is_served_as_asked(api_client, db):
    ClaimFactory.create_batch(7)
    assert len(api_client.get("/api/v1/claims/?page_size=5").json()["results"]) == 5
    assert len(api_client.get("/api/v1/claims/?page_size=1").json()["results"]) == 1
    assert len(api_client.get("/api/v1/claims/").json()["results"]) == 7


@override_settings(API_MAX_PAGE_SIZE=5)
@pytest.mark.parametrize("asked", ["1000", "6", "0", "-1", "ten", "2.5", "", "٣"])
@pytest.mark.parametrize("path", ["/api/v1/claims/", "/api/v1/actors/", "/api/v1/sources/"])
def test_an_out_of_range_page_size_is_a_400_saying_the_range(api_client, db, path, asked):
    """Not quietly changed: a client that counts on its page size is told."""
    response = api_client.get(f"{path}?page_size={asked}")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "page_size": ["Give a whole number from 1 to 5 (the default is 25)."]
    }


def test_a_garbled_cursor_is_404(api_client, db):
    response = api_client.get("/api/v1/claims/?cursor=cD1ub3QtYS1kYXRl")  # "p=not-a-date"
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def make_claims(count):
    for _ in range(count):
        claim = ClaimFactory(topics=[TopicFactory()])
        StatementFactory(claim=claim, sources=1)
        StatementFactory(claim=claim, stance=Stance.DENIES)
        AssessmentFactory(claim=claim)
        ClaimLinkFactory(from_claim=claim)


def count_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


LISTS = ["claims", "statements", "assessments", "actors", "sources", "topics", "claim-links"]


def test_list_queries_do_not_grow_with_the_page(api_client, db):
    make_claims(1)
    one = {path: count_queries(api_client, f"/api/v1/{path}/?page_size=50") for path in LISTS}
    make_claims(49)
    fifty = {path: count_queries(api_client, f"/api/v1/{path}/?page_size=50") for path in LISTS}
    assert fifty == one


def test_claim_detail_queries_do_not_grow_with_statements(api_client, db):
    claim = ClaimFactory(slug="busy")
    StatementFactory(claim=claim, sources=1)
    AssessmentFactory(claim=claim)
    few = count_queries(api_client, "/api/v1/claims/busy/")
    for _ in range(10):
        StatementFactory(claim=claim, sources=2)
        AssessmentFactory(claim=claim)
        ClaimLinkFactory(to_claim=claim)
    assert count_queries(api_client, "/api/v1/claims/busy/") == few
