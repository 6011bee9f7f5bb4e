"""Who may do what: anonymous, a read-only token (a user in no group), an
Editor's token and a Reviewer's token, on every endpoint and method."""

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from claims.models import Claim
from claims.vocabularies import LinkKind, Stance, Status

from .factories import (
    ActorFactory,
    AssessmentFactory,
    ClaimFactory,
    ClaimLinkFactory,
    SourceFactory,
    StatementFactory,
    TopicFactory,
    UserFactory,
)

ROLES = ["anonymous", "reader", "editor", "reviewer"]


@pytest.fixture
def world(db):
    claim = ClaimFactory(slug="main-claim")
    other = ClaimFactory(slug="other-claim")
    return {
        "claim": claim,
        "other": other,
        "statement": StatementFactory(claim=claim, sources=1),
        "assessment": AssessmentFactory(claim=claim),
        "link": ClaimLinkFactory(from_claim=other, to_claim=claim),
        "actor": ActorFactory(slug="lonely-actor"),
        "speaker": ActorFactory(slug="speaker"),
        "source": SourceFactory(url="https://example.org/lonely", publisher=None),
        "topic": TopicFactory(slug="a-topic"),
    }


def detail_path(resource, world):
    return {
        "claims": f"/api/v1/claims/{world['claim'].slug}/",
        "statements": f"/api/v1/statements/{world['statement'].pk}/",
        "actors": f"/api/v1/actors/{world['actor'].slug}/",
        "sources": f"/api/v1/sources/{world['source'].pk}/",
        "topics": f"/api/v1/topics/{world['topic'].slug}/",
        "assessments": f"/api/v1/assessments/{world['assessment'].pk}/",
        "claim-links": f"/api/v1/claim-links/{world['link'].pk}/",
    }[resource]


def body(resource, world):
    """A complete, valid body: for POST (a new row) and PUT (the detail row)."""
    return {
        "claims": {"text": "Logged from a newsroom tool.", "context": "Context."},
        "statements": {
            "claim": world["claim"].slug,
            "actor": world["speaker"].slug,
            "stance": Stance.DENIES,
            "stated_on": "2023-04-04",
            "sources": [{"source": world["source"].pk, "how": "told reporters"}],
        },
        "actors": {"name": "Another Spokesperson", "kind": "person"},
        "sources": {"url": "https://example.org/new-report", "title": "A new report"},
        "topics": {"name": "A new topic"},
        "assessments": {"claim": world["claim"].slug, "status": Status.CONFIRMED, "rationale": "Seen."},
        "claim-links": {
            "from_claim": world["claim"].slug,
            "to_claim": world["other"].slug,
            "kind": LinkKind.SUPPORTS,
        },
    }[resource]


PATCHES = {
    "claims": {"context": "Changed."},
    "statements": {"summary": "Changed."},
    "actors": {"role": "Changed."},
    "sources": {"title": "Changed."},
    "topics": {"description": "Changed."},
    "assessments": {"rationale": "Changed."},
    "claim-links": {"note": "Changed."},
}
RESOURCES = list(PATCHES)
EDITOR_CANNOT_WRITE = {"assessments"}
EDITOR_CAN_DELETE = {"statements", "claim-links"}


def expected(role, resource, method, where):
    if method == "GET":
        return 200
    if (where, method) in {("list", "PUT"), ("list", "PATCH"), ("list", "DELETE"), ("detail", "POST")}:
        return 405
    if role == "anonymous":
        return 401
    if role == "reader":
        return 403
    if role == "editor":
        if method == "DELETE":
            return 204 if resource in EDITOR_CAN_DELETE else 403
        if resource in EDITOR_CANNOT_WRITE:
            return 403
    return {"POST": 201, "PUT": 200, "PATCH": 200, "DELETE": 204}[method]


CASES = [
    (role, resource, method, where)
    for role in ROLES
    for resource in RESOURCES
    for where in ("list", "detail")
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE")
]


@pytest.fixture
def client_as(api_client, api_client_for):
    def make(role):
        if role == "anonymous":
            return api_client
        return api_client_for({"reader": "", "editor": "Editor", "reviewer": "Reviewer"}[role])

    return make


