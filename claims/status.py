"""A claim's status is its latest published assessment: kept in step, in the
same transaction, whenever an assessment is saved or deleted (or moves)."""

from django.db import transaction
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .batching import distinct_ids
from .models import Assessment, Claim
from .old_parents import parents
from .vocabularies import Status


def latest_published_assessment(claim_id):
    return Assessment.objects.published().filter(claim_id=claim_id).order_by("-assessed_at", "-pk").first()


def refresh_claim_statuses(claim_ids):
    """Set each claim's denormalised status from its latest published assessment.

    Called inside the transaction that changed assessments, with the claim rows
    locked, so two reviewers publishing at once cannot leave a claim out of
    step. One statement for any number of claims (the importer's batches)."""
    claim_ids = distinct_ids(claim_ids)
    if not claim_ids:
        return
    with transaction.atomic():
        # Locks taken in id order, so two batches cannot deadlock.
        list(Claim.objects.select_for_update().filter(pk__in=claim_ids).order_by("pk").values_list("pk"))
        latest = (
            Assessment.objects.published().filter(claim_id=OuterRef("pk")).order_by("-assessed_at", "-pk")
        )
        # updated_at is not bumped here: the assessment's save or delete (or
        # the importer) touches the claim's pages, in this transaction.
        Claim.objects.filter(pk__in=claim_ids).update(
            status=Coalesce(Subquery(latest.values("status")[:1]), Value(Status.UNVERIFIED)),
            status_changed_at=Subquery(latest.values("assessed_at")[:1]),
        )


def refresh_claim_status(claim_id):
    refresh_claim_statuses([claim_id])


@receiver([post_save, post_delete], sender=Assessment)
def assessment_changed(sender, instance, raw=False, **kwargs):
    """The claim's status follows (the old claim's too, when the assessment
    moved). Assessment.save and Django's deletions run in a transaction."""
    if not raw:
        refresh_claim_statuses(parents(instance, "claim_id"))
