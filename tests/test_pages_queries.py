"""A page's number of SQL queries does not grow with its rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.vocabularies import Stance

from .factories import (
    ActorFactory,
    AssessmentFactory,
    ClaimFactory,
    ClaimLinkFactory,
    ExternalReviewFactory,
    SourceFactory,
    StatementFactory,
    TopicFactory,
)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def claim_with(n):
    """A published claim with n statements (each with 2 sources, alternating
    sides), n published assessments (each with 2 evidence sources), n links and
    n ratings elsewhere."""
    topic = TopicFactory()
    claim = ClaimFactory(topics=[topic])
    stances = [Stance.ASSERTS, Stance.DENIES, Stance.QUALIFIES, Stance.DECLINES]
    for i in range(n):
        StatementFactory(claim=claim, stance=stances[i % 4], sources=2, actor__affiliation=ActorFactory())
        AssessmentFactory(claim=claim).evidence.set(SourceFactory.create_batch(2))
        ClaimLinkFactory(from_claim=claim)
        ClaimLinkFactory(to_claim=claim)
        ExternalReviewFactory(claim=claim)
    return claim


@pytest.mark.django_db
def test_claim_page_queries_do_not_grow_with_statements_sources_and_assessments(client):
    one, fifty = claim_with(1), claim_with(50)
    small = count_queries(client, one.get_absolute_url())
    large = count_queries(client, fifty.get_absolute_url())
    assert small == large
    # The version; the claim with its topics; statements with their sources;
    # assessments with their evidence; ratings elsewhere; links both ways.
    assert large <= 6


@pytest.mark.django_db
def test_claim_page_reads_ratings_elsewhere_only_for_a_claim_that_has_them(client):
    plain = ClaimFactory()
    StatementFactory(claim=plain)
    AssessmentFactory(claim=plain)
    # The version; the claim (with whether it was rated); statements; assessments; links.
    assert count_queries(client, plain.get_absolute_url()) == 5
    rated = ClaimFactory()
    ExternalReviewFactory(claim=rated, reviewer_name="Rated Elsewhere Org")
    assert count_queries(client, rated.get_absolute_url()) == 6
    assert "Rated Elsewhere Org" in client.get(rated.get_absolute_url()).content.decode()


def actor_with(n):
    actor = ActorFactory(affiliation=ActorFactory())
    for i in range(n):
        StatementFactory(
            actor=actor, stance=Stance.ASSERTS if i % 2 else Stance.DENIES, claim__topics=[TopicFactory()]
        )
    return actor


@pytest.mark.django_db
def test_actor_page_queries_do_not_grow_with_statements(client):
    one, fifty = actor_with(1), actor_with(50)
    assert count_queries(client, one.get_absolute_url()) == count_queries(client, fifty.get_absolute_url())


def topic_with(n):
    topic = TopicFactory()
    for _ in range(n):
        claim = ClaimFactory(topics=[topic, TopicFactory()])
        StatementFactory(claim=claim, stance=Stance.ASSERTS)
        StatementFactory(claim=claim, stance=Stance.DENIES)
        AssessmentFactory(claim=claim)
    return topic


@pytest.mark.django_db
def test_topic_page_queries_do_not_grow_with_claims(client):
    one, fifty = topic_with(1), topic_with(50)
    assert count_queries(client, one.get_absolute_url()) == count_queries(client, fifty.get_absolute_url())


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/claims/",
        "/claims/?q=claim",
        "/claims/?status=disputed&stance=asserts",
        "/feeds/assessments.rss",
        "/sitemap-claims.xml",
    ],
)
def test_list_pages_queries_do_not_grow_with_claims(client, url):
    topic_with(1)
    small = count_queries(client, url)
    topic_with(50)
    assert count_queries(client, url) == small


def test_most_contested_looks_only_at_recently_updated_claims(db):
    from claims.models import Claim
    from claims.vocabularies import Stance

    from .factories import ClaimFactory, StatementFactory

    old = ClaimFactory(slug="old-and-contested")
    for stance in [Stance.ASSERTS, Stance.DENIES, Stance.DENIES]:
        StatementFactory(claim=old, stance=stance)
    recent = ClaimFactory(slug="recent-and-contested")
    for stance in [Stance.ASSERTS, Stance.DENIES]:
        StatementFactory(claim=recent, stance=stance)
    assert [c.slug for c in Claim.objects.most_contested()] == ["old-and-contested", "recent-and-contested"]
    assert [c.slug for c in Claim.objects.most_contested(window=1)] == ["recent-and-contested"]


def test_topic_menu_stays_short_as_topics_grow_but_any_topic_filters(client, monkeypatch, db):
    from claims import filters

    from .factories import ClaimFactory, TopicFactory

    monkeypatch.setattr(filters, "TOPICS_IN_MENU", 3)
    old = TopicFactory(name="Aardvark offensive", slug="aardvark")
    ClaimFactory(text="An old claim about the offensive.", topics=[old])
    for n in range(5):
        TopicFactory(name=f"Recent topic {n}")
    html = client.get("/claims/").content.decode()
    menu = html[html.index('<select name="topic"') :]
    menu = menu[: menu.index("</select>")]
    assert menu.count("Recent topic") == 3 and "Aardvark offensive" not in menu
    chosen = client.get("/claims/?topic=aardvark").content.decode()
    assert '<option value="aardvark" selected>Aardvark offensive</option>' in chosen
    assert "An old claim about the offensive." in chosen
