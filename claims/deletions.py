"""Which history rows one claim deletion made.

Deleting a claim deletes its statements (and their sources), assessments,
links and external reviews with it. Each leaves a deletion row in its history,
and so may a statement an editor deleted on purpose a week before. To bring
back exactly what the claim's deletion removed, every deletion row written
while a claim is being deleted carries that deletion's mark as its change
reason ("claim deletion of 2026-12-03T10:00:00.123456+00:00"), and so
does the claim's own row; `services.restore_claim` restores the rows that
carry the claim's mark and leaves earlier deliberate deletions deleted.
"""

from contextvars import ContextVar

from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver
from django.utils import timezone
from simple_history.signals import pre_create_historical_record

from .models import Claim

# (mark, claims still being deleted) for the deletion under way in this thread.
_deletion = ContextVar("claim_deletion", default=None)
MARK_PREFIX = "claim deletion of "


def deletion_mark(when):
    return f"{MARK_PREFIX}{when.isoformat()}"


@receiver(pre_delete, sender=Claim)
def claim_deletion_starts(sender, instance, **kwargs):
    # Django sends every pre_delete of one deletion before any row goes, so
    # one mark covers a queryset's claims and all their children.
    current = _deletion.get()
    if current is None:
        _deletion.set((deletion_mark(timezone.now()), 1))
    else:
        _deletion.set((current[0], current[1] + 1))


@receiver(post_delete, sender=Claim)
def claim_deletion_ends(sender, instance, **kwargs):
    current = _deletion.get()
    if current is not None:
        mark, pending = current
        _deletion.set((mark, pending - 1) if pending > 1 else None)


@receiver(pre_create_historical_record)
def mark_deletion_record(sender, history_instance, **kwargs):
    current = _deletion.get()
    if current is not None and history_instance.history_type == "-":
        history_instance.history_change_reason = current[0]
