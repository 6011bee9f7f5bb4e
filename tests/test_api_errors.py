"""Errors are JSON, always, and name what is wrong; no input is a 500."""

import pytest

from claims.models import Claim, Source

from .factories import ActorFactory, ClaimFactory, SourceFactory, StatementFactory, TopicFactory


@pytest.fixture
def editor(api_client_for, db):
    return api_client_for("Editor")


def test_400_names_each_field(editor):
    response = editor.post("/api/v1/statements/", {"stance": "shouts", "stated_on": "3 April"})
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400 and body["code"] == "invalid"
    assert set(body["errors"]) == {"claim", "actor", "stance", "stated_on"}


@pytest.mark.parametrize(
    ("path", "data", "field"),
    [
        ("/api/v1/claims/", {"text": "Future claim.", "first_claimed_on": "2999-01-01"}, "first_claimed_on"),
        ("/api/v1/claims/", {"text": "Bad topic.", "topics": ["no-such-topic"]}, "topics"),
        ("/api/v1/actors/", {"name": "Q", "wikidata_id": "42"}, "wikidata_id"),
        ("/api/v1/actors/", {"name": "Q", "country": "Ukraine"}, "country"),
        ("/api/v1/sources/", {"title": "T", "url": "not an address"}, "url"),
        ("/api/v1/sources/", {"title": "T", "published_time": "10:00"}, "published_time"),
        ("/api/v1/topics/", {"name": "T", "slug": "not a slug"}, "slug"),
        ("/api/v1/claims/", {"text": "nul \x00 byte"}, "text"),
    ],
)
def test_model_rules_are_400s(editor, path, data, field):
    response = editor.post(path, data)
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]


def test_a_quote_needs_its_language(editor):
    ClaimFactory(slug="c")
    ActorFactory(slug="a")
    data = {"claim": "c", "actor": "a", "stance": "asserts", "stated_on": "2023-04-03", "quote": "Бахмут"}
    response = editor.post("/api/v1/statements/", data)
    assert response.status_code == 400
    assert "quote_language" in response.json()["errors"]


def test_a_claim_linked_to_itself_is_400(editor):
    ClaimFactory(slug="c")
    response = editor.post("/api/v1/claim-links/", {"from_claim": "c", "to_claim": "c", "kind": "supports"})
    assert response.status_code == 400


def test_409_for_a_duplicate_slug_names_the_existing_claim(editor):
    existing = ClaimFactory(slug="town-hall")
    response = editor.post("/api/v1/claims/", {"text": "Another.", "slug": "town-hall"})
    assert response.status_code == 409
    body = response.json()
    assert body["field"] == "slug"
    assert body["existing"]["slug"] == "town-hall"
    assert body["existing"]["id"] == existing.pk
    assert body["existing"]["api_url"].endswith("/api/v1/claims/town-hall/")


def test_409_for_a_source_url_already_stored_in_another_spelling(editor):
    existing = SourceFactory(url="https://www.reuters.com/world/bakhmut")
    data = {"title": "Same", "url": "HTTPS://WWW.REUTERS.COM/world/bakhmut/?utm_source=twitter"}
    response = editor.post("/api/v1/sources/", data)
    assert response.status_code == 409
    assert response.json()["existing"]["id"] == existing.pk
    assert Source.objects.count() == 1


def test_409_for_a_duplicate_statement_and_topic_name(editor):
    statement = StatementFactory()
    data = {
        "claim": statement.claim.slug,
        "actor": statement.actor.slug,
        "stance": statement.stance,
        "stated_on": statement.stated_on.isoformat(),
    }
    assert editor.post("/api/v1/statements/", data).json()["existing"]["id"] == statement.pk
    TopicFactory(name="Battle of Bakhmut", slug="bakhmut")
    assert editor.post("/api/v1/topics/", {"name": "Battle of Bakhmut"}).status_code == 409


def test_a_slug_is_made_unique_when_left_out(editor):
    ClaimFactory(slug="finland-joins-nato")
    response = editor.post("/api/v1/claims/", {"text": "Finland joins NATO"})
    assert response.json()["slug"] == "finland-joins-nato-2"


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("get", "/api/v1/claims/no-such-claim/", 404, "not_found"),
        ("get", "/api/v1/statements/99999999999999999999/", 404, "not_found"),
        ("get", "/api/v1/no-such-endpoint/", 404, "not_found"),
        ("put", "/api/v1/claims/", 405, "method_not_allowed"),
        ("delete", "/api/v1/export/claimreview/", 405, "method_not_allowed"),
    ],
)
def test_other_errors_are_json(editor, method, path, status, code):
    response = getattr(editor, method)(path)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == code


def test_415_for_a_body_that_is_not_json(editor):
    response = editor.post("/api/v1/topics/", "name=x", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_malformed_json_is_400(editor):
    response = editor.post("/api/v1/topics/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


@pytest.mark.parametrize(
    "data",
    [
        [],
        "a string",
        {"text": ["a", "list"]},
        {"text": "x" * 10, "topics": "not-a-list"},
        {"text": "x", "place": {"nested": True}},
        {"text": "x", "first_claimed_on": 12},
        {"text": "x", "slug": "x" * 300},
    ],
)
def test_odd_bodies_are_400_not_500(editor, data):
    response = editor.post("/api/v1/claims/", data)
    assert response.status_code == 400
    assert not Claim.objects.exists()
