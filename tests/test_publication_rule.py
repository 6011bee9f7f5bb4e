"""One publication rule behind every door: only a Reviewer changes whether, or
since when, a claim or an assessment is public, whether through the change
form, a revert to an old version, a restore, a bulk action, an import or the
API (services.publication_refusal)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from claims import services
from claims.models import Assessment, Claim
from claims.vocabularies import Status

from .admin_forms import form_data
from .factories import AssessmentFactory, ClaimFactory

pytestmark = pytest.mark.django_db

REFUSAL = "Only reviewers can publish or unpublish claims."


def version_where(claim, **values):
    return claim.history.filter(**values).latest("history_date")


def revert(client, claim, version):
    url = reverse("admin:claims_claim_simple_history", args=[claim.pk, version.history_id])
    return client.post(url, form_data(client.get(url)))


@pytest.fixture
def once_published_draft(reviewer):
    """A claim that was published, then taken offline by a Reviewer."""
    claim = ClaimFactory(text="Published once.", is_published=True)
    services.set_claim_published(claim, False, reviewer)
    return claim


def test_editor_cannot_publish_by_reverting_to_a_published_version(editor_client, once_published_draft):
    claim = once_published_draft
    response = revert(editor_client, claim, version_where(claim, is_published=True))
    assert response.status_code == 200
    assert REFUSAL in response.content.decode()
    claim.refresh_from_db()
    assert not claim.is_published
    editor_client.logout()
    assert editor_client.get(claim.get_absolute_url()).status_code == 404


def test_editor_cannot_unpublish_by_reverting_to_a_draft_version(editor_client, reviewer):
    claim = ClaimFactory(text="Draft first.", is_published=False)
    services.set_claim_published(claim, True, reviewer)
    response = revert(editor_client, claim, version_where(claim, is_published=False))
    assert REFUSAL in response.content.decode()
    claim.refresh_from_db()
    assert claim.is_published


def test_editor_may_revert_wording_when_publication_is_unchanged(editor_client):
    claim = ClaimFactory(text="First wording.", is_published=False)
    first = claim.history.latest()
    claim.text = "Second wording."
    claim.save()
    assert revert(editor_client, claim, first).status_code == 302
    claim.refresh_from_db()
    assert claim.text == "First wording."


def test_reviewer_may_publish_by_reverting(reviewer_client, once_published_draft):
    claim = once_published_draft
    assert revert(reviewer_client, claim, version_where(claim, is_published=True)).status_code == 302
    claim.refresh_from_db()
    assert claim.is_published


def test_editor_posting_is_published_to_the_change_form_does_not_publish(editor_client):
    claim = ClaimFactory(is_published=False)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = form_data(editor_client.get(url)) | {"is_published": "on"}
    editor_client.post(url, data)
    claim.refresh_from_db()
    assert not claim.is_published


def test_editor_cannot_run_the_publish_action(editor_client):
    claim = ClaimFactory(is_published=False)
    editor_client.post(
        reverse("admin:claims_claim_changelist"), {"action": "publish", "_selected_action": [claim.pk]}
    )
    claim.refresh_from_db()
    assert not claim.is_published


def test_bulk_publish_service_refuses_an_editor(editor):
    claim = ClaimFactory(is_published=False)
    with pytest.raises(PermissionDenied, match="Only reviewers"):
        services.set_claim_published(claim, True, editor)
    claim.refresh_from_db()
    assert not claim.is_published


def test_restoring_a_published_claim_needs_a_reviewer(editor, reviewer):
    claim = ClaimFactory(is_published=True)
    claim_id = claim.pk
    claim.delete()
    with pytest.raises(PermissionDenied):
        services.restore_claim(claim_id, user=editor)
    assert not Claim.objects.filter(pk=claim_id).exists()
    assert services.restore_claim(claim_id, user=reviewer).is_published


def test_restoring_a_published_assessment_needs_the_publish_permission(editor, reviewer):
    assessment = AssessmentFactory(is_published=True)
    assessment_id = assessment.pk
    assessment.delete()
    record = Assessment.history.filter(id=assessment_id).latest("history_date")
    with pytest.raises(PermissionDenied):
        services.check_publication(record.instance, editor)
    services.check_publication(record.instance, reviewer)


def test_api_editor_cannot_publish_on_create_or_update(api_client_for):
    client = api_client_for("Editor")
    response = client.post("/api/v1/claims/", {"text": "Logged by the API.", "is_published": True})
    assert response.status_code == 403
    assert REFUSAL in response.json()["detail"]
    assert not Claim.objects.filter(text="Logged by the API.").exists()
    claim = ClaimFactory(is_published=False)
    response = client.patch(f"/api/v1/claims/{claim.slug}/", {"is_published": True})
    assert response.status_code == 403
    claim.refresh_from_db()
    assert not claim.is_published


def test_api_editor_cannot_set_published_at(api_client_for):
    client = api_client_for("Editor")
    claim = ClaimFactory(is_published=True)
    before = claim.published_at
    client.patch(f"/api/v1/claims/{claim.slug}/", {"published_at": "2020-01-01T00:00:00Z"})
    claim.refresh_from_db()
    assert claim.published_at == before


def test_changing_a_published_verdict_needs_the_publish_permission(editor, reviewer):
    assessment = AssessmentFactory(status=Status.DISPUTED, is_published=True)
    assessment.status = Status.CONFIRMED
    assert services.publication_refusal(assessment, editor)
    assert services.publication_refusal(assessment, reviewer) is None
    draft = AssessmentFactory(status=Status.DISPUTED, is_published=False)
    draft.status = Status.CONFIRMED
    assert services.publication_refusal(draft, editor) is None


def test_an_editor_cannot_import_reviews_that_publish(editor):
    from claims.claimreview import import_claim_reviews

    from .test_api_claimreview import review

    with pytest.raises(PermissionDenied):
        import_claim_reviews([review()], user=editor)
    assert not Claim.objects.exists()
