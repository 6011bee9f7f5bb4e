"""ClaimReview JSON-LD: the per-claim endpoint, the streamed export, and the
import shared by the API and `manage.py import_claimreview`."""

import json

import pytest
from django.core.management import CommandError, call_command

from claims.demo import TOWN_HALL
from claims.models import (
    Actor,
    Assessment,
    Claim,
    ClaimLink,
    Place,
    Source,
    Statement,
    StatementSource,
    Topic,
)
from claims.vocabularies import Stance, Status


def export(client):
    response = client.get("/api/v1/export/claimreview/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-ndjson")
    assert response.streaming
    return [json.loads(line) for line in b"".join(response.streaming_content).decode().splitlines()]


def review(**overrides):
    data = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": "https://factcheck.example.org/checks/finland-nato",
        "claimReviewed": "Finland becomes NATO's 31st member on 4 April 2023.",
        "datePublished": "2023-04-04",
        "author": {"@type": "Organization", "name": "Example Fact Check"},
        "reviewRating": {"@type": "Rating", "ratingValue": 5, "bestRating": 5, "alternateName": "True"},
        "itemReviewed": {
            "@type": "Claim",
            "author": {
                "@type": "Person",
                "name": "Jens Stoltenberg",
                "sameAs": "https://www.wikidata.org/wiki/Q57108",
            },
            "datePublished": "2023-04-03",
            "appearance": [
                {
                    "@type": "CreativeWork",
                    "url": "https://www.nato.int/cps/en/natohq/opinions.htm?utm_source=x",
                },
                "https://www.reuters.com/world/europe/finland-nato/",
            ],
        },
    }
    data.update(overrides)
    return data


def counts():
    models = [Claim, Actor, Statement, StatementSource, Source, Assessment, Topic, Place, ClaimLink]
    return {model.__name__: model.objects.count() for model in models}


def empty_database():
    for model in [ClaimLink, Assessment, StatementSource, Statement, Claim, Source, Topic, Place]:
        model.objects.all().delete()
    Actor.objects.filter(affiliation__isnull=False).delete()
    Actor.objects.all().delete()


def test_the_claim_endpoint_is_the_pages_builder(api_client, demo):
    response = api_client.get(f"/api/v1/claims/{TOWN_HALL}/claimreview/")
    body = response.json()
    assert body["@type"] == "ClaimReview"
    assert body["reviewRating"]["alternateName"] == "Disputed"
    assert body["itemReviewed"]["author"]["name"] == "Wagner Group"


def test_a_claim_without_a_published_assessment_has_no_review(api_client, demo):
    Assessment.objects.filter(claim=demo[TOWN_HALL]).delete()
    assert api_client.get(f"/api/v1/claims/{TOWN_HALL}/claimreview/").status_code == 404


def test_round_trip_export_import_export_is_the_same(api_client, api_client_for, demo):
    first = export(api_client)
    assert len(first) == len(demo)
    empty_database()
    assert counts()["Claim"] == 0
    response = api_client_for("Reviewer").post("/api/v1/import/claimreview/", first)
    assert response.status_code == 201, response.content
    assert sorted(response.json()["claims"]) == sorted(demo)
    assert export(api_client) == first


def test_round_trip_through_the_command_line(api_client, demo, tmp_path):
    first = export(api_client)
    path = tmp_path / "reviews.json"
    path.write_text(json.dumps({"@context": "https://schema.org", "@graph": first}))
    empty_database()
    call_command("import_claimreview", str(path))
    assert export(api_client) == first


def test_a_fact_checkers_review_becomes_a_claim_a_statement_and_an_assessment(api_client_for, db):
    client = api_client_for("Reviewer")
    response = client.post("/api/v1/import/claimreview/", review())
    assert response.status_code == 201
    assert response.json()["created"] == {
        "claims": 1,
        "actors": 1,
        "statements": 1,
        "sources": 3,
        "assessments": 1,
    }
    claim = Claim.objects.get()
    assert claim.slug == "finland-becomes-natos-31st-member-on-4-april-2023"
    assert claim.is_published and claim.status == Status.CONFIRMED
    statement = claim.statements.get()
    assert (statement.actor.name, statement.actor.kind, statement.actor.wikidata_id) == (
        "Jens Stoltenberg",
        "person",
        "Q57108",
    )
    assert statement.stance == Stance.ASSERTS
    assert sorted(statement.sources.values_list("url", flat=True)) == [
        "https://www.nato.int/cps/en/natohq/opinions.htm",
        "https://www.reuters.com/world/europe/finland-nato",
    ]
    assessment = claim.assessments.get()
    assert assessment.original_rating == "True"
    assert list(assessment.evidence.values_list("url", flat=True)) == [
        "https://factcheck.example.org/checks/finland-nato"
    ]


