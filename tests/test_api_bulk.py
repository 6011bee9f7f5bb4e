"""POST /api/v1/claims/bulk/: many claim sets (a JSON array or NDJSON), each in
its own transaction, reported per item."""

import json

import pytest

from claims.api.nested import MAX_BULK_ITEMS
from claims.models import Actor, Assessment, Claim, ClaimLink, Source, Statement
from claims.vocabularies import Status

from .mh17 import COUNTS, JIT_FINDING, SU25, mh17_claim_sets

BULK = "/api/v1/claims/bulk/"


def counts():
    return {
        "claims": Claim.objects.count(),
        "statements": Statement.objects.count(),
        "sources": Source.objects.count(),
        "assessments": Assessment.objects.count(),
        "links": ClaimLink.objects.count(),
        "actors": Actor.objects.count(),
    }


def test_the_mh17_claim_set_is_stored_in_one_request(api_client_for, db):
    client = api_client_for("Reviewer")
    response = client.post(BULK, mh17_claim_sets(), format="json")
    assert response.status_code == 200, response.json()
    report = response.json()
    assert report["created"] == 4 and report["failed"] == 0
    assert [(item["index"], item["status"]) for item in report["items"]] == [(i, 201) for i in range(4)]
    assert counts() == COUNTS
    finding = Claim.objects.get(slug=JIT_FINDING)
    assert finding.status == Status.CONFIRMED  # its latest published assessment
    assert Claim.objects.get(slug=SU25).status == Status.REFUTED
    assert set(finding.links_in.values_list("kind", flat=True)) == {"contradicts"}
    detail = client.get(f"/api/v1/claims/{JIT_FINDING}/").json()
    assert len(detail["statements"]["asserts"]) == 3
    assert detail["links"][0]["direction"] == "in"


def test_one_bad_item_leaves_the_others_stored_and_is_reported_by_path(api_client_for, db):
    client = api_client_for("Reviewer")
    sets = mh17_claim_sets()[:2]
    sets[1]["statements"][1]["sources"][0]["url"] = "not a url"
    response = client.post(BULK, sets, format="json")
    assert response.status_code == 200
    items = response.json()["items"]
    assert items[0]["status"] == 201 and items[0]["slug"] == JIT_FINDING
    assert items[1]["status"] == 400
    assert items[1]["errors"] == {"statements[1].sources[0].url": ["Enter a valid URL."]}
    assert list(Claim.objects.values_list("slug", flat=True)) == [JIT_FINDING]
    assert not Source.objects.filter(url__contains="onderzoeksraad").exists()


def test_ndjson_is_one_claim_set_a_line(api_client_for, db):
    client = api_client_for("Reviewer")
    body = "\n".join(json.dumps(item) for item in mh17_claim_sets()) + "\n\n"
    response = client.post(BULK, body, content_type="application/x-ndjson")
    assert response.status_code == 200, response.json()
    assert response.json()["created"] == 4
    assert counts() == COUNTS


def test_a_bad_ndjson_line_is_a_400_naming_it(api_client_for, db):
    client = api_client_for("Reviewer")
    body = json.dumps({"text": "A claim."}) + "\n{not json\n"
    response = client.post(BULK, body, content_type="application/x-ndjson")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Line 2: JSON parse error")
    assert Claim.objects.count() == 0


def test_too_many_claim_sets_is_a_413_saying_the_limit(api_client_for, db):
    client = api_client_for("Editor")
    items = [{"text": f"Claim number {n}."} for n in range(MAX_BULK_ITEMS + 1)]
    response = client.post(BULK, items, format="json")
    assert response.status_code == 413
    assert str(MAX_BULK_ITEMS) in response.json()["detail"]
    assert Claim.objects.count() == 0


@pytest.mark.parametrize("body", [{"text": "One claim, not a list."}, []])
def test_anything_but_a_list_of_claim_sets_is_a_400(api_client_for, db, body):
    response = api_client_for("Editor").post(BULK, body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"]


def test_an_editor_publishing_is_refused_per_item(api_client_for, db):
    client = api_client_for("Editor")
    items = [
        {"text": "A draft claim by an editor."},
        {"text": "A claim an editor tries to publish.", "is_published": True},
    ]
    items.append(
        {
            "text": "A claim with a published verdict.",
            "assessments": [{"status": "refuted", "rationale": "No.", "is_published": True}],
        }
    )
    response = client.post(BULK, items, format="json")
    items = response.json()["items"]
    assert [item["status"] for item in items] == [201, 403, 400]
    assert items[2]["errors"] == {
        "assessments[0].is_published": [
            "Only reviewers can publish, unpublish or change published assessments."
        ]
    }
    assert list(Claim.objects.values_list("text", flat=True)) == ["A draft claim by an editor."]


def test_readers_cannot_post_claim_sets(api_client, api_client_for, db):
    assert api_client.post(BULK, [{"text": "Anonymous."}], format="json").status_code == 401
    assert api_client_for("").post(BULK, [{"text": "A reader."}], format="json").status_code == 403
    assert Claim.objects.count() == 0
