"""A draft's existence does not show through conditional requests: to a reader
a draft is a 404 whatever the headers, exactly like a slug that was never used,
on every cached door (the claim page and the API claim detail)."""

import pytest
from django.utils.http import http_date

from .factories import ClaimFactory

pytestmark = pytest.mark.django_db

DOORS = ["/claims/{slug}/", "/api/v1/claims/{slug}/"]
CONDITIONS = [
    {"HTTP_IF_NONE_MATCH": "*"},
    {"HTTP_IF_NONE_MATCH": '"0123456789abcdef0123456789abcdef"'},
    {"HTTP_IF_MODIFIED_SINCE": http_date(4102444800)},  # 2100-01-01
    {"HTTP_IF_MODIFIED_SINCE": http_date(0)},
]
VALIDATORS = ("ETag", "Last-Modified", "Cache-Control")


@pytest.fixture
def draft(db):
    return ClaimFactory(slug="secret-investigation", is_published=False)


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("headers", CONDITIONS)
def test_conditional_request_for_a_draft_is_a_plain_404(client, draft, door, headers):
    response = client.get(door.format(slug=draft.slug), **headers)
    unknown = client.get(door.format(slug="never-used-slug"), **headers)
    assert response.status_code == unknown.status_code == 404
    for header in ("ETag", "Last-Modified"):
        assert header not in response
    assert {h: response.get(h) for h in VALIDATORS} == {h: unknown.get(h) for h in VALIDATORS}


@pytest.mark.parametrize("door", DOORS)
def test_head_for_a_draft_is_a_404(client, draft, door):
    assert client.head(door.format(slug=draft.slug), HTTP_IF_NONE_MATCH="*").status_code == 404


@pytest.mark.parametrize("door", DOORS)
def test_published_claim_still_answers_304_to_its_etag(client, door):
    claim = ClaimFactory(slug="public-claim")
    first = client.get(door.format(slug=claim.slug))
    assert first.status_code == 200
    again = client.get(door.format(slug=claim.slug), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


@pytest.mark.parametrize("door", DOORS)
def test_unpublished_claim_stops_answering_304(client, door, reviewer):
    from claims import services

    claim = ClaimFactory(slug="was-public")
    etag = client.get(door.format(slug=claim.slug))["ETag"]
    services.set_claim_published(claim, False, reviewer)
    response = client.get(door.format(slug=claim.slug), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 404
