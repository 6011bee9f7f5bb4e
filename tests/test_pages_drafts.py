"""Drafts are invisible: a draft claim, a draft assessment or an internal note
never appears on any public page, feed, sitemap or search result."""

import pytest

from claims.models import Claim

from .factories import ActorFactory, AssessmentFactory, ClaimFactory, StatementFactory, TopicFactory

SECRETS = ("secretdraftclaim", "secretdraftrationale", "secretinternalnote", "secretassessmentnote")


@pytest.fixture
def hidden(db):
    """A public actor and topic that have a published and a draft claim, a
    draft assessment and internal notes; returns the objects."""
    topic = TopicFactory(slug="front", name="Front")
    actor = ActorFactory(slug="speaker", name="Speaker")
    public = ClaimFactory(
        slug="public-claim", text="Public claim about the front.", internal_notes="secretinternalnote"
    )
    public.topics.set([topic])
    draft = ClaimFactory(slug="draft-claim", text="Secretdraftclaim about the front.", is_published=False)
    draft.topics.set([topic])
    StatementFactory(claim=public, actor=actor)
    StatementFactory(claim=draft, actor=actor, summary="Front words.")
    AssessmentFactory(claim=public, rationale="Published rationale.", internal_notes="secretassessmentnote")
    AssessmentFactory(claim=public, status="refuted", rationale="secretdraftrationale", is_published=False)
    AssessmentFactory(claim=draft, rationale="secretdraftrationale")
    return {"topic": topic, "actor": actor, "public": public, "draft": draft}


def assert_no_secrets(response):
    assert response.status_code == 200
    body = response.content.decode().lower()
    for secret in SECRETS:
        assert secret not in body
    assert "draft-claim" not in body


def test_draft_claim_page_is_not_found(client, hidden):
    assert client.get("/claims/draft-claim/").status_code == 404


def test_claim_page_hides_draft_assessment_and_internal_notes(client, hidden):
    response = client.get("/claims/public-claim/")
    assert_no_secrets(response)
    assert "Published rationale." in response.content.decode()
    assert "Refuted" not in response.content.decode()


def test_home_hides_drafts(client, hidden):
    assert_no_secrets(client.get("/"))


def test_claim_list_hides_drafts(client, hidden):
    assert_no_secrets(client.get("/claims/"))
    assert_no_secrets(client.get("/claims/?topic=front&actor=speaker"))


def test_search_never_finds_a_draft(client, hidden):
    response = client.get("/claims/", {"q": "secretdraftclaim"})
    body = response.content.decode()
    assert "/claims/draft-claim/" not in body
    assert "Secretdraftclaim about the front." not in body
    assert "No published claim matches" in body
    assert_no_secrets(client.get("/claims/", {"q": "front"}))


def test_actor_page_hides_statements_on_drafts(client, hidden):
    response = client.get("/actors/speaker/")
    assert_no_secrets(response)
    assert "Front words." not in response.content.decode()


def test_actor_track_record_counts_published_claims_only(client, hidden):
    response = client.get("/actors/speaker/")
    assert "Asserts: 1 claim" in response.content.decode()


def test_topic_page_hides_drafts(client, hidden):
    assert_no_secrets(client.get("/topics/front/"))


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/assessments.rss",
        "/feeds/assessments.atom",
        "/topics/front/feed.rss",
        "/topics/front/feed.atom",
    ],
)
def test_feeds_hide_drafts(client, hidden, url):
    response = client.get(url)
    assert_no_secrets(response)
    assert "Published rationale." in response.content.decode()


def test_sitemap_hides_drafts(client, hidden):
    response = client.get("/sitemap-claims.xml")
    assert_no_secrets(response)
    assert "/claims/public-claim/" in response.content.decode()


def test_unpublishing_a_claim_hides_it_at_once(client, hidden):
    Claim.objects.filter(pk=hidden["public"].pk).update(is_published=False, published_at=None)
    assert client.get("/claims/public-claim/").status_code == 404
    assert "public-claim" not in client.get("/claims/").content.decode()
    assert "public-claim" not in client.get("/feeds/assessments.rss").content.decode()
