"""A status is a moment in a timeline: each change is an Assessment row."""

import datetime as dt

import pytest

from claims.models import Assessment
from claims.vocabularies import Status

from .factories import AssessmentFactory, ClaimFactory

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2023, 4, 3, 12, tzinfo=dt.UTC)


def status_of(claim):
    claim.refresh_from_db()
    return claim.status


def test_new_claim_is_unverified():
    assert status_of(ClaimFactory()) == Status.UNVERIFIED


def test_adding_assessments_moves_the_claims_status():
    claim = ClaimFactory()
    AssessmentFactory(claim=claim, status=Status.DISPUTED, assessed_at=T0)
    assert status_of(claim) == Status.DISPUTED
    AssessmentFactory(claim=claim, status=Status.CONFIRMED, assessed_at=T0 + dt.timedelta(days=30))
    assert status_of(claim) == Status.CONFIRMED
    assert claim.status_changed_at == T0 + dt.timedelta(days=30)


def test_a_draft_assessment_does_not_move_the_status():
    claim = ClaimFactory()
    AssessmentFactory(claim=claim, status=Status.DISPUTED, assessed_at=T0)
    draft = AssessmentFactory(
        claim=claim, status=Status.REFUTED, assessed_at=T0 + dt.timedelta(days=1), is_published=False
    )
    assert status_of(claim) == Status.DISPUTED
    draft.is_published = True
    draft.save()
    assert status_of(claim) == Status.REFUTED


def test_the_latest_assessment_wins_not_the_last_entered():
    claim = ClaimFactory()
    AssessmentFactory(claim=claim, status=Status.CONFIRMED, assessed_at=T0 + dt.timedelta(days=5))
    AssessmentFactory(claim=claim, status=Status.DISPUTED, assessed_at=T0)  # backfilled, older
    assert status_of(claim) == Status.CONFIRMED


def test_status_history_keeps_every_step_in_order():
    claim = ClaimFactory()
    steps = [Status.UNVERIFIED, Status.DISPUTED, Status.MIXED, Status.REFUTED]
    for days, status in reversed(list(enumerate(steps))):
        AssessmentFactory(claim=claim, status=status, assessed_at=T0 + dt.timedelta(days=days))
    timeline = claim.assessments.published().timeline().values_list("status", flat=True)
    assert list(timeline) == steps
    assert Assessment.history.filter(claim_id=claim.pk).count() == len(steps)


def test_deleting_the_latest_assessment_falls_back_to_the_one_before():
    claim = ClaimFactory()
    AssessmentFactory(claim=claim, status=Status.DISPUTED, assessed_at=T0)
    latest = AssessmentFactory(claim=claim, status=Status.CONFIRMED, assessed_at=T0 + dt.timedelta(days=1))
    latest.delete()
    assert status_of(claim) == Status.DISPUTED


def test_saving_a_stale_copy_of_a_claim_never_overwrites_its_status():
    claim = ClaimFactory()
    stale = type(claim).objects.get(pk=claim.pk)
    AssessmentFactory(claim=claim, status=Status.REFUTED, assessed_at=T0)
    stale.context = "Edited by someone holding an old copy."
    stale.save()
    assert status_of(claim) == Status.REFUTED


def test_a_status_change_moves_the_claims_updated_at_for_syncing_clients():
    claim = ClaimFactory()
    before = type(claim).objects.get(pk=claim.pk).updated_at
    AssessmentFactory(claim=claim, status=Status.REFUTED, assessed_at=T0)
    assert type(claim).objects.get(pk=claim.pk).updated_at > before


def test_deleting_assessments_by_queryset_refreshes_the_status():
    claim = ClaimFactory()
    AssessmentFactory(claim=claim, status=Status.DISPUTED, assessed_at=T0)
    AssessmentFactory(claim=claim, status=Status.REFUTED, assessed_at=T0 + dt.timedelta(days=1))
    Assessment.objects.filter(claim=claim, status=Status.REFUTED).delete()
    claim.refresh_from_db()
    assert claim.status == Status.DISPUTED


def test_moving_an_assessment_to_another_claim_refreshes_both():
    first, second = ClaimFactory(), ClaimFactory()
    assessment = AssessmentFactory(claim=first, status=Status.REFUTED)
    assessment.claim = second
    assessment.save()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Status.UNVERIFIED, Status.REFUTED)
