"""RSS and Atom feeds of published assessments, sitemap.xml and robots.txt."""

import feedparser
import pytest

from .factories import AssessmentFactory, ClaimFactory, TopicFactory


@pytest.mark.parametrize("url", ["/feeds/assessments.rss", "/feeds/assessments.atom"])
def test_site_feed_parses_and_lists_the_newest_status_changes(client, demo, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == "Counterclaim: status changes"
    titles = [entry.title for entry in feed.entries]
    assert "Confirmed: Finland becomes NATO's 31st member on 4 April 2023." in titles
    assert titles[0].startswith("Confirmed: Finland")  # newest first (assessed 4 April)
    town_hall = next(e for e in feed.entries if "city administration" in e.title)
    assert town_hall.title.startswith("Disputed: ")
    assert town_hall.link.startswith(
        "http://127.0.0.1:8000/claims/wagner-captured-bakhmut-city-administration/#assessment-"
    )
    assert "No independent confirmation." in town_hall.summary
    assert town_hall.published_parsed[:3] == (2023, 4, 3)


@pytest.mark.parametrize("suffix", ["rss", "atom"])
def test_topic_feed_has_only_that_topics_claims(client, demo, suffix):
    response = client.get(f"/topics/finland-nato-accession/feed.{suffix}")
    feed = feedparser.parse(response.content)
    assert not feed.bozo
    assert feed.feed.title == "Counterclaim: status changes in Finland's NATO accession"
    assert feed.entries
    assert all("Bakhmut" not in entry.title for entry in feed.entries)
    assert any("Finland" in entry.title for entry in feed.entries)


def test_topic_feed_of_unknown_topic_is_404(client, db):
    assert client.get("/topics/nope/feed.rss").status_code == 404


def test_feed_entries_carry_no_internal_notes(client, db):
    topic = TopicFactory(slug="t")
    AssessmentFactory(claim=ClaimFactory(topics=[topic]), internal_notes="do not print this")
    for url in ("/feeds/assessments.rss", "/topics/t/feed.atom"):
        assert b"do not print this" not in client.get(url).content


def test_sitemap_index_and_claims_section_list_published_claims_only(client, demo):
    ClaimFactory(slug="unfinished-draft", is_published=False)
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    assert b"sitemap-claims.xml" in index.content
    claims = client.get("/sitemap-claims.xml").content.decode()
    assert "http://127.0.0.1:8000/claims/wagner-captured-bakhmut-city-administration/" in claims
    assert "<lastmod>" in claims
    assert claims.count("/claims/") == 6
    assert "unfinished-draft" not in claims


def test_sitemap_lists_topics_actors_who_spoke_and_fixed_pages(client, demo):
    assert b"/topics/battle-of-bakhmut/" in client.get("/sitemap-topics.xml").content
    actors = client.get("/sitemap-actors.xml").content
    assert b"/actors/serhiy-cherevatiy/" in actors
    assert b"/actors/reuters/" not in actors  # a publisher only, with no statement
    pages = client.get("/sitemap-pages.xml").content
    assert b"/methodology/" in pages


def test_robots_txt_points_at_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in body
    assert "Disallow: /admin/" in body
