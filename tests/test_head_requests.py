"""HEAD is answered like GET on every reader door (pages, feeds, sitemap,
robots.txt, health, the API, the ClaimReview export): the same status and
headers, Content-Length where GET has one, and no body. A draft is a 404 to
HEAD exactly as to GET."""

import pytest

from .factories import ClaimFactory

CLAIM = "wagner-captured-bakhmut-city-administration"

DOORS = {
    "home": "/",
    "claim-list": "/claims/",
    "claim-list-filtered": "/claims/?status=refuted",
    "search": "/claims/?q=Bakhmut",
    "claim": f"/claims/{CLAIM}/",
    "actor": "/actors/john-kirby/",
    "topic": "/topics/battle-of-bakhmut/",
    "methodology": "/methodology/",
    "feed-rss": "/feeds/assessments.rss",
    "feed-atom": "/feeds/assessments.atom",
    "topic-feed-rss": "/topics/battle-of-bakhmut/feed.rss",
    "topic-feed-atom": "/topics/battle-of-bakhmut/feed.atom",
    "sitemap": "/sitemap.xml",
    "sitemap-claims": "/sitemap-claims.xml",
    "robots": "/robots.txt",
    "healthz": "/healthz",
    "not-found": "/no/such/page/",
    "draft-claim": "/claims/draft-claim/",
    "api-root-unknown": "/api/v1/nothing-here/",
    "api-claims": "/api/v1/claims/",
    "api-claim": f"/api/v1/claims/{CLAIM}/",
    "api-claim-claimreview": f"/api/v1/claims/{CLAIM}/claimreview/",
    "api-draft-claim": "/api/v1/claims/draft-claim/",
    "api-actors": "/api/v1/actors/",
    "api-topic": "/api/v1/topics/battle-of-bakhmut/",
    "api-export-claimreview": "/api/v1/export/claimreview/",
    "api-schema": "/api/v1/schema/",
    "api-docs": "/api/v1/docs/",
}

# Headers that may differ between two responses to the same request.
VARYING = {"date", "set-cookie"}


@pytest.fixture
def site(demo):
    ClaimFactory(slug="draft-claim", text="A draft about the front.", is_published=False)


def headers(response):
    return {name.lower(): value for name, value in response.items() if name.lower() not in VARYING}


@pytest.mark.parametrize("url", DOORS.values(), ids=DOORS.keys())
def test_head_is_answered_like_get_without_a_body(client, site, url):
    head = client.head(url)  # first, on a cold page cache
    get = client.get(url)
    assert head.status_code == get.status_code
    assert head.status_code != 405
    assert headers(head) == headers(get)
    body = b"".join(get.streaming_content) if get.streaming else get.content
    assert body
    assert (b"".join(head.streaming_content) if head.streaming else head.content) == b""
    if not get.streaming:
        assert get["Content-Length"] == str(len(body))


@pytest.mark.parametrize("url", ["/claims/draft-claim/", "/api/v1/claims/draft-claim/"])
def test_a_draft_is_not_found_to_head_as_to_get(client, site, url):
    assert client.head(url).status_code == client.get(url).status_code == 404


def test_a_head_does_not_fill_the_page_cache_with_an_empty_page(client, site):
    assert client.head(f"/claims/{CLAIM}/").status_code == 200
    assert client.head(f"/claims/{CLAIM}/").status_code == 200
    assert CLAIM.encode() in client.get(f"/claims/{CLAIM}/").content


@pytest.mark.parametrize("url", ["/claims/", f"/claims/{CLAIM}/", "/methodology/"])
def test_writes_to_reader_pages_are_still_refused(client, site, url):
    assert client.post(url).status_code == 405
    assert client.put(url).status_code == 405


def test_a_head_of_the_export_does_not_build_it(site):
    """A WSGI server (gunicorn) reads a streamed body to the end even for HEAD,
    only to drop it: the export's HEAD streams nothing."""
    from django.test import RequestFactory

    from claims.api.views import ClaimReviewExportView

    view = ClaimReviewExportView.as_view()
    head = view(RequestFactory().head("/api/v1/export/claimreview/"))
    get = view(RequestFactory().get("/api/v1/export/claimreview/"))
    assert head.status_code == get.status_code == 200
    assert head["Content-Type"] == get["Content-Type"]
    assert b"".join(head.streaming_content) == b""
    assert b"ClaimReview" in b"".join(get.streaming_content)