@pytest.mark.parametrize(("role", "resource", "method", "where"), CASES)
def test_resource_permissions(client_as, world, role, resource, method, where):
    client = client_as(role)
    path = f"/api/v1/{resource}/" if where == "list" else detail_path(resource, world)
    data = PATCHES[resource] if method == "PATCH" else body(resource, world)
    response = getattr(client, method.lower())(path, None if method in ("GET", "DELETE") else data)
    assert response.status_code == expected(role, resource, method, where), response.content
    assert response.status_code == 204 or response["Content-Type"].startswith("application/json")


OTHER_ENDPOINTS = [
    # (path, method, {role: status})
    ("/api/v1/claims/main-claim/claimreview/", "GET", dict.fromkeys(ROLES, 200)),
    ("/api/v1/claims/main-claim/claimreview/", "POST", dict.fromkeys(ROLES, 405)),
    ("/api/v1/export/claimreview/", "GET", dict.fromkeys(ROLES, 200)),
    ("/api/v1/export/claimreview/", "POST", dict.fromkeys(ROLES, 405)),
    ("/api/v1/import/claimreview/", "GET", dict.fromkeys(ROLES, 405)),
    (
        "/api/v1/import/claimreview/",
        "POST",
        {"anonymous": 401, "reader": 403, "editor": 403, "reviewer": 201},
    ),
    ("/api/v1/schema/", "GET", dict.fromkeys(ROLES, 200)),
    ("/api/v1/docs/", "GET", dict.fromkeys(ROLES, 200)),
]
REVIEW = {
    "@type": "ClaimReview",
    "claimReviewed": "An imported claim.",
    "datePublished": "2023-04-04",
    "author": {"@type": "Organization", "name": "Example Fact Check"},
    "reviewRating": {"@type": "Rating", "ratingValue": 1, "alternateName": "False"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("path", "method", "statuses"), OTHER_ENDPOINTS)
def test_other_endpoint_permissions(client_as, world, role, path, method, statuses):
    response = getattr(client_as(role), method.lower())(path, REVIEW if method == "POST" else None)
    assert response.status_code == statuses[role]


@pytest.mark.parametrize("role", ["editor", "reviewer"])
def test_only_reviewers_publish_claims(client_as, world, role):
    draft = ClaimFactory(is_published=False, slug="a-draft")
    response = client_as(role).patch(f"/api/v1/claims/{draft.slug}/", {"is_published": True})
    assert response.status_code == (200 if role == "reviewer" else 403)
    draft.refresh_from_db()
    assert draft.is_published is (role == "reviewer")


def test_an_editor_logs_a_draft_claim_but_cannot_publish_it_on_creation(client_as, world):
    editor = client_as("editor")
    assert (
        editor.post("/api/v1/claims/", {"text": "Published at once?", "is_published": True}).status_code
        == 403
    )
    response = editor.post("/api/v1/claims/", {"text": "A draft from a tool."})
    assert response.status_code == 201
    assert response.json()["is_published"] is False
    assert not Claim.objects.get(slug=response.json()["slug"]).is_published


def test_a_reviewer_publishes_an_assessment_and_the_status_follows(client_as, world):
    claim = world["other"]
    data = {"claim": claim.slug, "status": Status.REFUTED, "rationale": "Shown false.", "is_published": True}
    response = client_as("reviewer").post("/api/v1/assessments/", data)
    assert response.status_code == 201
    assert response.json()["author"] == "api-reviewer"
    claim.refresh_from_db()
    assert claim.status == Status.REFUTED


def test_a_session_write_needs_the_csrf_token(world):
    client = APIClient(enforce_csrf_checks=True)
    user = UserFactory.build(username="desk")
    user.save()
    user.groups.add(Group.objects.get(name="Editor"))
    client.force_login(user)
    assert client.post("/api/v1/topics/", {"name": "No token"}, format="json").status_code == 403
    client.get("/admin/login/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post("/api/v1/topics/", {"name": "With token"}, format="json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201


def test_a_bad_token_is_401(api_client, world):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = api_client.get("/api/v1/claims/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_deleting_an_actor_still_quoted_is_409(client_as, world):
    response = client_as("reviewer").delete(f"/api/v1/actors/{world['statement'].actor.slug}/")
    assert response.status_code == 409
    assert "statement" in response.json()["detail"]
