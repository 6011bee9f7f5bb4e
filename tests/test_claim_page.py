"""The claim page: both sides side by side, the status timeline, ClaimReview
JSON-LD, sharing tags and the Content-Security-Policy."""

import re

import extruct
import pytest
from django.test import override_settings

from claims.demo import COUNTERCLAIM
from claims.vocabularies import Language, Stance

from .factories import AssessmentFactory, ClaimFactory, SourceFactory, StatementFactory

URL = "/claims/wagner-captured-bakhmut-city-administration/"


@pytest.fixture
def page(client, demo):
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def section(html, heading_id):
    """The HTML of the <section> labelled by `heading_id`."""
    start = html.index(f'aria-labelledby="{heading_id}"')
    return html[start : html.index("</section>", start)]


def test_assertion_and_denials_are_side_by_side(page):
    asserting = section(page, "asserting-title")
    denying = section(page, "denying-title")
    assert "Wagner Group" in asserting and "Cherevatiy" not in asserting
    assert "Serhiy Cherevatiy" in denying and "John Kirby" in denying
    assert "Asserting the claim (1)" in asserting
    assert "Denying the claim (2)" in denying
    others = section(page, "other-title")
    assert "Russian Ministry of Defence" in others and "Declines to confirm" in others


def test_statement_shows_actor_link_role_quote_date_and_sources(page):
    assert 'href="/actors/serhiy-cherevatiy/"' in page
    assert "Spokesperson for Ukraine&#x27;s eastern military command" in page
    assert '<blockquote class="quote" lang="en">' in page
    assert "very far from doing that, to put it mildly" in page
    assert '<time datetime="2023-04-03">3 April 2023</time>' in page
    assert "told Reuters by phone" in page
    assert "Reuters report of the Bakhmut fighting, 3 April 2023" in page


def test_quote_in_another_language_has_its_lang_and_translation(client, db):
    claim = ClaimFactory(slug="lang")
    StatementFactory(
        claim=claim,
        quote="Бахмут український",
        quote_language=Language.UKRAINIAN,
        translation="Bakhmut is Ukrainian",
        stance=Stance.DENIES,
    )
    html = client.get("/claims/lang/").content.decode()
    assert '<blockquote class="quote" lang="uk"><p>“Бахмут український”</p></blockquote>' in html
    assert '<p class="translation" lang="en">' in html and "Bakhmut is Ukrainian" in html


def test_sources_show_publisher_link_and_archive_link(client, db):
    source = SourceFactory(
        url="https://news.example.org/a", title="The report", archive_url="https://archive.example.org/a"
    )
    StatementFactory(claim=ClaimFactory(slug="src"), sources=[source])
    html = client.get("/claims/src/").content.decode()
    assert f'<span class="source__publisher">{source.publisher.name}</span>' in html
    assert '<a href="https://news.example.org/a" rel="nofollow noopener">The report</a>' in html
    assert 'href="https://archive.example.org/a"' in html and "archived copy" in html


def test_status_badge_is_text_with_date_and_rationale(page):
    verdict = section(page, "verdict-title")
    assert "Status: </span>Disputed" in verdict
    assert "since <time" in verdict and "3 April 2023" in verdict
    assert "No independent confirmation." in verdict


def test_status_timeline_lists_every_published_assessment_oldest_first(client, demo):
    html = client.get("/claims/finland-becomes-natos-31st-member/").content.decode()
    timeline = section(html, "timeline-title")
    assert timeline.index("Unverified") < timeline.index("Confirmed")
    assert "Finland joined NATO on 4 April 2023, as announced." in timeline
    assert "Evidence (2)" in timeline
    changelog = section(html, "changelog-title")
    assert "Status changed from Unverified to Confirmed." in changelog
    assert "First published." in changelog and "Last changed" in changelog
    assert changelog.index("Status set to Unverified.") < changelog.index("Status changed from Unverified")


def test_related_claims_show_the_counterclaim_first(client, demo):
    ClaimFactory(slug="later")
    page = client.get(URL).content.decode()
    related = section(page, "related-title")
    assert "Counterclaims" in related
    assert f'href="/claims/{COUNTERCLAIM}/"' in related


def test_related_draft_claims_are_left_out(client, demo):
    demo[COUNTERCLAIM].is_published = False
    demo[COUNTERCLAIM].save()
    assert COUNTERCLAIM not in client.get(URL).content.decode()


def test_topics_place_and_cite_permalink(page):
    assert 'href="/topics/battle-of-bakhmut/"' in page
    assert "<dt>Place</dt><dd>Bakhmut</dd>" in page
    cite = section(page, "cite-title")
    assert f"http://127.0.0.1:8000{URL}" in cite


def test_claimreview_json_ld_has_every_field_google_asks_for(page):
    data = extruct.extract(page, base_url=f"http://127.0.0.1:8000{URL}", syntaxes=["json-ld"])["json-ld"]
    assert len(data) == 1
    review = data[0]
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == "The Wagner Group captured Bakhmut's city administration building."
    assert review["url"] == f"http://127.0.0.1:8000{URL}"
    assert review["datePublished"] == "2023-04-03"
    assert review["author"] == {
        "@type": "Organization",
        "name": "Counterclaim",
        "url": "http://127.0.0.1:8000",
    }
    rating = review["reviewRating"]
    assert rating["alternateName"] == "Disputed"
    assert (rating["worstRating"], rating["ratingValue"], rating["bestRating"]) == (1, 3, 5)
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"]["name"] == "Wagner Group"
    assert item["datePublished"] == "2023-04-03"


def test_claimreview_appearance_lists_the_asserting_sources(client, db):
    claim = ClaimFactory(slug="appears")
    StatementFactory(claim=claim, sources=[SourceFactory(url="https://news.example.org/said")])
    AssessmentFactory(claim=claim)
    html = client.get("/claims/appears/").content.decode()
    review = extruct.extract(html, syntaxes=["json-ld"])["json-ld"][0]
    assert review["itemReviewed"]["appearance"] == [
        {"@type": "CreativeWork", "url": "https://news.example.org/said"}
    ]


def test_no_claimreview_without_a_published_assessment(client, db):
    ClaimFactory(slug="unassessed")
    html = client.get("/claims/unassessed/").content.decode()
    assert "application/ld+json" not in html
    assert "We have not assessed this claim yet." in html


def test_json_ld_cannot_break_out_of_its_script_tag(client, db):
    claim = ClaimFactory(slug="evil", text="</script><script>alert(1)</script>")
    AssessmentFactory(claim=claim)
    html = client.get("/claims/evil/").content.decode()
    assert "<script>alert(1)" not in html
    assert extruct.extract(html, syntaxes=["json-ld"])["json-ld"][0]["claimReviewed"] == claim.text


@override_settings(SITE_URL="https://counterclaim.example.org")
def test_canonical_open_graph_and_twitter_tags(client, demo):
    html = client.get(URL).content.decode()
    canonical = f"https://counterclaim.example.org{URL}"
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert f'<meta property="og:url" content="{canonical}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert re.search(r'<meta property="og:title" content="Disputed: The Wagner Group captured', html)
    assert '<meta name="twitter:card" content="summary">' in html
    assert re.search(r'<meta name="twitter:title" content="Disputed: ', html)


def test_csp_forbids_inline_scripts_and_styles_and_pages_use_none(client, demo):
    response = client.get(URL)
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    html = response.content.decode()
    assert " style=" not in html and "<style" not in html
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts == ['<script type="application/ld+json">']
