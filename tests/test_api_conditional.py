"""ETag and Last-Modified on details; 304 on If-None-Match; 412 on a stale If-Match."""

import pytest

from claims.vocabularies import Stance

from .factories import ActorFactory, ClaimFactory, StatementFactory


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


def test_the_representation_is_hashed_only_for_clients_the_page_cache_does_not_serve(
    api_client, api_client_for, claim, monkeypatch
):
    from claims.api import conditional

    hashed = []
    monkeypatch.setattr(conditional, "etag_for", lambda data: hashed.append(data) or '"token-client"')
    anonymous = api_client.get("/api/v1/claims/town-hall/")
    assert anonymous["ETag"] != '"token-client"' and not hashed  # the page cache's validator
    token = api_client_for("Editor").get("/api/v1/claims/town-hall/")
    assert token["ETag"] == '"token-client"' and len(hashed) == 1


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
    assert second.json()["code"] == "precondition_failed"
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
