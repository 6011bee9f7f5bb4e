"""A write that names a field it may not set (a read-only one like `status`,
or one the resource does not have) is a 400 naming the field, on POST, PUT and
PATCH, at every level of a claim set and in bulk; nothing is stored."""

import pytest

from claims.models import Actor, Claim, ClaimLink, Place, Source, Statement, Topic

from .factories import (
    ActorFactory,
    AssessmentFactory,
    ClaimFactory,
    PlaceFactory,
    SourceFactory,
    TopicFactory,
)

READ_ONLY = ["This field is read-only."]
UNKNOWN = ["Unknown field."]


@pytest.fixture
def rows(db):
    claim = ClaimFactory(slug="town-hall", context="As stored.")
    actor = ActorFactory(slug="kirby")
    source = SourceFactory()
    statement = claim.statements.create(actor=actor, stance="asserts", stated_on="2023-04-03")
    link = ClaimLink.objects.create(from_claim=claim, to_claim=ClaimFactory(slug="other"), kind="contradicts")
    return {
        "claims": ("town-hall", {"text": "A new claim."}),
        "statements": (
            statement.pk,
            {"claim": "town-hall", "actor": "kirby", "stance": "denies", "stated_on": "2023-04-03"},
        ),
        "actors": ("kirby", {"name": "Someone", "kind": "person"}),
        "sources": (source.pk, {"url": "https://example.org/new", "title": "New"}),
        "topics": (TopicFactory(slug="bakhmut").slug, {"name": "A topic"}),
        "places": (PlaceFactory(slug="kyiv").slug, {"name": "A place"}),
        "assessments": (
            AssessmentFactory(claim=claim).pk,
            {
                "claim": "other",
                "status": "disputed",
                "rationale": "Because.",
                "assessed_at": "2023-04-04T10:00Z",
            },
        ),
        "claim-links": (link.pk, {"from_claim": "other", "to_claim": "town-hall", "kind": "supports"}),
    }


COUNTED = [Claim, Statement, Actor, Source, Topic, Place, ClaimLink]


def counts():
    return [model.objects.count() for model in COUNTED]


@pytest.mark.parametrize(
    "resource",
    ["claims", "statements", "actors", "sources", "topics", "places", "assessments", "claim-links"],
)
def test_an_unknown_or_read_only_field_is_a_400_naming_it_on_every_write(api_client_for, rows, resource):
    client = api_client_for("Reviewer")
    key, body = rows[resource]
    before = counts()
    created = client.post(f"/api/v1/{resource}/", body | {"colour": "red", "api_url": "https://example.org/"})
    assert created.status_code == 400, created.json()
    assert created.json()["errors"] == {"colour": UNKNOWN, "api_url": READ_ONLY}
    for method in (client.patch, client.put):
        changed = method(f"/api/v1/{resource}/{key}/", body | {"colour": "red"})
        assert changed.status_code == 400, changed.json()
        assert changed.json()["errors"] == {"colour": UNKNOWN}
    assert counts() == before


def test_a_claims_status_in_a_post_is_refused_not_dropped(api_client_for, db):
    response = api_client_for("Editor").post("/api/v1/claims/", {"text": "A claim.", "status": "confirmed"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"status": READ_ONLY}
    assert not Claim.objects.exists()


def test_the_refused_fields_are_named_beside_the_other_errors(api_client_for, db):
    response = api_client_for("Editor").post("/api/v1/claims/", {"status": "confirmed", "colour": "red"})
    assert response.json()["errors"] == {
        "text": ["This field is required."],
        "status": READ_ONLY,
        "colour": UNKNOWN,
    }


def nested_set():
    return {
        "text": "The Wagner Group captured Bakhmut's city administration building.",
        "statements": [
            {
                "actor": {"name": "Wagner Group", "kind": "armed_group", "colour": "red"},
                "stance": "asserts",
                "stated_on": "2023-04-03",
                "colour": "red",
                "sources": [{"url": "https://example.org/a", "title": "A", "how": "said", "colour": "red"}],
            }
        ],
        "assessments": [
            {
                "status": "disputed",
                "rationale": "Both sides.",
                "created_at": "2020-01-01T00:00Z",
                "evidence": [{"url": "https://example.org/a", "colour": "red"}],
            }
        ],
        "links": [{"claim": "other", "kind": "contradicts", "colour": "red"}],
        "status": "confirmed",
    }


NESTED_ERRORS = {
    "status": READ_ONLY,
    "statements[0].colour": UNKNOWN,
    "statements[0].actor.colour": UNKNOWN,
    "statements[0].sources[0].colour": UNKNOWN,
    "assessments[0].created_at": UNKNOWN,
    "assessments[0].evidence[0].colour": UNKNOWN,
    "links[0].colour": UNKNOWN,
}


def test_a_claim_set_names_each_refused_field_by_its_path(api_client_for, rows):
    client = api_client_for("Reviewer")
    before = counts()
    created = client.post("/api/v1/claims/", nested_set())
    assert created.status_code == 400
    assert created.json()["errors"] == NESTED_ERRORS
    for method in (client.put, client.patch):
        changed = method("/api/v1/claims/town-hall/", nested_set())
        assert changed.status_code == 400
        assert changed.json()["errors"] == NESTED_ERRORS
    assert counts() == before


def test_a_bulk_item_names_its_refused_fields(api_client_for, rows):
    good = {"text": "A good claim."}
    response = api_client_for("Reviewer").post("/api/v1/claims/bulk/", [good, nested_set()])
    assert response.status_code == 200
    first, second = response.json()["items"]
    assert first["status"] == 201
    assert second["status"] == 400 and second["errors"] == NESTED_ERRORS


def test_a_get_body_sent_back_is_refused_until_its_read_only_fields_are_left_out(api_client_for, db):
    ActorFactory(slug="kirby", name="John Kirby")
    client = api_client_for("Editor")
    body = client.get("/api/v1/actors/kirby/").json()
    refused = client.put("/api/v1/actors/kirby/", body | {"name": "John F. Kirby"})
    assert refused.status_code == 400
    assert set(refused.json()["errors"]) == {"api_url", "page_url", "created_at", "updated_at"}
    assert Actor.objects.get().name == "John Kirby"
    writable = {key: value for key, value in body.items() if key not in refused.json()["errors"]}
    assert client.put("/api/v1/actors/kirby/", writable | {"name": "John F. Kirby"}).status_code == 200
    assert Actor.objects.get().name == "John F. Kirby"
