"""The real reader pages are cached, and no edit ever leaves a stale page."""

import datetime as dt

import pytest
from django.urls import reverse

from claims.models import Actor, ActorAlias, Assessment, Source, Statement, Topic
from claims.vocabularies import Status

pytestmark = pytest.mark.django_db

TOWN_HALL = "wagner-captured-bakhmut-city-administration"


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def claim_url(demo):
    return reverse("claims:claim-detail", kwargs={"slug": TOWN_HALL})


def test_claim_page_is_served_from_the_cache_with_cdn_headers(
    client, claim_url, django_assert_max_num_queries
):
    first = client.get(claim_url)
    assert "public" in first["Cache-Control"] and first["ETag"]
    with django_assert_max_num_queries(3):  # the version lookup (and session-less auth), no render
        second = client.get(claim_url)
    assert second.content == first.content
    assert client.get(claim_url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def edit_statement(demo):
    statement = Statement.objects.get(claim__slug=TOWN_HALL, actor__slug="john-kirby")
    statement.summary = "Kirby's new wording."
    statement.save()
    return "Kirby&#x27;s new wording."


def edit_source(demo):
    source = Source.objects.get(title__startswith="Reuters report")
    source.title = "Reuters: retitled report"
    source.save()
    return "Reuters: retitled report"


def edit_actor(demo):
    actor = Actor.objects.get(slug="serhiy-cherevatiy")
    actor.role = "Former spokesperson for the eastern command"
    actor.save()
    return "Former spokesperson for the eastern command"


def add_alias(demo):
    ActorAlias.objects.create(actor=Actor.objects.get(slug="wagner-group"), name="Wagner PMC (new alias)")
    return None  # the claim page does not show aliases; the actor page does


def publish_assessment(demo):
    Assessment.objects.create(
        claim=demo[TOWN_HALL],
        status=Status.REFUTED,
        rationale="Later footage shows the building in Ukrainian hands.",
        assessed_at=dt.datetime(2023, 4, 10, tzinfo=dt.UTC),
        is_published=True,
    )
    return "Later footage shows the building in Ukrainian hands."


def rename_topic(demo):
    topic = Topic.objects.get(slug="battle-of-bakhmut")
    topic.name = "Battle for Bakhmut"
    topic.save()
    return "Battle for Bakhmut"


@pytest.mark.parametrize("edit", [edit_statement, edit_source, edit_actor, publish_assessment, rename_topic])
def test_every_edit_shows_on_the_next_claim_page(client, demo, claim_url, edit):
    page(client, claim_url)  # fills the cache
    expected = edit(demo)
    assert expected in page(client, claim_url)


def test_new_alias_shows_on_the_actor_page(client, demo):
    url = reverse("claims:actor-detail", kwargs={"slug": "wagner-group"})
    page(client, url)
    add_alias(demo)
    assert "Wagner PMC (new alias)" in page(client, url)


def test_a_new_assessment_shows_on_the_actor_and_topic_pages(client, demo):
    actor_url = reverse("claims:actor-detail", kwargs={"slug": "wagner-group"})
    topic_url = reverse("claims:topic-detail", kwargs={"slug": "battle-of-bakhmut"})
    assert "Refuted" not in page(client, actor_url)
    assert "Refuted" not in page(client, topic_url)
    publish_assessment(demo)
    assert "Refuted" in page(client, actor_url)
    assert "Refuted" in page(client, topic_url)


def test_unpublishing_removes_the_cached_page(client, demo, claim_url):
    page(client, claim_url)
    claim = demo[TOWN_HALL]
    claim.is_published = False
    claim.save()
    assert client.get(claim_url).status_code == 404


def test_claim_list_and_search_show_a_new_claim_at_once(client, demo):
    url = reverse("claims:claim-list") + "?q=Soledar"
    assert "Soledar salt mine" not in page(client, url)
    from .factories import ClaimFactory

    ClaimFactory(text="Soledar salt mine taken.", slug="soledar")
    assert "Soledar salt mine" in page(client, url)


def test_editors_never_get_a_cached_page(client, demo, claim_url, editor):
    page(client, claim_url)
    client.force_login(editor)
    response = client.get(claim_url)
    assert "no-store" in response["Cache-Control"]


def test_api_claim_detail_is_cached_for_anonymous_clients_and_never_stale(client, demo):
    url = f"/api/v1/claims/{TOWN_HALL}/"
    first = client.get(url)
    assert first.status_code == 200 and "public" in first["Cache-Control"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    edit_statement(demo)
    fresh = client.get(url)
    assert "Kirby's new wording." in fresh.content.decode()
    assert fresh["ETag"] != first["ETag"]


def test_api_token_clients_get_private_uncached_details(client, demo, editor):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=editor)
    response = client.get(f"/api/v1/claims/{TOWN_HALL}/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_home_shows_a_new_topic_and_loses_a_deleted_claim_at_once(client, demo):
    assert "Siege of Avdiivka" not in page(client, "/")
    from .factories import TopicFactory

    TopicFactory(name="Siege of Avdiivka")
    assert "Siege of Avdiivka" in page(client, "/")
    assert "Between 1,000 and 5,000 civilians" in page(client, "/claims/")
    demo["civilians-remaining-in-bakhmut"].delete()
    assert "Between 1,000 and 5,000 civilians" not in page(client, "/claims/")
    assert "Between 1,000 and 5,000 civilians" not in page(client, "/")


def test_api_claim_list_is_cached_and_shows_a_new_claim_at_once(client, demo):
    from .factories import ClaimFactory

    first = client.get("/api/v1/claims/")
    assert "public" in first["Cache-Control"]
    assert client.get("/api/v1/claims/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    ClaimFactory(text="Soledar salt mine taken.", slug="soledar")
    assert "soledar" in client.get("/api/v1/claims/").content.decode()


def test_a_warm_page_comes_from_process_memory_without_the_shared_cache(
    client, claim_url, django_assert_max_num_queries, monkeypatch
):
    from django.core.cache import cache

    from claims.caching import counters

    first = client.get(claim_url)
    if counters.enabled():
        # The version is the counter in Redis; the page itself is not fetched from it.
        monkeypatch.setattr(cache, "get", lambda *args, **kwargs: pytest.fail("shared cache asked"))
        queries = 0
    else:
        cache.clear()  # the shared cache forgets; this process still has the page
        queries = 1  # the version lookup
    with django_assert_max_num_queries(queries):
        second = client.get(claim_url)
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_page_memory_keeps_the_most_recently_used_pages_within_its_size():
    from claims.caching import PageMemory, Snapshot

    memory = PageMemory(max_bytes=250)
    for name in ("a", "b", "c"):
        memory.put(name, Snapshot(200, (), b"x" * 100))
    assert memory.get("a") is None  # the oldest went to make room
    memory.get("b")
    memory.put("d", Snapshot(200, (), b"x" * 100))
    assert memory.get("b") is not None and memory.get("c") is None
    memory.put("huge", Snapshot(200, (), b"x" * 300))
    assert memory.get("huge") is None and memory.size <= 250
