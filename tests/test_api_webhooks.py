"""/api/v1/webhooks/: each signed-in API user manages their own webhook
subscriptions; the secret is shown once; a private address is refused; the
delivery log is paged, newest first, in a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims.models import WebhookDelivery, WebhookSubscription
from claims.vocabularies import DeliveryState
from claims.webhooks.dispatch import dispatch
from claims.webhooks.signing import secret_key

from .factories import ChangeFactory, UserFactory, WebhookSubscriptionFactory

pytestmark = pytest.mark.django_db

HOOK = "https://8.8.8.8/hook"  # a public address: no DNS lookup needed


def test_anonymous_users_have_no_webhooks(api_client):
    assert api_client.get("/api/v1/webhooks/").status_code == 401
    assert (
        api_client.post("/api/v1/webhooks/", {"url": HOOK, "events": ["claim.published"]}).status_code == 401
    )


def test_a_subscription_is_created_with_a_secret_shown_once(api_client_for):
    ChangeFactory()
    client = api_client_for("")
    response = client.post("/api/v1/webhooks/", {"url": HOOK, "events": ["claim.published", "claim.removed"]})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert len(secret_key(body["secret"])) == 24
    assert body["is_active"] is True and body["disabled_reason"] == ""
    assert body["position"] == 1  # from the stream's end on
    stored = WebhookSubscription.objects.get()
    assert stored.secret == body["secret"]
    again = client.get(body["api_url"]).json()
    assert "secret" not in again
    assert again["events"] == ["claim.published", "claim.removed"]
    assert client.get("/api/v1/webhooks/").json()["results"][0]["id"] == stored.pk


def test_a_secret_given_is_kept_and_a_bad_one_refused(api_client_for):
    client = api_client_for("Editor")
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    response = client.post("/api/v1/webhooks/", {"url": HOOK, "events": ["claim.changed"], "secret": secret})
    assert response.json()["secret"] == secret
    refused = client.post(
        "/api/v1/webhooks/", {"url": HOOK, "events": ["claim.changed"], "secret": "hunter2"}
    )
    assert refused.status_code == 400
    assert set(refused.json()["errors"]) == {"secret"}


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8000/hook", "http://10.0.0.5/hook", "http://169.254.169.254/latest", "ftp://8.8.8.8/"],
)
def test_a_private_or_loopback_url_is_refused_naming_url(api_client_for, url):
    response = api_client_for("").post("/api/v1/webhooks/", {"url": url, "events": ["claim.published"]})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"url"}
    assert not WebhookSubscription.objects.exists()


@pytest.mark.parametrize(
    "events", [[], ["claim.exploded"], ["claim.changed", "claim.changed"], "claim.changed"]
)
def test_bad_events_are_refused_naming_events(api_client_for, events):
    response = api_client_for("").post("/api/v1/webhooks/", {"url": HOOK, "events": events})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"events"}


def test_one_user_cannot_see_or_change_another_users_subscriptions(api_client_for):
    theirs = WebhookSubscriptionFactory(owner=UserFactory(username="someone-else"))
    client = api_client_for("Reviewer")
    assert client.get("/api/v1/webhooks/").json()["results"] == []
    for method in ("get", "patch", "delete"):
        assert getattr(client, method)(f"/api/v1/webhooks/{theirs.pk}/").status_code == 404
    assert client.get(f"/api/v1/webhooks/{theirs.pk}/deliveries/").status_code == 404
    assert client.post(f"/api/v1/webhooks/{theirs.pk}/enable/").status_code == 404
    assert WebhookSubscription.objects.filter(pk=theirs.pk).exists()


def test_an_owner_changes_and_deletes_a_subscription(api_client_for):
    client = api_client_for("")
    created = client.post("/api/v1/webhooks/", {"url": HOOK, "events": ["claim.published"]}).json()
    changed = client.patch(created["api_url"], {"events": ["claim.removed"]})
    assert changed.status_code == 200 and changed.json()["events"] == ["claim.removed"]
    assert "secret" not in changed.json()
    refused = client.patch(created["api_url"], {"url": "http://192.168.1.1/"})
    assert refused.status_code == 400 and set(refused.json()["errors"]) == {"url"}
    assert client.delete(created["api_url"]).status_code == 204
    assert not WebhookSubscription.objects.exists()


def test_the_delivery_log_is_newest_first_in_constant_queries(api_client_for):
    client = api_client_for("")
    subscription = WebhookSubscriptionFactory(owner=_owner(client))
    ChangeFactory.create_batch(3)
    dispatch()

    def log():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/api/v1/webhooks/{subscription.pk}/deliveries/")
        assert response.status_code == 200
        return response.json()["results"], len(queries)

    rows, few = log()
    assert [row["position"] for row in rows] == [3, 2, 1]
    assert rows[0]["state"] == "pending" and rows[0]["attempts"] == 0
    assert rows[0]["payload"]["data"]["position"] == 3
    ChangeFactory.create_batch(10)
    dispatch()
    rows, many = log()
    assert len(rows) == 13 and many == few


def _owner(client):
    from rest_framework.authtoken.models import Token

    key = client._credentials["HTTP_AUTHORIZATION"].split()[1]
    return Token.objects.get(key=key).user


def test_enabling_a_disabled_subscription_resumes_from_its_failed_delivery(api_client_for):
    client = api_client_for("")
    subscription = WebhookSubscriptionFactory(owner=_owner(client))
    ChangeFactory.create_batch(2)
    dispatch()
    first = WebhookDelivery.objects.in_order().first()
    WebhookDelivery.objects.filter(pk=first.pk).update(state=DeliveryState.FAILED, attempts=9)
    WebhookSubscription.objects.filter(pk=subscription.pk).update(
        is_active=False,
        disabled_reason="the endpoint answered 503 to 9 attempts over 28 h",
        disabled_at=first.created_at,
    )
    shown = client.get(f"/api/v1/webhooks/{subscription.pk}/").json()
    assert shown["is_active"] is False
    assert shown["disabled_reason"] == "the endpoint answered 503 to 9 attempts over 28 h"
    response = client.post(f"/api/v1/webhooks/{subscription.pk}/enable/")
    assert response.status_code == 200
    assert response.json()["is_active"] is True and response.json()["disabled_reason"] == ""
    first.refresh_from_db()
    assert (first.state, first.attempts) == (DeliveryState.PENDING, 0)


def test_the_api_root_and_the_schema_name_the_webhooks(api_client):
    assert api_client.get("/api/v1/").json()["webhooks"] == "http://testserver/api/v1/webhooks/"
    schema = api_client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert {"/api/v1/webhooks/", "/api/v1/webhooks/{id}/enable/", "/api/v1/webhooks/{id}/deliveries/"} <= set(
        schema["paths"]
    )


def test_a_user_has_at_most_the_allowed_number_of_subscriptions(api_client_for, settings):
    settings.WEBHOOK_MAX_SUBSCRIPTIONS = 2
    client = api_client_for("")
    for _ in range(2):
        assert (
            client.post("/api/v1/webhooks/", {"url": HOOK, "events": ["claim.published"]}).status_code == 201
        )
    refused = client.post("/api/v1/webhooks/", {"url": HOOK, "events": ["claim.published"]})
    assert refused.status_code == 400 and set(refused.json()["errors"]) == {"url"}


def test_dropping_an_event_withdraws_its_deliveries_not_yet_made(api_client_for):
    client = api_client_for("Editor")
    created = client.post("/api/v1/webhooks/", {"url": HOOK, "events": ["claim.published", "claim.removed"]})
    subscription = WebhookSubscription.objects.get(pk=created.json()["id"])
    ChangeFactory(claim_slug="kept")
    ChangeFactory(claim_slug="gone-before", kind="removed")
    dispatch()
    published, removed = subscription.deliveries.order_by("position")
    WebhookDelivery.objects.filter(pk=published.pk).update(
        state=DeliveryState.DELIVERED, delivered_at=timezone.now()
    )
    ChangeFactory(claim_slug="waiting")
    dispatch()

    response = client.patch(created.json()["api_url"], {"events": ["claim.removed"]}, format="json")
    assert response.status_code == 200, response.json()
    left = subscription.deliveries.order_by("position")
    assert [(d.claim_slug, d.event_type) for d in left] == [
        ("kept", "claim.published"),
        ("gone-before", "claim.removed"),
    ]
