"""Page versions kept as counters in Redis (claims/caching/counters.py): a warm
page is served without the database, an edit moves the counter when it
commits, and a lost counter is a new epoch, never an old page."""

import threading

import pytest
from django.db import connection, transaction
from django.urls import reverse

from claims.caching import counters
from claims.models import Claim

TOWN_HALL = "wagner-captured-bakhmut-city-administration"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not counters.enabled(), reason="page version counters need Redis (REDIS_URL)"),
]


def claim_url(slug=TOWN_HALL):
    return reverse("claims:claim-detail", kwargs={"slug": slug})


def counter(slug=TOWN_HALL):
    return counters.read(counters.counter_name("claim", slug))


def test_a_warm_claim_page_reads_no_row(client, demo, django_assert_num_queries):
    first = client.get(claim_url())
    with django_assert_num_queries(0):
        second = client.get(claim_url())
        not_modified = client.get(claim_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.content == first.content
    assert not_modified.status_code == 304
    assert not_modified["ETag"] == first["ETag"]
    assert "public" in not_modified["Cache-Control"]


def test_warm_lists_and_api_pages_read_no_row(client, demo, django_assert_num_queries):
    paths = ["/", "/claims/", "/claims/?q=bakhmut", "/api/v1/claims/", f"/api/v1/claims/{TOWN_HALL}/"]
    for path in paths:
        assert client.get(path).status_code == 200
    with django_assert_num_queries(0):
        for path in paths:
            assert client.get(path).status_code == 200


def test_an_edit_moves_the_counter_and_the_next_page_shows_it(client, demo):
    client.get(claim_url())
    before = counter()
    claim = demo[TOWN_HALL]
    claim.context = "A new paragraph of context."
    claim.save()
    assert counter() > before
    assert "A new paragraph of context." in client.get(claim_url()).content.decode()


def test_a_lost_counter_is_a_new_epoch_not_an_old_page(client, demo):
    """Redis restarted: the counters are gone but this process still holds
    the page it served. An edit made meanwhile (here one that moves no
    counter) must show: the missing counter starts afresh, so the page misses."""
    from django.core.cache import cache

    assert client.get(claim_url()).status_code == 200
    old = counter()
    cache.clear()  # every counter and page in Redis gone; the process memory keeps its page
    Claim.objects.filter(slug=TOWN_HALL).update(text="Changed while Redis was away.")
    assert "Changed while Redis was away." in client.get(claim_url()).content.decode()
    assert counter() not in (None, old)


def test_a_reader_that_cannot_reach_redis_reads_the_row(client, demo, monkeypatch, caplog):
    import redis

    assert client.get(claim_url()).status_code == 200
    client.get(claim_url())  # warm, at the early door too
    dead = redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)
    monkeypatch.setattr(counters, "_reader", lambda: dead)
    Claim.objects.filter(slug=TOWN_HALL).update(text="Changed while Redis was away.")
    page = client.get(claim_url())
    assert page.status_code == 200
    assert "Changed while Redis was away." in page.content.decode()
    assert "page version counter unreadable" in caplog.text


def test_a_dropped_reader_connection_is_made_again(client, demo):
    """Each thread keeps its own connection for reading counters (counters.py):
    one that Redis dropped (a restart, a timeout) is made again."""
    assert client.get(claim_url()).status_code == 200
    value = counter()
    counters._client().client_kill_filter(_id=counters._reader().client_id())
    assert client.get(claim_url()).status_code == 200
    assert counter() == value


def test_an_unknown_address_makes_no_counter(client, demo):
    assert client.get(claim_url("no-such-claim")).status_code == 404
    assert counter("no-such-claim") is None


def test_an_unpublished_claim_answers_404_to_its_old_etag(client, demo):
    first = client.get(claim_url())
    claim = demo[TOWN_HALL]
    claim.is_published = False
    claim.save()
    assert client.get(claim_url(), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 404
    assert client.get(claim_url()).status_code == 404
    assert "ETag" not in client.get(claim_url())


def test_a_renamed_claims_old_address_is_not_served_from_the_cache(client, demo):
    assert client.get(claim_url()).status_code == 200
    claim = demo[TOWN_HALL]
    claim.slug = "wagner-town-hall"
    claim.save()
    assert client.get(claim_url()).status_code in (301, 404)
    assert client.get(claim_url("wagner-town-hall")).status_code == 200


def test_a_deleted_claims_page_is_not_served_from_the_cache(client, demo):
    assert client.get(claim_url()).status_code == 200
    demo[TOWN_HALL].delete()
    assert client.get(claim_url()).status_code == 404


def test_an_edit_that_cannot_reach_redis_is_still_saved(demo, monkeypatch, caplog):
    import redis

    dead = redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)
    monkeypatch.setattr(counters, "_bump_script", lambda: dead.register_script(counters._BUMP))
    claim = demo[TOWN_HALL]
    claim.context = "Saved though Redis is away."
    claim.save()
    assert Claim.objects.get(pk=claim.pk).context == "Saved though Redis is away."
    assert "page version counters not moved" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_the_counter_moves_when_the_edit_commits_not_before(client):
    from claims.demo import load_demo

    demo = load_demo()
    client.get(claim_url())
    before = counter()
    claim = demo[TOWN_HALL]
    seen_inside = []
    with transaction.atomic():
        claim.context = "Committed context."
        claim.save()
        seen_inside.append(counter())
        # Another connection reading now sees the old row and the old counter.
        reader = threading.Thread(target=lambda: (seen_inside.append(counter()), connection.close()))
        reader.start()
        reader.join()
    assert seen_inside == [before, before]
    assert counter() > before
    assert "Committed context." in client.get(claim_url()).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_edit_moves_nothing_and_the_next_commit_still_does(client):
    from claims.demo import load_demo

    demo = load_demo()
    client.get(claim_url())
    before = counter()
    claim = demo[TOWN_HALL]
    with pytest.raises(RuntimeError), transaction.atomic():
        claim.context = "Rolled back."
        claim.save()
        raise RuntimeError
    assert counter() == before
    claim.refresh_from_db()
    claim.context = "Kept."
    claim.save()
    assert counter() > before
    assert "Kept." in client.get(claim_url()).content.decode()
