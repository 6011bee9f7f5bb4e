"""ETag and Last-Modified on details; 304 on If-None-Match; 412 on a stale If-Match."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims.vocabularies import Stance

from .factories import (
    ActorFactory,
    AssessmentFactory,
    ClaimFactory,
    StatementFactory,
    TopicFactory,
    UserFactory,
)


@pytest.fixture
def claim(db):
    claim = ClaimFactory(slug="town-hall")
    StatementFactory(claim=claim)
    return claim


def test_a_detail_has_validators_and_answers_304(api_client, claim):
    first = api_client.get("/api/v1/claims/town-hall/")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"') and modified.endswith("GMT")
    again = api_client.get("/api/v1/claims/town-hall/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag
    assert not again.content
    assert api_client.get("/api/v1/claims/town-hall/", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304


def test_the_page_cache_keeps_the_etag_of_the_representation(api_client, api_client_for, claim, monkeypatch):
    # Changed on purpose: anonymous GETs used to get the page cache's own
    # validator (a hash of its key), unlike token readers. Now the first
    # anonymous GET hashes the representation once and the cached page keeps
    # that ETag; a cache hit hashes nothing.
    from claims.api import conditional

    hashed = []
    monkeypatch.setattr(conditional, "etag_for", lambda data: hashed.append(data) or '"representation"')
    assert api_client.get("/api/v1/claims/town-hall/")["ETag"] == '"representation"' and len(hashed) == 1
    assert api_client.get("/api/v1/claims/town-hall/")["ETag"] == '"representation"' and len(hashed) == 1
    assert (
        api_client.get("/api/v1/claims/town-hall/", HTTP_IF_NONE_MATCH='"representation"').status_code == 304
    )
    assert len(hashed) == 1
    token = api_client_for("Editor").get("/api/v1/claims/town-hall/")
    assert token["ETag"] == '"representation"' and len(hashed) == 2


def test_the_etag_changes_when_a_statement_changes(api_client, claim):
    etag = api_client.get("/api/v1/claims/town-hall/")["ETag"]
    StatementFactory(claim=claim, stance=Stance.DENIES)
    response = api_client.get("/api/v1/claims/town-hall/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_if_match_guards_against_a_lost_update(api_client_for, claim):
    client = api_client_for("Editor")
    etag = client.get("/api/v1/claims/town-hall/")["ETag"]
    first = client.patch("/api/v1/claims/town-hall/", {"context": "First editor."}, HTTP_IF_MATCH=etag)
    assert first.status_code == 200
    assert first["ETag"] != etag
    second = client.patch("/api/v1/claims/town-hall/", {"context": "Second editor."}, HTTP_IF_MATCH=etag)
    assert second.status_code == 412
    body = second.json()
    assert body["code"] == "precondition_failed"
    assert body["etag"] == first["ETag"] and body["last_modified"].endswith("GMT")
    assert first["ETag"] in body["detail"] and "changed since you read it" in body["detail"]
    claim.refresh_from_db()
    assert claim.context == "First editor."
    third = client.patch("/api/v1/claims/town-hall/", {"context": "Re-read."}, HTTP_IF_MATCH=first["ETag"])
    assert third.status_code == 200


def test_if_match_on_delete(api_client_for, db):
    ActorFactory(slug="gone")
    client = api_client_for("Reviewer")
    assert client.delete("/api/v1/actors/gone/", HTTP_IF_MATCH='"stale"').status_code == 412
    etag = client.get("/api/v1/actors/gone/")["ETag"]
    assert client.delete("/api/v1/actors/gone/", HTTP_IF_MATCH=etag).status_code == 204


def test_if_match_star_and_no_if_match_write(api_client_for, claim):
    client = api_client_for("Editor")
    assert client.patch("/api/v1/claims/town-hall/", {"context": "a"}, HTTP_IF_MATCH="*").status_code == 200
    assert client.patch("/api/v1/claims/town-hall/", {"context": "b"}).status_code == 200


# --- One ETag per representation ---------------------------------------------------

READ_PUBLICLY = [
    "/api/v1/claims/town-hall/",
    "/api/v1/actors/kirby/",
    "/api/v1/topics/bakhmut/",
    "/api/v1/statements/{statement}/",
    "/api/v1/sources/{source}/",
]


@pytest.fixture
def public_rows(claim):
    topic = TopicFactory(slug="bakhmut")
    claim.topics.add(topic)
    statement = StatementFactory(
        claim=claim, actor=ActorFactory(slug="kirby"), stance=Stance.DENIES, sources=1
    )
    return {"statement": statement.pk, "source": statement.sources.get().pk}


@pytest.mark.parametrize("page_cache", [True, False])
@pytest.mark.parametrize("path", READ_PUBLICLY)
def test_an_anonymous_and_a_token_reader_get_the_same_etag(
    api_client, public_rows, path, page_cache, settings
):
    settings.PAGE_CACHE = page_cache
    path = path.format(**public_rows)
    anonymous = [api_client.get(path)["ETag"] for _ in range(2)]  # rendered, then from the cache
    reader = APIClient()
    reader.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=UserFactory()).key}")
    token = reader.get(path)
    assert anonymous == [token["ETag"], token["ETag"]]
    assert reader.get(path, HTTP_IF_NONE_MATCH=anonymous[0]).status_code == 304
    assert api_client.get(path, HTTP_IF_NONE_MATCH=token["ETag"]).status_code == 304


def test_a_tool_that_reads_publicly_writes_with_its_token(api_client, claim):
    claim.internal_notes = "Check the second source."  # the editor's representation has more
    claim.save()
    AssessmentFactory(claim=claim, is_published=False)
    public = api_client.get("/api/v1/claims/town-hall/")["ETag"]
    writer = APIClient()
    writer.credentials(
        HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=UserFactory(role='Reviewer')).key}"
    )
    own = writer.get("/api/v1/claims/town-hall/")["ETag"]
    assert own != public
    answer = writer.patch("/api/v1/claims/town-hall/", {"context": "Read publicly."}, HTTP_IF_MATCH=public)
    assert answer.status_code == 200, answer.json()
    stale = writer.patch("/api/v1/claims/town-hall/", {"context": "Again."}, HTTP_IF_MATCH=public)
    assert stale.status_code == 412
    body = stale.json()
    fresh_public = api_client.get("/api/v1/claims/town-hall/")["ETag"]
    assert body["etag"] == answer["ETag"] and body["public_etag"] == fresh_public
    assert "as a reader reads it" in body["detail"] and fresh_public in body["detail"]
    assert (
        writer.patch(
            "/api/v1/claims/town-hall/", {"context": "Re-read."}, HTTP_IF_MATCH=fresh_public
        ).status_code
        == 200
    )
    claim.refresh_from_db()
    assert claim.context == "Re-read."


def test_a_draft_has_no_public_etag_to_match(api_client_for, db):
    ClaimFactory(slug="draft", is_published=False)
    client = api_client_for("Editor")
    etag = client.get("/api/v1/claims/draft/")["ETag"]
    stale = client.patch("/api/v1/claims/draft/", {"context": "x"}, HTTP_IF_MATCH='"old"')
    assert stale.status_code == 412
    assert stale.json()["public_etag"] is None and "no public ETag" in stale.json()["detail"]
    assert client.patch("/api/v1/claims/draft/", {"context": "x"}, HTTP_IF_MATCH=etag).status_code == 200
