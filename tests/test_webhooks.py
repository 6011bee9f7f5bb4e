"""Webhook deliveries: the change stream turned into signed POSTs to a local
receiver (pytest-httpserver), in order, retried with backoff, and the
subscription disabled with its reason after the last try. Change rows are
made directly here (their recording is claims/changes'); time moves by
passing `now` to the delivery."""

import datetime as dt
import io
import json
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from standardwebhooks import Webhook
from werkzeug import Response

from claims.changes.signals import changes_recorded
from claims.models import WebhookDelivery, WebhookSubscription
from claims.vocabularies import ChangeKind, ChangeSubject, DeliveryState, Status, WebhookEvent
from claims.webhooks import delivery
from claims.webhooks.delivery import RETRY_DELAYS, deliver
from claims.webhooks.dispatch import dispatch

from .browser_support import ROOT
from .capture_support import run_worker
from .factories import ChangeFactory, WebhookSubscriptionFactory

pytestmark = pytest.mark.usefixtures("capture_settings")


class Receiver:
    """What the test server answers (changeable mid-test), and what it was sent."""

    def __init__(self, httpserver):
        self.status = 200
        self.received = []
        httpserver.expect_request("/hook", method="POST").respond_with_handler(self)

    def __call__(self, request):
        if self.status < 300:
            self.received.append((dict(request.headers), request.get_data()))
        return Response("ok", status=self.status)

    def events(self):
        return [json.loads(body) for _, body in self.received]


@pytest.fixture
def receiver(httpserver):
    return Receiver(httpserver)


@pytest.fixture
def subscription(db, httpserver, receiver):
    return WebhookSubscriptionFactory(url=httpserver.url_for("/hook"))


def later():
    """A moment after every delivery made in the test is due: the test's clock."""
    return timezone.now() + dt.timedelta(minutes=1)


def send(subscription, now=None):
    dispatch(now)
    return deliver(subscription.pk, now=now)


def test_a_delivery_is_signed_in_the_standard_webhooks_form(subscription, receiver):
    change = ChangeFactory(claim_slug="wagner-took-the-town-hall", kind=ChangeKind.PUBLISHED)
    assert send(subscription) == 1
    ((headers, body),) = receiver.received
    payload = Webhook(subscription.secret).verify(body, headers)
    assert payload["type"] == "claim.published"
    stored = WebhookDelivery.objects.get()
    assert headers["Webhook-Id"] == stored.message_id and stored.message_id.startswith("msg_")
    assert headers["Content-Type"] == "application/json"
    assert payload["data"]["position"] == change.position
    with pytest.raises(Exception, match="signature"):
        Webhook("whsec_" + "A" * 32).verify(body, headers)
    assert (stored.state, stored.attempts, stored.last_status_code) == (DeliveryState.DELIVERED, 1, 200)


def test_only_the_subscribed_events_are_delivered(subscription, receiver):
    subscription.events = [WebhookEvent.CLAIM_STATUS_CHANGED, WebhookEvent.CLAIM_REMOVED]
    subscription.save()
    ChangeFactory(claim_slug="a", kind=ChangeKind.PUBLISHED)
    ChangeFactory(claim_slug="a", kind=ChangeKind.STATUS_CHANGED, status=Status.REFUTED)
    ChangeFactory(claim_slug="a", kind=ChangeKind.CHANGED)
    ChangeFactory(claim_slug="a", kind=ChangeKind.REMOVED, status="")
    send(subscription)
    assert [event["type"] for event in receiver.events()] == ["claim.status_changed", "claim.removed"]


def test_changes_to_statements_assessments_and_links_are_claim_changed_of_their_claim(subscription, receiver):
    for subject in (ChangeSubject.STATEMENT, ChangeSubject.ASSESSMENT, ChangeSubject.CLAIM_LINK):
        ChangeFactory(subject=subject, key="7", claim_slug="the-claim", kind=ChangeKind.PUBLISHED)
    send(subscription)
    events = receiver.events()
    assert [(e["type"], e["data"]["claim"], e["data"]["subject"]) for e in events] == [
        ("claim.changed", "the-claim", "statement"),
        ("claim.changed", "the-claim", "assessment"),
        ("claim.changed", "the-claim", "claim-link"),
    ]


