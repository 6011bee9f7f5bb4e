"""Restoring a deleted claim brings back exactly what its deletion removed:
rows deleted on purpose before it stay deleted, the public status follows what
comes back, and a row that clashes with a newer one is named, not a 500."""

import pytest
from django.urls import reverse

from claims import services
from claims.models import Assessment, Claim, ClaimLink, Statement, StatementSource
from claims.vocabularies import Stance, Status

from .factories import (
    ActorFactory,
    AssessmentFactory,
    ClaimFactory,
    ClaimLinkFactory,
    SourceFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def probed(reviewer):
    """The probing scenario: a claim whose status went confirmed -> refuted
    when a Reviewer withdrew (deleted) the confirming assessment, and whose
    misattributed statement an Editor deleted, before the claim was deleted."""
    claim = ClaimFactory(text="Deleted with care.")
    kept = StatementFactory(claim=claim, stance=Stance.ASSERTS, sources=[SourceFactory()])
    removed = StatementFactory(claim=claim, stance=Stance.DENIES, summary="Misattributed.")
    confirming = AssessmentFactory(claim=claim, status=Status.CONFIRMED, assessed_at="2023-04-05T10:00Z")
    refuting = AssessmentFactory(claim=claim, status=Status.REFUTED, assessed_at="2023-04-04T10:00Z")
    removed.delete()
    confirming.delete()
    claim.refresh_from_db()
    assert claim.status == Status.REFUTED
    return {"claim": claim, "kept": kept, "removed": removed, "confirming": confirming, "refuting": refuting}


def delete_in_admin(client, claim):
    response = client.post(reverse("admin:claims_claim_delete", args=[claim.pk]), {"post": "yes"})
    assert response.status_code == 302


def test_restore_leaves_earlier_deliberate_deletions_deleted(reviewer_client, probed):
    claim = probed["claim"]
    delete_in_admin(reviewer_client, claim)
    response = reviewer_client.post(reverse("admin:claims_claim_restore", args=[claim.pk]))
    assert response.status_code == 302
    restored = Claim.objects.get(pk=claim.pk)
    assert list(restored.statements.values_list("pk", flat=True)) == [probed["kept"].pk]
    assert StatementSource.objects.filter(statement__claim=restored).count() == 1
    assert list(restored.assessments.values_list("pk", flat=True)) == [probed["refuting"].pk]
    assert restored.status == Status.REFUTED
    assert not Statement.objects.filter(pk=probed["removed"].pk).exists()
    assert not Assessment.objects.filter(pk=probed["confirming"].pk).exists()


def test_restored_claim_page_shows_the_status_it_had(client, reviewer, probed):
    claim = probed["claim"]
    claim_id, url = claim.pk, claim.get_absolute_url()
    claim.delete()
    services.restore_claim(claim_id, user=reviewer)
    page = client.get(url)
    assert page.status_code == 200
    assert "Refuted" in page.content.decode()
    assert "Misattributed." not in page.content.decode()


def test_queryset_deletion_of_several_claims_restores_each_with_its_own_rows(reviewer):
    first, second = ClaimFactory(), ClaimFactory()
    StatementFactory(claim=first)
    StatementFactory(claim=second)
    ClaimLinkFactory(from_claim=first, to_claim=second)
    Claim.objects.filter(pk__in=[first.pk, second.pk]).delete()
    services.restore_claim(first.pk, user=reviewer)
    assert Statement.objects.filter(claim_id=first.pk).count() == 1
    assert not Statement.objects.filter(claim_id=second.pk).exists()
    services.restore_claim(second.pk, user=reviewer)
    assert Statement.objects.filter(claim_id=second.pk).count() == 1
    assert ClaimLink.objects.filter(from_claim=first, to_claim=second).exists()


def test_restore_names_a_statement_that_clashes_with_a_newer_one(reviewer_client, reviewer):
    claim = ClaimFactory()
    actor = ActorFactory(name="Serhiy Cherevatiy")
    old = StatementFactory(claim=claim, actor=actor, stance=Stance.DENIES, stated_on="2023-04-03")
    claim_id, old_id = claim.pk, old.pk
    claim.delete()
    # Restore the claim alone, add a statement in place of the old one, then
    # delete the claim again and restore the statement by itself: it clashes.
    claim = services.restore_claim(claim_id, user=reviewer)
    assert claim.statements.count() == 1
    Statement.objects.get(pk=old_id).delete()
    StatementFactory(claim=claim, actor=actor, stance=Stance.DENIES, stated_on="2023-04-03")
    response = reviewer_client.post(reverse("admin:claims_statement_restore", args=[old_id]), follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Not restored" in body
    assert "already has a statement with this stance on this day" in body
    assert claim.statements.count() == 1


def test_claim_restore_succeeds_and_lists_a_clashing_row(reviewer):
    """Rows deleted before marks existed are found by time; one that clashes
    is left deleted and named while the rest comes back."""
    claim = ClaimFactory()
    actor = ActorFactory()
    first = StatementFactory(claim=claim, actor=actor, stance=Stance.ASSERTS, stated_on="2023-04-03")
    first_id = first.pk
    first.delete()
    StatementFactory(claim=claim, actor=actor, stance=Stance.ASSERTS, stated_on="2023-04-03")
    # An old-style deletion (no marks): the deliberate deletion falls in the window.
    Statement.history.filter(id=first_id).update(history_date=claim.created_at)
    claim_id = claim.pk
    claim.delete()
    Claim.history.filter(id=claim_id, history_type="-").update(history_change_reason=None)
    Statement.history.filter(history_type="-").update(history_change_reason=None)
    deletion = Claim.history.get(id=claim_id, history_type="-")
    Statement.history.filter(id=first_id).update(history_date=deletion.history_date)
    restored = services.restore_claim(claim_id, user=reviewer)
    assert restored.statements.count() == 1
    assert len(restored.not_restored) == 1
    assert "already has a statement" in restored.not_restored[0]


def test_restore_of_a_claim_whose_slug_was_taken_is_refused_plainly(reviewer_client):
    claim = ClaimFactory(slug="taken-slug")
    claim_id = claim.pk
    claim.delete()
    ClaimFactory(slug="taken-slug")
    response = reviewer_client.post(reverse("admin:claims_claim_restore", args=[claim_id]), follow=True)
    assert response.status_code == 200
    assert "Not restored" in response.content.decode()
    assert "slug" in response.content.decode().lower()
