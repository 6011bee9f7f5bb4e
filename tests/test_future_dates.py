"""No verdict from the future: an assessment (and a source's publication day)
may not be dated ahead of now, beyond a small clock skew, by any door; else a
verdict dated 2030 would outrank every later one and top the feeds."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from claims.models import Assessment, Source

from .admin_forms import form_data
from .factories import AssessmentFactory, ClaimFactory, SourceFactory
from .test_api_claimreview import review

pytestmark = pytest.mark.django_db

FUTURE = "2030-01-01T00:00:00Z"


def test_model_refuses_an_assessment_dated_in_the_future():
    assessment = AssessmentFactory.build(
        claim=ClaimFactory(), assessed_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    )
    with pytest.raises(ValidationError) as error:
        assessment.full_clean()
    assert "assessed_at" in error.value.message_dict


def test_a_small_clock_skew_is_allowed():
    assessment = AssessmentFactory.build(
        claim=ClaimFactory(), assessed_at=timezone.now() + dt.timedelta(minutes=2)
    )
    assessment.full_clean()


def test_model_refuses_a_source_published_after_today_anywhere():
    source = SourceFactory.build(published_on=timezone.localdate() + dt.timedelta(days=2))
    with pytest.raises(ValidationError) as error:
        source.full_clean()
    assert "published_on" in error.value.message_dict


def test_admin_form_refuses_a_future_assessment(reviewer_client):
    claim = ClaimFactory()
    url = reverse("admin:claims_assessment_add")
    data = form_data(reviewer_client.get(url)) | {
        "claim": claim.pk,
        "status": "confirmed",
        "rationale": "From the future.",
        "assessed_at_0": "2030-01-01",
        "assessed_at_1": "00:00:00",
        "is_published": "on",
    }
    response = reviewer_client.post(url, data)
    assert response.status_code == 200
    assert "assessed_at" in response.context["adminform"].form.errors
    assert not Assessment.objects.exists()


def test_admin_form_refuses_a_future_publication_day(editor_client):
    url = reverse("admin:claims_source_add")
    data = form_data(editor_client.get(url)) | {
        "title": "Tomorrow's paper",
        "kind": "news_report",
        "language": "en",
        "published_on": "2030-01-01",
    }
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "published_on" in response.context["adminform"].form.errors
    assert not Source.objects.exists()


def test_api_refuses_a_future_assessment_naming_the_field(api_client_for):
    claim = ClaimFactory()
    client = api_client_for("Reviewer")
    response = client.post(
        "/api/v1/assessments/",
        {"claim": claim.slug, "status": "confirmed", "rationale": "Later.", "assessed_at": FUTURE},
    )
    assert response.status_code == 400
    assert "assessed_at" in response.json()["errors"]
    assert not Assessment.objects.exists()
    claim.refresh_from_db()
    assert claim.status == "unverified"


def test_api_refuses_moving_an_assessment_into_the_future(api_client_for):
    assessment = AssessmentFactory()
    response = api_client_for("Reviewer").patch(
        f"/api/v1/assessments/{assessment.pk}/", {"assessed_at": FUTURE}
    )
    assert response.status_code == 400
    assessment.refresh_from_db()
    assert assessment.assessed_at.year < 2030


def test_api_refuses_a_future_publication_day(api_client_for):
    response = api_client_for("Editor").post(
        "/api/v1/sources/", {"title": "Tomorrow's paper", "published_on": "2030-01-01"}
    )
    assert response.status_code == 400
    assert "published_on" in response.json()["errors"]


def test_import_refuses_a_review_dated_in_the_future(api_client_for):
    response = api_client_for("Reviewer").post(
        "/api/v1/import/claimreview/", [review(datePublished="2030-01-01")], format="json"
    )
    assert response.status_code == 400
    assert "datePublished" in response.content.decode()
    assert "future" in response.content.decode()