def test_the_payload_says_what_the_stream_says_and_no_more(subscription, receiver, settings):
    settings.SITE_URL = "https://counterclaim.example.org"
    ChangeFactory(
        claim_slug="the-claim", kind=ChangeKind.STATUS_CHANGED, status="refuted", previous_status="disputed"
    )
    ChangeFactory(claim_slug="the-claim", kind=ChangeKind.REMOVED, status="")
    send(subscription)
    changed, removed = receiver.events()
    assert set(changed) == {"type", "timestamp", "data"}
    assert changed["data"] == {
        "claim": "the-claim",
        "url": "https://counterclaim.example.org/api/v1/claims/the-claim/",
        "subject": "claim",
        "status": "refuted",
        "previous_status": "disputed",
        "position": changed["data"]["position"],
    }
    # A removed claim is a tombstone: no address (the API answers 404 for it).
    assert removed["data"]["url"] is None and removed["data"]["status"] is None


def test_a_new_subscription_hears_nothing_from_before_it(db, httpserver, receiver):
    ChangeFactory(claim_slug="old-news")
    subscription = WebhookSubscriptionFactory(url=httpserver.url_for("/hook"))
    ChangeFactory(claim_slug="new")
    send(subscription)
    assert [event["data"]["claim"] for event in receiver.events()] == ["new"]


def test_dispatching_twice_makes_each_delivery_once(subscription):
    ChangeFactory.create_batch(3)
    assert dispatch() == 3
    assert dispatch() == 0
    subscription.refresh_from_db()
    assert WebhookDelivery.objects.count() == 3
    assert subscription.position == WebhookDelivery.objects.order_by("-position").first().position


def test_a_failed_delivery_is_retried_with_backoff_and_the_rest_wait_behind_it(subscription, receiver):
    receiver.status = 503
    ChangeFactory.create_batch(3)
    start = later()
    assert send(subscription, now=start) == 0
    first, *rest = WebhookDelivery.objects.in_order()
    assert (first.attempts, first.last_status_code, first.last_error) == (1, 503, "the endpoint answered 503")
    assert first.next_attempt_at == start + dt.timedelta(seconds=RETRY_DELAYS[0])
    assert all(d.attempts == 0 and d.state == DeliveryState.PENDING for d in rest)
    # Its retry is queued for then.
    retry = DBTaskResult.objects.filter(task_path__endswith="deliver_subscription").latest("enqueued_at")
    assert retry.run_after == first.next_attempt_at
    # Not due yet: nothing is sent.
    assert deliver(subscription.pk, now=start + dt.timedelta(seconds=5)) == 0
    assert WebhookDelivery.objects.get(pk=first.pk).attempts == 1
    # The second failure waits longer.
    deliver(subscription.pk, now=first.next_attempt_at)
    first.refresh_from_db()
    assert first.attempts == 2
    assert first.next_attempt_at == start + dt.timedelta(seconds=RETRY_DELAYS[0] + RETRY_DELAYS[1])


def test_after_the_last_attempt_the_subscription_is_disabled_with_the_reason(subscription, receiver):
    receiver.status = 503
    ChangeFactory.create_batch(2)
    now = later()
    dispatch(now)
    for _ in range(len(RETRY_DELAYS) + 1):
        deliver(subscription.pk, now=now)
        now = WebhookDelivery.objects.in_order().first().next_attempt_at
    subscription.refresh_from_db()
    first, second = WebhookDelivery.objects.in_order()
    assert (first.state, first.attempts) == (DeliveryState.FAILED, 9)
    assert (second.state, second.attempts) == (DeliveryState.PENDING, 0)
    assert first.last_attempt_at - first.first_attempt_at > dt.timedelta(hours=24)
    assert not subscription.is_active
    assert subscription.disabled_reason == "the endpoint answered 503 to 9 attempts over 28 h"
    assert subscription.disabled_at == first.last_attempt_at
    # A disabled subscription hears no more.
    ChangeFactory()
    assert send(subscription, now=now) == 0
    assert receiver.received == []


def test_a_private_address_is_refused_at_delivery_time_too(subscription, receiver, httpserver, settings):
    """A name that resolved to a public address when it was given can point at a
    private one later (DNS rebinding): the fetcher checks every delivery."""
    settings.CAPTURE_ALLOW_LOOPBACK = False
    WebhookSubscription.objects.filter(pk=subscription.pk).update(
        url=f"http://localhost:{httpserver.port}/hook"
    )
    ChangeFactory()
    send(subscription)
    subscription.refresh_from_db()
    assert not subscription.is_active
    assert subscription.disabled_reason.startswith("refused: address")
    assert "loopback" in subscription.disabled_reason
    assert receiver.received == []
    assert WebhookDelivery.objects.get().state == DeliveryState.FAILED


