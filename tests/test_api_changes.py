"""The change stream, GET /api/v1/changes/: what readers saw published,
changed or removed, in commit order; tombstones; drafts never appear."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from claims.models import Change, Claim
from claims.services import restore_claim
from claims.vocabularies import ChangeKind, Status

from .factories import (
    AssessmentFactory,
    ClaimFactory,
    ClaimLinkFactory,
    SourceFactory,
    StatementFactory,
    UserFactory,
)

URL = "/api/v1/changes/"


def stream(api_client, since=0, limit=None):
    params = {"since": since} | ({"limit": limit} if limit else {})
    response = api_client.get(URL, params)
    assert response.status_code == 200, response.content
    return response.json()


def entries(api_client, since=0):
    return [(e["subject"], e["key"], e["kind"]) for e in stream(api_client, since, 1000)["results"]]


def last_position():
    return Change.objects.order_by("-position").values_list("position", flat=True).first() or 0


@pytest.mark.django_db
def test_publishing_a_claim_is_an_entry_with_its_url(api_client):
    claim = ClaimFactory(slug="moon-landing")
    page = stream(api_client)
    [entry] = page["results"]
    assert entry["subject"] == "claim" and entry["key"] == "moon-landing" and entry["claim"] == "moon-landing"
    assert entry["kind"] == "published" and entry["removed"] is False and entry["removed_at"] is None
    assert entry["status"] == Status.UNVERIFIED and entry["previous_status"] is None
    assert entry["url"].endswith(reverse("api:claim-detail", kwargs={"slug": claim.slug}))
    assert page["next"] is None and page["position"] == entry["position"]


@pytest.mark.django_db
def test_a_claim_with_the_longest_slug_is_recorded(api_client):
    # Imported claims' slugs run to 200 characters; the stream keeps them whole.
    slug = "-".join(["word"] * 40)[:200]
    StatementFactory(claim=ClaimFactory(slug=slug))
    results = stream(api_client)["results"]
    assert ("claim", slug, "published") in [(e["subject"], e["key"], e["kind"]) for e in results]
    assert {entry["claim"] for entry in results if entry["subject"] == "statement"} == {slug}


@pytest.mark.django_db
def test_a_draft_never_appears_nor_its_slug(api_client):
    claim = ClaimFactory(is_published=False, slug="secret-draft")
    StatementFactory(claim=claim)
    AssessmentFactory(claim=claim)
    ClaimLinkFactory(from_claim=claim)  # its other claim is published: one entry for that claim only
    claim.slug = "secret-draft-renamed"
    claim.save()
    claim.delete()
    keys = {key for _, key, _ in entries(api_client)}
    assert not any("secret" in key for key in keys)
    assert all(e["claim"].startswith("claim-") for e in stream(api_client)["results"])


@pytest.mark.django_db
def test_unpublished_claim_leaves_a_tombstone_for_it_and_its_children(api_client):
    claim = ClaimFactory()
    statement = StatementFactory(claim=claim)
    assessment = AssessmentFactory(claim=claim)
    link = ClaimLinkFactory(from_claim=claim)
    since = last_position()
    claim.is_published = False
    claim.save()
    page = stream(api_client, since)
    removed = {(e["subject"], e["key"]) for e in page["results"] if e["removed"]}
    assert removed == {
        ("claim", claim.slug),
        ("statement", str(statement.pk)),
        ("assessment", str(assessment.pk)),
        ("claim-link", str(link.pk)),
    }
    tombstone = next(e for e in page["results"] if e["subject"] == "claim")
    assert tombstone["url"] is None and tombstone["removed_at"] is not None and tombstone["kind"] == "removed"

    since = last_position()
    claim.is_published = True
    claim.save()
    assert {(s, k) for s, k, kind in entries(api_client, since) if kind == "published"} == removed


@pytest.mark.django_db
@pytest.mark.parametrize("subject", ["statement", "assessment", "claim-link"])
def test_deleted_child_leaves_a_tombstone(api_client, subject):
    factory = {"statement": StatementFactory, "assessment": AssessmentFactory, "claim-link": ClaimLinkFactory}
    row = factory[subject]()
    key, since = str(row.pk), last_position()
    row.delete()
    assert (subject, key, ChangeKind.REMOVED) in entries(api_client, since)


@pytest.mark.django_db
def test_deleted_claim_leaves_tombstones_and_restoring_publishes_again(api_client):
    claim = ClaimFactory(slug="to-delete")
    statement = StatementFactory(claim=claim)
    claim_id, since = claim.pk, last_position()
    claim.delete()
    assert set(entries(api_client, since)) == {
        ("claim", "to-delete", "removed"),
        ("statement", str(statement.pk), "removed"),
    }
    since = last_position()
    restore_claim(claim_id, UserFactory(is_superuser=True))
    assert set(entries(api_client, since)) >= {
        ("claim", "to-delete", "published"),
        ("statement", str(statement.pk), "published"),
    }


@pytest.mark.django_db
def test_unpublished_assessment_leaves_a_tombstone_and_the_claim_a_new_status(api_client):
    claim = ClaimFactory()
    assessment = AssessmentFactory(claim=claim, status=Status.REFUTED)
    since = last_position()
    assessment.is_published = False
    assessment.save()
    page = stream(api_client, since)["results"]
    assert ("assessment", str(assessment.pk), "removed") in [
        (e["subject"], e["key"], e["kind"]) for e in page
    ]
    status_entry = next(e for e in page if e["subject"] == "claim")
    assert status_entry["kind"] == "status_changed"
    assert (status_entry["status"], status_entry["previous_status"]) == (Status.UNVERIFIED, Status.REFUTED)


@pytest.mark.django_db
def test_a_draft_assessment_never_appears(api_client):
    claim = ClaimFactory()
    since = last_position()
    AssessmentFactory(claim=claim, is_published=False)
    assert [s for s, _, _ in entries(api_client, since) if s == "assessment"] == []


@pytest.mark.django_db
def test_a_claims_new_slug_is_a_tombstone_and_a_publication(api_client):
    claim = ClaimFactory(slug="old-slug")
    statement = StatementFactory(claim=claim)
    since = last_position()
    claim.slug = "new-slug"
    claim.save()
    got = entries(api_client, since)
    assert ("claim", "old-slug", "removed") in got and ("claim", "new-slug", "published") in got
    assert ("statement", str(statement.pk), "changed") in got  # it shows its claim's slug


@pytest.mark.django_db
def test_an_edit_is_one_changed_entry_per_row(api_client):
    statement = StatementFactory()
    since = last_position()
    statement.summary = "Said it again."
    statement.save()
    assert sorted(entries(api_client, since)) == [
        ("claim", statement.claim.slug, "changed"),
        ("statement", str(statement.pk), "changed"),
    ]
    since = last_position()
    StatementFactory(claim=statement.claim, sources=[SourceFactory()])
    assert [s for s, _, k in entries(api_client, since) if k == "published"] == ["statement"]


@pytest.mark.django_db
def test_resuming_from_any_position_gives_no_gaps_nor_repeats(api_client):
    for _ in range(7):
        claim = ClaimFactory()
        StatementFactory(claim=claim)
    every = stream(api_client, 0, 1000)["results"]
    positions = [e["position"] for e in every]
    assert positions == list(range(1, len(positions) + 1))
    for start in (0, 3, 10):
        seen, since = [], start
        while True:
            page = stream(api_client, since, 4)
            seen += [e["position"] for e in page["results"]]
            since = page["position"]
            if page["next"] is None:
                break
            assert f"since={since}" in page["next"]
        assert seen == [p for p in positions if p > start]


@pytest.mark.django_db
def test_one_transaction_records_at_most_one_entry_per_row(api_client):
    from django.db import transaction

    claim = ClaimFactory()
    since = last_position()
    with transaction.atomic():
        statement = StatementFactory(claim=claim)
        statement.summary = "Changed at once."
        statement.save()
        statement.delete()
        claim.text = "Claim number one happened, really."
        claim.save()
    got = entries(api_client, since)
    assert len(got) == len({(s, k) for s, k, _ in got})
    assert [s for s, _, _ in got if s == "statement"] == []  # never seen: nothing to say
    positions = [e["position"] for e in stream(api_client, since, 1000)["results"]]
    assert positions == list(range(since + 1, since + 1 + len(positions)))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"since": "x"}, "since"),
        ({"since": "-1"}, "since"),
        ({"limit": "0"}, "limit"),
        ({"limit": "1001"}, "limit"),
    ],
)
def test_bad_since_or_limit_is_a_400_naming_the_field(api_client, params, field):
    response = api_client.get(URL, params)
    assert response.status_code == 400
    assert field in response.content.decode()


@pytest.mark.django_db
def test_query_count_does_not_grow_with_entries(api_client, django_assert_num_queries):
    for _ in range(3):
        ClaimLinkFactory()
    with django_assert_num_queries(1):
        small = stream(api_client, 0, 2)
    for _ in range(20):
        StatementFactory()
    with django_assert_num_queries(1):
        big = stream(api_client, 0, 1000)
    assert len(big["results"]) > len(small["results"])


@pytest.mark.django_db
def test_the_api_root_lists_the_stream(api_client):
    assert api_client.get("/api/v1/").json()["resources"]["changes"].endswith(URL)


@pytest.mark.django_db
def test_limit_defaults_to_100(api_client):
    ClaimFactory.create_batch(101)
    page = stream(api_client)
    assert len(page["results"]) == 100 and page["next"] is not None
    assert Claim.objects.count() == 101


@pytest.mark.django_db
def test_an_actors_edit_changes_the_statements_that_show_it(api_client):
    statement = StatementFactory()
    since = last_position()
    statement.actor.name = "Someone else"
    statement.actor.save()
    assert sorted(entries(api_client, since)) == [
        ("claim", statement.claim.slug, "changed"),
        ("statement", str(statement.pk), "changed"),
    ]


# --- Writers that bypass signals record too -----------------------------------


@pytest.mark.django_db
def test_a_nested_claim_set_records_every_row_it_inserted_in_bulk(api_client, api_client_for):
    from .test_api_nested_writes import claim_set

    response = api_client_for("Reviewer").post("/api/v1/claims/", claim_set(is_published=True), format="json")
    assert response.status_code == 201, response.content
    slug = response.json()["slug"]
    got = stream(APIClient(), 0, 1000)["results"]
    assert sorted((e["subject"], e["kind"]) for e in got) == [
        ("assessment", "published"),
        ("claim", "published"),
        ("statement", "published"),
        ("statement", "published"),
    ]
    claim_entry = next(e for e in got if e["subject"] == "claim")
    assert (claim_entry["key"], claim_entry["status"]) == (slug, Status.DISPUTED)


@pytest.mark.django_db
def test_an_import_records_its_claims_and_another_rating_changes_the_claim(api_client_for):
    from .test_api_claimreview import review

    client = api_client_for("Reviewer")
    client.post("/api/v1/import/claimreview/", review())  # a Reviewer's import is published
    claim = Claim.objects.get()
    assert sorted(entries(APIClient())) == [
        ("claim", claim.slug, "published"),
        ("statement", str(claim.statements.get().pk), "published"),
    ]
    since = last_position()
    other = review(
        url="https://www.snopes.com/fact-check/finland-nato/",
        author={"@type": "Organization", "name": "Snopes", "url": "https://www.snopes.com/"},
        reviewRating={"alternateName": "Correct Attribution"},
    )
    assert client.post("/api/v1/import/claimreview/", other).status_code == 201
    assert ("claim", claim.slug, "changed") in entries(APIClient(), since)
