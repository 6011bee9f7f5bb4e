"""Drafts and internal notes never reach readers: not in lists, details,
search, related rows, exports or ClaimReview."""

import json

import pytest

from claims.vocabularies import Stance, Status

from .factories import AssessmentFactory, ClaimFactory, ClaimLinkFactory, StatementFactory

SECRET = "zanzibar"  # a word only the draft rows contain


@pytest.fixture
def drafts(db):
    public = ClaimFactory(slug="public-claim", text="A public claim.", internal_notes=f"{SECRET} note")
    draft = ClaimFactory(slug="draft-claim", text=f"A {SECRET} draft claim.", is_published=False)
    AssessmentFactory(claim=draft, status=Status.CONFIRMED)
    return {
        "public": public,
        "draft": draft,
        "draft_statement": StatementFactory(claim=draft, stance=Stance.DENIES, summary=SECRET),
        "public_statement": StatementFactory(claim=public),
        "public_assessment": AssessmentFactory(claim=public, status=Status.DISPUTED),
        "draft_assessment": AssessmentFactory(
            claim=public, status=Status.REFUTED, is_published=False, internal_notes=SECRET, rationale=SECRET
        ),
        "draft_link": ClaimLinkFactory(from_claim=draft, to_claim=public),
    }


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


READER_PATHS = [
    "/api/v1/claims/",
    "/api/v1/claims/?published=false",
    f"/api/v1/claims/?q={SECRET}",
    "/api/v1/claims/public-claim/",
    "/api/v1/claims/public-claim/claimreview/",
    "/api/v1/statements/",
    "/api/v1/assessments/",
    "/api/v1/assessments/?published=false",
    "/api/v1/claim-links/",
    "/api/v1/export/claimreview/",
]


@pytest.mark.parametrize("role", ["", None])
@pytest.mark.parametrize("path", READER_PATHS)
def test_readers_never_see_a_draft(api_client, api_client_for, drafts, path, role):
    client = api_client if role is None else api_client_for(role)
    response = client.get(path)
    assert response.status_code == 200
    content = body(response).decode()
    assert SECRET not in content
    assert "draft-claim" not in content


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/claims/draft-claim/",
        "/api/v1/claims/draft-claim/claimreview/",
        "/api/v1/statements/{draft_statement}/",
        "/api/v1/assessments/{draft_assessment}/",
        "/api/v1/claim-links/{draft_link}/",
    ],
)
def test_a_draft_detail_is_404_for_readers(api_client, drafts, path):
    path = path.format(**{name: getattr(row, "pk", None) for name, row in drafts.items()})
    response = api_client.get(path)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_internal_notes_are_for_editors_only(api_client, api_client_for, drafts):
    public = api_client.get("/api/v1/claims/public-claim/").json()
    assert "internal_notes" not in public
    editor = api_client_for("Editor").get("/api/v1/claims/public-claim/").json()
    assert editor["internal_notes"] == f"{SECRET} note"


@pytest.mark.parametrize("role", ["Editor", "Reviewer"])
def test_editors_and_reviewers_see_drafts(api_client_for, drafts, role):
    client = api_client_for(role)
    slugs = [row["slug"] for row in client.get("/api/v1/claims/?published=false").json()["results"]]
    assert slugs == ["draft-claim"]
    assessments = client.get(f"/api/v1/assessments/{drafts['draft_assessment'].pk}/").json()
    assert assessments["internal_notes"] == SECRET


def test_a_draft_assessment_is_not_in_the_claim_or_its_status(api_client, drafts):
    claim = api_client.get("/api/v1/claims/public-claim/").json()
    assert claim["status"] == Status.DISPUTED
    assert [a["status"] for a in claim["assessments"]] == [Status.DISPUTED]
    assert claim["links"] == []
    review = api_client.get("/api/v1/claims/public-claim/claimreview/").json()
    assert review["reviewRating"]["alternateName"] == "Disputed"


def test_the_export_holds_published_claims_only(api_client, drafts):
    lines = body(api_client.get("/api/v1/export/claimreview/")).decode().splitlines()
    assert [json.loads(line)["claimReviewed"] for line in lines] == ["A public claim."]
