"""ClaimReview JSON-LD: the per-claim endpoint, the streamed export, and the
import shared by the API and `manage.py import_claimreview`. An imported
review is the other organisation's rating (an ExternalReview), never ours."""

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from claims.claimreview import build_claim_review
from claims.demo import TOWN_HALL
from claims.models import (
    Actor,
    Assessment,
    Claim,
    ClaimLink,
    ExternalReview,
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
    models = [
        *(Claim, Actor, Statement, StatementSource, Source, Assessment, ExternalReview),
        *(Topic, Place, ClaimLink),
    ]
    return {model.__name__: model.objects.count() for model in models}


def empty_database():
    for model in [
        ClaimLink,
        ExternalReview,
        Assessment,
        StatementSource,
        Statement,
        Claim,
        Source,
        Topic,
        Place,
    ]:
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


def without_our_verdict(reviews):
    """What a ClaimReview says about the claim, not what we concluded."""
    return [{key: review[key] for key in ("url", "claimReviewed", "itemReviewed")} for review in reviews]


def as_marked_up_now():
    """Each stored claim's ClaimReview, as if it had a verdict (it has none)."""
    reviews = []
    for claim in Claim.objects.with_statements().order_by("pk"):
        claim.published_assessments = [Assessment(status=Status.UNVERIFIED, assessed_at=timezone.now())]
        reviews.append(build_claim_review(claim))
    return without_our_verdict(reviews)


def test_our_own_export_brings_back_the_claims_but_never_our_verdicts(api_client, api_client_for, demo):
    first = export(api_client)
    assert len(first) == len(demo)
    empty_database()
    assert counts()["Claim"] == 0
    client = api_client_for("Reviewer")
    response = client.post("/api/v1/import/claimreview/", first)
    assert response.status_code == 201, response.content
    body = response.json()
    assert sorted(body["claims"]) == sorted(demo)
    assert [record["outcome"] for record in body["records"]] == ["created"] * len(demo)
    assert not any(record["rating_added"] for record in body["records"])
    # The claims, their authors and appearances come back; the verdicts were
    # ours, in our own pages' markup: no assessment and no "rated elsewhere".
    assert as_marked_up_now() == without_our_verdict(first)
    assert set(Claim.objects.values_list("status", flat=True)) == {Status.UNVERIFIED}
    assert not Assessment.objects.exists() and not ExternalReview.objects.exists()
    assert export(api_client) == []
    # Again: our own pages match their claims (by slug), nothing is added.
    before = counts()
    again = client.post("/api/v1/import/claimreview/", first)
    assert again.status_code == 200
    assert [record["outcome"] for record in again.json()["records"]] == ["matched"] * len(demo)
    assert not any(record["changed"] for record in again.json()["records"])
    assert counts() == before


def test_our_own_page_matches_its_claim_by_slug_and_stores_no_rating(api_client, api_client_for, demo):
    claim = demo[TOWN_HALL]
    record = export(api_client)[0]
    assert record["url"].endswith(f"/claims/{claim.slug}/")
    record["claimReviewed"] = "Our claim, worded since as it is not any more."
    before = counts()
    response = api_client_for("Reviewer").post("/api/v1/import/claimreview/", record)
    assert response.status_code == 200, response.content
    assert response.json()["records"] == [
        {
            "index": 0,
            "outcome": "matched",
            "claim": claim.slug,
            "rating_added": False,
            "changed": False,
            "errors": [],
        }
    ]
    assert counts() == before


def test_round_trip_through_the_command_line(api_client, demo, tmp_path):
    first = export(api_client)
    path = tmp_path / "reviews.json"
    path.write_text(json.dumps({"@context": "https://schema.org", "@graph": first}))
    empty_database()
    out = io.StringIO()
    call_command("import_claimreview", str(path), stdout=out)
    assert f"Imported {len(demo)} reviews ({len(demo)} created, 0 matched, 0 duplicate)" in out.getvalue()
    assert as_marked_up_now() == without_our_verdict(first)
    assert not Assessment.objects.exists()


def test_a_fact_checkers_review_becomes_a_claim_a_statement_and_their_rating(api_client_for, db):
    client = api_client_for("Reviewer")
    response = client.post("/api/v1/import/claimreview/", review())
    assert response.status_code == 201
    body = response.json()
    assert body["created"] == {
        "claims": 1,
        "actors": 1,
        "statements": 1,
        "sources": 2,
        "external_reviews": 1,
    }
    assert body["outcomes"] == {"created": 1, "matched": 0, "duplicate": 0, "refused": 0}
    claim = Claim.objects.get()
    assert body["records"] == [
        {
            "index": 0,
            "outcome": "created",
            "claim": claim.slug,
            "rating_added": True,
            "changed": True,
            "errors": [],
        }
    ]
    assert claim.slug == "finland-becomes-natos-31st-member-on-4-april-2023"
    # Published, but unverified: their "True" is theirs, not our verdict.
    assert claim.is_published and claim.status == Status.UNVERIFIED
    assert not Assessment.objects.exists()
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
    rated = claim.external_reviews.get()
    assert (rated.reviewer_name, rated.reviewer_url, rated.rating, rated.rating_value) == (
        "Example Fact Check",
        "",
        "True",
        5,
    )
    assert rated.suggested_status == Status.CONFIRMED
    assert rated.review_url == "https://factcheck.example.org/checks/finland-nato"
    assert rated.reviewed_on == dt.date(2023, 4, 4)
    assert rated.imported_by.username == "api-reviewer" and rated.adopted_as is None


def test_reimporting_changes_nothing(api_client_for, db):
    client = api_client_for("Reviewer")
    client.post("/api/v1/import/claimreview/", review())
    before = counts()
    history = Claim.history.count() + Statement.history.count() + ExternalReview.history.count()
    again = client.post("/api/v1/import/claimreview/", [review()])
    assert again.status_code == 200
    assert not any(again.json()["created"].values())
    assert [record["outcome"] for record in again.json()["records"]] == ["duplicate"]
    assert counts() == before
    assert Claim.history.count() + Statement.history.count() + ExternalReview.history.count() == history


def test_another_rating_of_a_stored_claim_is_added_beside_the_first(api_client_for, db):
    client = api_client_for("Reviewer")
    client.post("/api/v1/import/claimreview/", review())
    other = review(
        url="https://www.snopes.com/fact-check/finland-nato/",
        author={"@type": "Organization", "name": "Snopes", "url": "https://www.snopes.com/"},
        reviewRating={"alternateName": "Correct Attribution"},
    )
    response = client.post("/api/v1/import/claimreview/", other)
    assert response.status_code == 201
    assert response.json()["records"][0] | {"claim": None} == {
        "index": 0,
        "outcome": "matched",
        "claim": None,
        "rating_added": True,
        "changed": True,
        "errors": [],
    }
    assert list(ExternalReview.objects.values_list("reviewer_name", "reviewer_url", "rating")) == [
        ("Example Fact Check", "", "True"),
        ("Snopes", "https://www.snopes.com", "Correct Attribution"),
    ]
    assert Claim.objects.get().status == Status.UNVERIFIED


@pytest.mark.parametrize(
    ("rating", "status", "as_written", "value"),
    [
        ({"alternateName": "False", "ratingValue": 1}, Status.REFUTED, "False", 1),
        ({"alternateName": "Pants on Fire"}, Status.REFUTED, "Pants on Fire", None),
        ({"alternateName": "Half-True"}, Status.MIXED, "Half-True", None),
        ({"alternateName": "Misleading"}, Status.MISLEADING, "Misleading", None),
        ({"alternateName": "Disputed", "ratingValue": 3}, Status.DISPUTED, "Disputed", 3),
        ({"ratingValue": 1, "worstRating": 1, "bestRating": 5}, Status.REFUTED, "1 of 1 to 5", 1),
        ({"ratingValue": "10", "worstRating": 0, "bestRating": 10}, Status.CONFIRMED, "10 of 0 to 10", 5),
        ({"ratingValue": 2, "worstRating": 1, "bestRating": 5}, Status.MISLEADING, "2 of 1 to 5", 2),
        ({"alternateName": "Sehr fragwürdig", "ratingValue": 2}, Status.UNVERIFIABLE, "Sehr fragwürdig", 2),
        ({"ratingValue": 3}, Status.UNVERIFIABLE, "3 of 1 to 5", 3),
        # A number off its own scale beside a name: the name is the rating.
        ({"alternateName": "False", "ratingValue": -1, "bestRating": -1}, Status.REFUTED, "False", None),
    ],
)
def test_ratings_are_kept_as_written_with_our_nearest_status(
    api_client_for, db, rating, status, as_written, value
):
    response = api_client_for("Reviewer").post("/api/v1/import/claimreview/", review(reviewRating=rating))
    assert response.status_code == 201, response.content
    rated = ExternalReview.objects.get()
    assert (rated.suggested_status, rated.rating, rated.rating_value) == (status, as_written, value)
    assert not Assessment.objects.exists()
    assert Claim.objects.get().status == Status.UNVERIFIED


@pytest.mark.parametrize(
    ("author", "url", "reviewer"),
    [
        ({"@type": "Organization", "name": "Full Fact"}, "https://fullfact.org/online/x/", "Full Fact"),
        ("PolitiFact", "https://www.politifact.com/factchecks/x/", "PolitiFact"),
        (None, "https://www.politifact.com/factchecks/x/", "politifact.com"),
        (
            {"@type": "Organization", "url": "https://fullfact.org"},
            "https://fullfact.org/online/x/",
            "fullfact.org",
        ),
    ],
)
def test_who_rated_it_is_the_reviews_author_else_its_host(api_client_for, db, author, url, reviewer):
    record = review(url=url, author=author)
    response = api_client_for("Reviewer").post("/api/v1/import/claimreview/", record)
    assert response.status_code == 201, response.content
    assert ExternalReview.objects.get().reviewer_name == reviewer


def test_a_rating_by_no_one_we_can_name_is_refused(api_client_for, db):
    record = review(author=None)
    del record["url"]
    response = api_client_for("Reviewer").post("/api/v1/import/claimreview/", record)
    assert response.status_code == 400
    assert response.json()["errors"]["records"][0]["errors"] == [
        {
            "field": "author.name",
            "message": "Name who rated the claim (author.name), or give the review's url.",
        }
    ]
    assert counts() == dict.fromkeys(counts(), 0)


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
    records = response.json()["errors"]["records"]
    # Every record: what the good one would have done, and the bad one's error.
    assert [(record["index"], record["outcome"]) for record in records] == [(0, "created"), (1, "refused")]
    assert records[1]["claim"] is None and not records[1]["changed"]
    assert [error["field"] for error in records[1]["errors"]] == [field]
    assert records[1]["errors"][0]["message"]
    assert counts() == dict.fromkeys(counts(), 0)
    assert not Claim.history.exists() and not ExternalReview.history.exists()


@pytest.mark.parametrize("payload", ["just a string", 42, {"@graph": "nope"}, [[]]])
def test_a_payload_of_the_wrong_shape_is_400(api_client_for, db, payload):
    response = api_client_for("Reviewer").post("/api/v1/import/claimreview/", payload)
    assert response.status_code == 400
    record = response.json()["errors"]["records"][0]
    assert record["index"] in (None, 0)
    assert record["outcome"] == "refused" and record["errors"][0]["message"]


def test_the_command_reports_bad_records_and_stores_nothing(db, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([review(), review(reviewRating=None)]))
    with pytest.raises(CommandError, match=r"record 1, reviewRating"):
        call_command("import_claimreview", str(path))
    assert not Claim.objects.exists()
    path.write_text("{not json")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_claimreview", str(path))


def test_the_command_lists_every_error_of_every_refused_record(db, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([review(claimReviewed="", datePublished="soon"), review(), review(url="x")]))
    with pytest.raises(CommandError) as raised:
        call_command("import_claimreview", str(path))
    message = str(raised.value)
    for line in ["record 0, claimReviewed:", "record 0, datePublished:", "record 2, url:"]:
        assert line in message
    assert "record 1" not in message
    assert not Claim.objects.exists()


def test_the_command_can_import_as_a_reviewer(db, tmp_path, reviewer):
    path = tmp_path / "one.json"
    path.write_text(json.dumps(review()))
    call_command("import_claimreview", str(path), user="rev")
    assert Claim.history.filter(history_user=reviewer).exists()
    assert ExternalReview.objects.get().imported_by == reviewer
    assert not Assessment.objects.exists()


def test_the_command_says_which_stored_claims_changed(db, tmp_path):
    path = tmp_path / "one.json"
    path.write_text(json.dumps(review()))
    call_command("import_claimreview", str(path), stdout=io.StringIO())
    path.write_text(json.dumps([review(), review(datePublished="2023-04-06")]))
    out = io.StringIO()
    call_command("import_claimreview", str(path), stdout=out)
    slug = Claim.objects.get().slug
    assert "Imported 2 reviews (0 created, 1 matched, 1 duplicate)" in out.getvalue()
    assert f"record 1: matched {slug} (their rating added as rated elsewhere)" in out.getvalue()
    assert "record 0" not in out.getvalue()  # a duplicate: listed with -v 2 only
    out = io.StringIO()
    call_command("import_claimreview", str(path), stdout=out, verbosity=2)
    assert f"record 0: duplicate {slug} (nothing changed)" in out.getvalue()