def test_a_redirect_is_not_followed_but_tried_again(db, httpserver):
    httpserver.expect_request("/moved", method="POST").respond_with_data(
        "", status=301, headers={"Location": "/hook"}
    )
    subscription = WebhookSubscriptionFactory(url=httpserver.url_for("/moved"))
    ChangeFactory()
    send(subscription)
    stored = WebhookDelivery.objects.get()
    assert (stored.state, stored.last_status_code, stored.attempts) == (DeliveryState.PENDING, 301, 1)
    assert len(httpserver.log) == 1


def test_a_receiver_down_for_an_hour_gets_every_event_in_order_once_back(subscription, receiver):
    receiver.status = 503
    now = later()
    # Edits keep coming while it is down: three claims, changes interleaved.
    for minute in range(0, 60, 5):
        for slug in ("a", "b", "c"):
            ChangeFactory(claim_slug=slug, kind=ChangeKind.CHANGED, key=slug)
        dispatch(now + dt.timedelta(minutes=minute))
        deliver(subscription.pk, now=now + dt.timedelta(minutes=minute))
    receiver.status = 200
    back = now + dt.timedelta(hours=1)
    head = WebhookDelivery.objects.in_order().first()
    assert head.next_attempt_at <= back + dt.timedelta(hours=2)
    deliver(subscription.pk, now=head.next_attempt_at)
    positions = [event["data"]["position"] for event in receiver.events()]
    assert len(positions) == 36
    assert positions == sorted(positions)
    for slug in ("a", "b", "c"):
        mine = [e["data"]["position"] for e in receiver.events() if e["data"]["claim"] == slug]
        assert mine == sorted(mine) and len(mine) == 12
    assert not WebhookDelivery.objects.pending().exists()
    subscription.refresh_from_db()
    assert subscription.is_active


def test_a_run_that_finds_another_worker_on_the_subscription_leaves_it_alone(subscription, receiver):
    ChangeFactory()
    dispatch()
    WebhookSubscription.objects.filter(pk=subscription.pk).update(
        delivering_until=dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
    )
    assert deliver(subscription.pk) == 0
    assert receiver.received == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_signal_queues_the_dispatch_and_the_worker_delivers(httpserver, receiver, monkeypatch):
    subscription = WebhookSubscriptionFactory(url=httpserver.url_for("/hook"))
    changes = [ChangeFactory(claim_slug=f"claim-{i}") for i in range(3)]
    changes_recorded.send(sender=None, positions=[c.position for c in changes])
    run_worker()
    assert [e["data"]["claim"] for e in receiver.events()] == ["claim-0", "claim-1", "claim-2"]
    assert (
        WebhookDelivery.objects.filter(subscription=subscription, state=DeliveryState.DELIVERED).count() == 3
    )
    assert delivery.MAX_ATTEMPTS == 9


def test_the_receiver_recipe_in_the_docs_verifies_a_delivery(subscription, receiver):
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "docs" / "api.md").read_text(), flags=re.S)
    [recipe] = [block for block in blocks if "webhook-signature" in block]
    namespace = {}
    exec(recipe, namespace)  # our own docs, run as written
    ChangeFactory()
    send(subscription)
    ((headers, body),) = receiver.received
    headers = {name.lower(): value for name, value in headers.items()}
    assert namespace["verify"](subscription.secret, headers, body)
    assert not namespace["verify"](subscription.secret, headers, body + b" ")


def test_many_edits_queue_one_dispatch_while_it_waits(subscription):
    for _ in range(3):
        changes_recorded.send(sender=None, positions=[ChangeFactory().position])
    assert DBTaskResult.objects.filter(task_path__endswith="dispatch_changes").count() == 1


def test_nothing_is_queued_without_an_active_subscription(db):
    changes_recorded.send(sender=None, positions=[ChangeFactory().position])
    assert not DBTaskResult.objects.exists()


def test_old_delivered_messages_are_pruned_and_the_rest_kept(subscription, receiver):
    ChangeFactory.create_batch(3)
    send(subscription)
    old, recent, waiting = WebhookDelivery.objects.in_order()
    WebhookDelivery.objects.filter(pk=old.pk).update(delivered_at=timezone.now() - dt.timedelta(days=31))
    WebhookDelivery.objects.filter(pk=waiting.pk).update(state=DeliveryState.PENDING, delivered_at=None)
    call_command("prune_webhook_deliveries", stdout=io.StringIO())
    assert set(WebhookDelivery.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
