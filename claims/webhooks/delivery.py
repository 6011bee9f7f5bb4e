"""Sending a subscription's deliveries: one worker at a time per subscription
(a lease on its row), oldest change first, many in one task run. A delivery
that fails (no answer, or an answer other than 2xx: a redirect is not
followed) is tried again after RETRY_DELAYS, and the ones after it wait
behind it, so a receiver gets every event in stream order, and so in order
per claim. After its last try fails (more than a day after its first), or at
once when the fetcher refuses the address, the delivery is marked failed and
the subscription disabled with the reason its owner reads in the API.

    deliver(subscription.pk)          # what the deliver_subscription task runs
"""

import datetime as dt
import json
import logging
import time

from django.conf import settings
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from claims.capture.fetcher import FetchError, fetch
from claims.models import WebhookDelivery, WebhookSubscription
from claims.vocabularies import DeliveryState

from . import signing

logger = logging.getLogger(__name__)

# Seconds before the 2nd, 3rd, ... try: 9 tries over 27.6 hours.
RETRY_DELAYS = (10, 60, 300, 1800, 7200, 18000, 36000, 36000)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# How long a worker holds a subscription without news (it renews it each batch).
LEASE = dt.timedelta(minutes=2)
BATCH = 50
# Deliveries sent in one task run before it queues its own follow-up (other tasks get a turn).
RUN_LIMIT = 2000
# A receiver's answer is read up to this size (it is not kept).
MAX_ANSWER_BYTES = 1024 * 1024


@task(queue_name="webhooks")
def deliver_subscription(subscription_id):
    return deliver(subscription_id)


def enqueue_delivery(subscription_id, at=None):
    queued = deliver_subscription
    if at is not None:
        queued = queued.using(run_after=at)
    return queued.enqueue(subscription_id)


def _lease(subscription_id, now):
    """Take (or renew) the subscription for this run: False if another worker has it."""
    free = Q(delivering_until__isnull=True) | Q(delivering_until__lt=now)
    return bool(
        WebhookSubscription.objects.active()
        .filter(free, pk=subscription_id)
        .update(delivering_until=now + LEASE)
    )


def _release(subscription_id):
    WebhookSubscription.objects.filter(pk=subscription_id).update(delivering_until=None)


def _head(subscription_id):
    return WebhookDelivery.objects.pending().filter(subscription_id=subscription_id).in_order().first()


def deliver(subscription_id, now=None):
    """Send the subscription's due deliveries in order until none is due, one
    fails or RUN_LIMIT is reached. `now` stands for the clock (tests move it).
    Returns how many were delivered."""
    delivered = 0
    while True:
        current = now or timezone.now()
        if not _lease(subscription_id, current):
            return delivered
        try:
            sent, stopped = _send_due(subscription_id, now, RUN_LIMIT - delivered)
            delivered += sent
        finally:
            _release(subscription_id)
        if delivered >= RUN_LIMIT:
            enqueue_delivery(subscription_id)
            return delivered
        # A delivery made while we held the lease, whose task found it held.
        head = None if stopped else _head(subscription_id)
        if head is None or head.next_attempt_at > (now or timezone.now()):
            if head is not None:
                enqueue_delivery(subscription_id, at=head.next_attempt_at)
            return delivered


def _send_due(subscription_id, now, limit):
    """(delivered, stopped): stopped when one failed (its retry is queued) or the subscription is off."""
    sent = 0
    while sent < limit:
        subscription = WebhookSubscription.objects.active().filter(pk=subscription_id).first()
        if subscription is None:
            return sent, True
        batch = list(
            WebhookDelivery.objects.pending().filter(subscription_id=subscription_id).in_order()[:BATCH]
        )
        if not batch:
            return sent, False
        for delivery in batch:
            current = now or timezone.now()
            if delivery.next_attempt_at > current:
                return sent, False
            if not attempt(subscription, delivery, now):
                return sent, True
            sent += 1
        _lease_renew(subscription_id, now or timezone.now())
    return sent, False


def _lease_renew(subscription_id, now):
    WebhookSubscription.objects.filter(pk=subscription_id).update(delivering_until=now + LEASE)


def body_of(delivery):
    return json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()


def attempt(subscription, delivery, now=None):
    """One try of one delivery; True when the receiver took it."""
    body = body_of(delivery)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": f"Counterclaim webhooks (+{settings.SITE_URL})",
        **signing.signed_headers(subscription.secret, delivery.message_id, time.time(), body),
    }
    try:
        answer = fetch(
            subscription.url,
            method="POST",
            body=body,
            headers=headers,
            follow_redirects=False,
            timeout=settings.WEBHOOK_TIMEOUT,
            max_bytes=MAX_ANSWER_BYTES,
        )
    except FetchError as error:
        return _failed(subscription, delivery, error.reason, None, now, final=error.refused)
    except Exception as error:  # a bug must not stop the deliveries for good: tried again later
        logger.exception("Webhook delivery %s failed unexpectedly", delivery.pk)
        return _failed(subscription, delivery, f"internal error: {error.__class__.__name__}", None, now)
    if 200 <= answer.status < 300:
        _delivered(delivery, answer.status, now)
        return True
    reason = f"the endpoint answered {answer.status}"
    return _failed(subscription, delivery, reason, answer.status, now)


def _delivered(delivery, status, now):
    when = now or timezone.now()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.DELIVERED,
        attempts=delivery.attempts + 1,
        first_attempt_at=delivery.first_attempt_at or when,
        last_attempt_at=when,
        delivered_at=when,
        last_status_code=status,
        last_error="",
    )


def _failed(subscription, delivery, reason, status, now, final=False):
    when = now or timezone.now()
    attempts = delivery.attempts + 1
    first = delivery.first_attempt_at or when
    fields = {
        "attempts": attempts,
        "first_attempt_at": first,
        "last_attempt_at": when,
        "last_status_code": status,
        "last_error": reason[:500],
    }
    if not final and attempts < MAX_ATTEMPTS:
        retry_at = when + dt.timedelta(seconds=RETRY_DELAYS[attempts - 1])
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=retry_at, **fields)
        enqueue_delivery(subscription.pk, at=retry_at)
        return False
    WebhookDelivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.FAILED, **fields)
    disable(subscription.pk, disabled_reason(reason, attempts, when - first, refused=final), when)
    return False


def disabled_reason(reason, attempts, span, refused=False):
    if refused:  # "refused: address 10.0.0.5 is private"
        return reason
    hours = span.total_seconds() / 3600
    tries = "1 attempt" if attempts == 1 else f"{attempts} attempts over {hours:.0f} h"
    return f"{reason} to {tries}" if reason.startswith("the endpoint answered") else f"{reason} on {tries}"


def disable(subscription_id, reason, when=None):
    WebhookSubscription.objects.filter(pk=subscription_id).update(
        is_active=False,
        disabled_reason=reason[:500],
        disabled_at=when or timezone.now(),
        delivering_until=None,
    )
