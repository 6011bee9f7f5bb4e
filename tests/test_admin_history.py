"""Every editor change is recorded with its author and can be reverted; a
deleted claim comes back with its statements."""

import pytest
from django.urls import reverse

from claims.models import Assessment, Claim, Statement, StatementSource
from claims.vocabularies import Status

from .admin_forms import form_data
from .factories import AssessmentFactory, ClaimFactory, SourceFactory, StatementFactory, TopicFactory

pytestmark = pytest.mark.django_db


def change_claim(client, claim, **values):
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = form_data(client.get(url))
    data.update(values)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"]


def test_admin_change_appears_in_history_with_its_author(editor_client, editor):
    claim = ClaimFactory(text="First wording.")
    change_claim(editor_client, claim, text="Second wording.")
    latest = claim.history.latest()
    assert latest.history_user == editor
    assert latest.history_type == "~"
    delta = latest.diff_against(latest.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("text", "First wording.", "Second wording.")]
    page = editor_client.get(reverse("admin:claims_claim_history", args=[claim.pk]))
    assert page.status_code == 200
    assert "ed" in page.content.decode()


def test_revert_restores_the_earlier_values(editor_client, editor):
    claim = ClaimFactory(text="First wording.", context="First context.")
    first_version = claim.history.latest()
    change_claim(editor_client, claim, text="Second wording.", context="Second context.")
    revert_url = reverse("admin:claims_claim_simple_history", args=[claim.pk, first_version.history_id])
    data = form_data(editor_client.get(revert_url))
    response = editor_client.post(revert_url, data)
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.text, claim.context) == ("First wording.", "First context.")
    assert claim.history.latest().history_user == editor


def test_revert_never_touches_the_derived_status(reviewer_client):
    claim = ClaimFactory()
    old = claim.history.latest()
    AssessmentFactory(claim=claim, status=Status.REFUTED)
    url = reverse("admin:claims_claim_simple_history", args=[claim.pk, old.history_id])
    reviewer_client.post(url, form_data(reviewer_client.get(url)))
    claim.refresh_from_db()
    assert claim.status == Status.REFUTED


def test_deleted_claim_is_listed_and_restored_with_its_statements(reviewer_client, reviewer):
    topic = TopicFactory()
    claim = ClaimFactory(text="Deleted by mistake.", topics=[topic])
    statements = [StatementFactory(claim=claim, sources=[SourceFactory()]) for _ in range(3)]
    evidence = SourceFactory()
    AssessmentFactory(claim=claim, status=Status.MIXED).evidence.set([evidence])
    claim_id = claim.pk
    delete_url = reverse("admin:claims_claim_delete", args=[claim_id])
    assert reviewer_client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Claim.objects.filter(pk=claim_id).exists()

    deleted_page = reviewer_client.get(reverse("admin:claims_claim_deleted"))
    assert "Deleted by mistake." in deleted_page.content.decode()

    response = reviewer_client.post(reverse("admin:claims_claim_restore", args=[claim_id]))
    assert response.status_code == 302
    restored = Claim.objects.get(pk=claim_id)
    assert restored.text == "Deleted by mistake."
    assert list(restored.topics.all()) == [topic]
    assert sorted(restored.statements.values_list("pk", flat=True)) == sorted(s.pk for s in statements)
    assert StatementSource.objects.filter(statement__claim=restored).count() == 3
    assert list(Assessment.objects.get(claim=restored).evidence.all()) == [evidence]
    assert restored.status == Status.MIXED
    assert restored.history.latest().history_user == reviewer


def test_restoring_a_live_claim_is_refused_politely(reviewer_client):
    claim = ClaimFactory()
    response = reviewer_client.post(reverse("admin:claims_claim_restore", args=[claim.pk]), follow=True)
    assert response.status_code == 200
    assert "nothing to restore" in response.content.decode()


def test_editor_cannot_delete_or_restore_claims(editor_client):
    claim = ClaimFactory()
    assert (
        editor_client.post(reverse("admin:claims_claim_delete", args=[claim.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert editor_client.post(reverse("admin:claims_claim_restore", args=[claim.pk])).status_code == 403
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_deleted_statement_can_be_restored_on_its_own(reviewer_client):
    statement = StatementFactory()
    statement_id = statement.pk
    statement.delete()
    reviewer_client.post(reverse("admin:claims_statement_restore", args=[statement_id]))
    assert Statement.objects.filter(pk=statement_id).exists()
