"""Subscribing, and enabling a subscription again after it was disabled."""

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from claims.capture.fetcher import FetchError, check_destination
from claims.models import Change, WebhookSubscription
from claims.vocabularies import DeliveryState

from . import signing
from .dispatch import queue_dispatch


def destination_refusal(url):
    """Why the deliveries could not go to `url` (the fetcher's reason), or None."""
    try:
        check_destination(url)
    except FetchError as error:
        return error.reason
    return None


def too_many_subscriptions(owner):
    return WebhookSubscription.objects.owned_by(owner).count() >= settings.WEBHOOK_MAX_SUBSCRIPTIONS


def stream_end():
    return Change.objects.aggregate(end=Max("position"))["end"] or 0


def subscribe(owner, url, events, secret=None):
    """A new subscription, heard from the stream's current end on (no history)."""
    return WebhookSubscription.objects.create(
        owner=owner, url=url, events=events, secret=secret or signing.new_secret(), position=stream_end()
    )


def withdraw_unsubscribed(subscription):
    """After its events changed: the deliveries not yet made of events it no
    longer asks for are dropped (those made stay in its log)."""
    return (
        subscription.deliveries.exclude(state=DeliveryState.DELIVERED)
        .exclude(event_type__in=subscription.events)
        .delete()[0]
    )


def enable(subscription):
    """Active again: its failed delivery is tried again first, then everything
    after it, then the changes made while it was disabled (dispatch catches up)."""
    with transaction.atomic():
        WebhookSubscription.objects.filter(pk=subscription.pk).update(
            is_active=True, disabled_reason="", disabled_at=None, updated_at=timezone.now()
        )
        subscription.deliveries.filter(state=DeliveryState.FAILED).update(
            state=DeliveryState.PENDING, attempts=0, first_attempt_at=None, next_attempt_at=timezone.now()
        )
        transaction.on_commit(queue_dispatch)
    subscription.refresh_from_db()
    return subscription