def test_reimporting_changes_nothing(api_client_for, db):
    client = api_client_for("Reviewer")
    client.post("/api/v1/import/claimreview/", review())
    before = counts()
    history = Claim.history.count() + Statement.history.count() + Assessment.history.count()
    again = client.post("/api/v1/import/claimreview/", [review()])
    assert again.status_code == 200
    assert not any(again.json()["created"].values())
    assert counts() == before
    assert Claim.history.count() + Statement.history.count() + Assessment.history.count() == history


@pytest.mark.parametrize(
    ("rating", "status", "original"),
    [
        ({"alternateName": "False", "ratingValue": 1}, Status.REFUTED, "False"),
        ({"alternateName": "Pants on Fire"}, Status.REFUTED, "Pants on Fire"),
        ({"alternateName": "Half-True"}, Status.MIXED, "Half-True"),
        ({"alternateName": "Misleading"}, Status.MISLEADING, ""),
        ({"alternateName": "Disputed", "ratingValue": 3}, Status.DISPUTED, ""),
        ({"ratingValue": 1, "worstRating": 1, "bestRating": 5}, Status.REFUTED, "1 of 1 to 5"),
        ({"ratingValue": "10", "worstRating": 0, "bestRating": 10}, Status.CONFIRMED, "10 of 0 to 10"),
        ({"alternateName": "Sehr fragwürdig", "ratingValue": 2}, Status.UNVERIFIABLE, "Sehr fragwürdig"),
        ({"ratingValue": 3}, Status.UNVERIFIABLE, "3 of 1 to 5"),
    ],
)
def test_ratings_map_to_our_statuses(api_client_for, db, rating, status, original):
    response = api_client_for("Reviewer").post("/api/v1/import/claimreview/", review(reviewRating=rating))
    assert response.status_code == 201, response.content
    assessment = Assessment.objects.get()
    assert (assessment.status, assessment.original_rating) == (status, original)


def test_a_graph_with_other_nodes(api_client_for, db):
    graph = {"@graph": [{"@type": "Organization", "name": "Example"}, review()]}
    response = api_client_for("Reviewer").post("/api/v1/import/claimreview/", graph)
    assert response.status_code == 201
    assert Claim.objects.count() == 1


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"claimReviewed": ""}, "claimReviewed"),
        ({"claimReviewed": 42}, "claimReviewed"),
        ({"reviewRating": "True"}, "reviewRating"),
        ({"reviewRating": {"@type": "Rating"}}, "reviewRating"),
        ({"reviewRating": {"ratingValue": "high"}}, "reviewRating.ratingValue"),
        ({"reviewRating": {"ratingValue": 9}}, "reviewRating.ratingValue"),
        ({"datePublished": "yesterday"}, "datePublished"),
        ({"datePublished": "2999-01-01"}, "datePublished"),
        ({"@type": "Article"}, "@type"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"itemReviewed": {"author": {"@type": "Person"}}}, "itemReviewed.author.name"),
        ({"itemReviewed": {"appearance": [{"url": "not a url"}]}}, "itemReviewed.appearance[0].url"),
        ({"itemReviewed": {"datePublished": "2023-13-45"}}, "itemReviewed.datePublished"),
    ],
)
def test_a_malformed_record_is_400_naming_index_and_field_and_nothing_is_stored(
    api_client_for, db, bad, field
):
    good = review(claimReviewed="A good review that must not be stored.")
    response = api_client_for("Reviewer").post("/api/v1/import/claimreview/", [good, review(**bad)])
    assert response.status_code == 400
    assert response.json()["errors"]["records"] == [
        {"index": 1, "field": field, "message": response.json()["errors"]["records"][0]["message"]}
    ]
    assert counts() == dict.fromkeys(counts(), 0)


@pytest.mark.parametrize("payload", ["just a string", 42, {"@graph": "nope"}, [[]]])
def test_a_payload_of_the_wrong_shape_is_400(api_client_for, db, payload):
    response = api_client_for("Reviewer").post("/api/v1/import/claimreview/", payload)
    assert response.status_code == 400
    assert response.json()["errors"]["records"][0]["index"] in (None, 0)


def test_the_command_reports_bad_records_and_stores_nothing(db, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([review(), review(reviewRating=None)]))
    with pytest.raises(CommandError, match=r"record 1, reviewRating"):
        call_command("import_claimreview", str(path))
    assert not Claim.objects.exists()
    path.write_text("{not json")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_claimreview", str(path))


def test_the_command_can_import_as_a_reviewer(db, tmp_path, reviewer):
    path = tmp_path / "one.json"
    path.write_text(json.dumps(review()))
    call_command("import_claimreview", str(path), user="rev")
    assert Claim.history.filter(history_user=reviewer).exists()
    assert Assessment.objects.get().author == reviewer
