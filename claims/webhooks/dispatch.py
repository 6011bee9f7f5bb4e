"""From the change stream to deliveries: for each active subscription, the
changes after its position become deliveries of the events it asked for, and
its position moves on, in one transaction a batch (the subscription's row
locked: two runs never make the same deliveries, and a run repeated makes
none). Started once the edit that recorded changes commits (`changes_recorded`),
and by `enable`; each run also queues a delivery task for every subscription
with a delivery due (a worker that died mid-run leaves none behind for long).
"""

import logging

from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.tasks import TaskResultStatus, task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from claims.models import Change, WebhookDelivery, WebhookSubscription

from . import events, signing
from .delivery import enqueue_delivery

logger = logging.getLogger(__name__)

BATCH = 1000


@task(queue_name="webhooks")
def dispatch_changes():
    return dispatch()


def dispatch(now=None):
    """Make the deliveries of every active subscription; queue their sending.
    Returns how many deliveries were made."""
    made = 0
    for subscription_id in WebhookSubscription.objects.active().values_list("pk", flat=True):
        made += dispatch_subscription(subscription_id)
    for subscription_id in due_subscriptions(now or timezone.now()):
        enqueue_delivery(subscription_id)
    return made


def dispatch_subscription(subscription_id):
    made = 0
    while True:
        with transaction.atomic():
            subscription = (
                WebhookSubscription.objects.select_for_update()
                .filter(pk=subscription_id, is_active=True)
                .first()
            )
            if subscription is None:
                return made
            changes = list(
                Change.objects.filter(position__gt=subscription.position).order_by("position")[:BATCH]
            )
            if not changes:
                return made
            wanted = set(subscription.events)
            deliveries = [
                WebhookDelivery(
                    subscription=subscription,
                    message_id=signing.new_message_id(),
                    event_type=events.event_type(change),
                    position=change.position,
                    claim_slug=change.claim_slug,
                    payload=events.payload(change),
                )
                for change in changes
                if events.event_type(change) in wanted
            ]
            WebhookDelivery.objects.bulk_create(deliveries, ignore_conflicts=True)
            WebhookSubscription.objects.filter(pk=subscription_id).update(position=changes[-1].position)
            made += len(deliveries)


def due_subscriptions(now):
    """Active subscriptions whose next delivery is due, with no worker on them."""
    head = WebhookDelivery.objects.pending().filter(subscription=OuterRef("pk")).in_order()
    return list(
        WebhookSubscription.objects.active()
        .filter(Q(delivering_until__isnull=True) | Q(delivering_until__lt=now))
        .annotate(head_due_at=Subquery(head.values("next_attempt_at")[:1]))
        .filter(head_due_at__lte=now)
        .values_list("pk", flat=True)
    )


def queue_dispatch():
    """One dispatch task waiting is enough: it has not started, so it will see
    every change committed before it does (many edits a second queue one)."""
    waiting = DBTaskResult.objects.filter(
        task_path=dispatch_changes.module_path, status=TaskResultStatus.READY
    )
    if not waiting.exists():
        dispatch_changes.enqueue()


def on_changes_recorded(sender, positions=(), **kwargs):
    """The edit is saved and committed: never raise from here."""
    try:
        if positions and WebhookSubscription.objects.active().exists():
            queue_dispatch()
    except Exception:
        logger.exception("Could not queue the webhook dispatch for positions %s", positions)
