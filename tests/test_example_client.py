"""The example client in docs/examples/ works against a live server: it
enters a claim set in one call (a retry with its key stores nothing more),
and a mirror that follows the change stream, nudged by signed webhook
deliveries, ends equal to the public API after publishes, edits,
unpublishes and deletes."""

import importlib.util
import threading
from pathlib import Path

import pytest
import requests
from django.apps import apps
from rest_framework.authtoken.models import Token

from claims.models import Claim, WebhookDelivery
from claims.roles import ensure_roles
from claims.vocabularies import DeliveryState

from .capture_support import run_worker
from .factories import UserFactory
from .mh17 import JIT_FINDING, SU25, mh17_claim_sets
from .mirror_support import public_api as listed_rows

CLIENT = Path(__file__).resolve().parent.parent / "docs" / "examples" / "counterclaim_client.py"


@pytest.fixture(scope="module")
def example():
    spec = importlib.util.spec_from_file_location("counterclaim_client", CLIENT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def reviewer_token(transactional_db):
    ensure_roles(apps)  # a transactional test before may have emptied the roles
    return Token.objects.create(user=UserFactory(username="newsroom-tool", role="Reviewer")).key


class Anonymous:
    """A reader of the live server, as `mirror_support.public_api` asks."""

    def __init__(self, live_server):
        self.base = live_server.url

    def get(self, url):
        return requests.get(url if url.startswith("http") else self.base + url, timeout=30)


def public_api(live_server):
    """{"subject key": detail} of everything a reader can list, read anonymously."""
    return {
        f"{subject} {key}": detail for (subject, key), detail in listed_rows(Anonymous(live_server)).items()
    }


def test_one_claim_set_in_one_call_and_a_retry_stores_nothing_more(example, live_server, reviewer_token):
    client = example.Counterclaim(live_server.url, reviewer_token)
    first = client.enter_claim_set(mh17_claim_sets()[0], idempotency_key="mh17-jit")
    again = client.enter_claim_set(mh17_claim_sets()[0], idempotency_key="mh17-jit")

    assert first["slug"] == again["slug"] == JIT_FINDING
    assert Claim.objects.count() == 1
    assert sum(len(rows) for rows in first["statements"].values()) == 3


def test_a_bad_claim_set_raises_with_the_failing_path(example, live_server, reviewer_token):
    client = example.Counterclaim(live_server.url, reviewer_token)
    claim_set = mh17_claim_sets()[0]
    claim_set["statements"][1]["sources"][0]["url"] = "not a url"

    with pytest.raises(example.ApiError) as refused:
        client.enter_claim_set(claim_set)
    assert refused.value.status == 400
    assert "statements[1].sources[0].url" in refused.value.body["errors"]
    assert not Claim.objects.exists()


def test_a_mirror_resumes_from_its_stored_position(example, live_server, reviewer_token, tmp_path):
    client = example.Counterclaim(live_server.url, reviewer_token)
    for claim_set in mh17_claim_sets()[:2]:
        client.enter_claim_set(claim_set)
    state = tmp_path / "mirror.json"
    first = example.Mirror(example.Counterclaim(live_server.url), state)
    assert first.sync() > 0

    requests.patch(
        f"{live_server.url}/api/v1/claims/{SU25}/",
        json={"is_published": False},
        headers={"Authorization": f"Token {reviewer_token}"},
        timeout=30,
    ).raise_for_status()
    resumed = example.Mirror(example.Counterclaim(live_server.url), state)
    assert resumed.position == first.position
    resumed.sync()

    assert resumed.rows == public_api(live_server)
    assert SU25 not in resumed.claims()


def test_a_mirror_nudged_by_webhooks_ends_equal_to_the_public_api(
    example, live_server, reviewer_token, tmp_path, settings
):
    settings.CAPTURE_ALLOW_LOOPBACK = True  # the receiver listens on 127.0.0.1
    client = example.Counterclaim(live_server.url, reviewer_token)
    mirror = example.Mirror(example.Counterclaim(live_server.url), tmp_path / "mirror.json")
    mirror.sync()
    receiver = example.webhook_receiver(mirror)
    subscription = client.subscribe(f"http://127.0.0.1:{receiver.server_port}/hook")
    receiver.secret = subscription["secret"]
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    try:
        for claim_set in mh17_claim_sets():
            client.enter_claim_set(claim_set)
        draft = {
            "slug": "a-draft-claim",
            "text": "A claim still being checked.",
            "is_published": False,
            "statements": [
                {"actor": "joint-investigation-team", "stance": "asserts", "stated_on": "2016-09-28"}
            ],
        }
        client.enter_claim_set(draft)
        headers = {"Authorization": f"Token {reviewer_token}"}
        api = f"{live_server.url}/api/v1/claims/"
        requests.patch(
            f"{api}{SU25}/", json={"is_published": False}, headers=headers, timeout=30
        ).raise_for_status()
        requests.delete(f"{api}{JIT_FINDING}/", headers=headers, timeout=30).raise_for_status()
        run_worker()
    finally:
        receiver.shutdown()
        receiver.server_close()

    deliveries = WebhookDelivery.objects.filter(subscription_id=subscription["id"])
    assert deliveries.exists()
    assert set(deliveries.values_list("state", flat=True)) == {DeliveryState.DELIVERED}
    assert {event["data"]["claim"] for event in receiver.events} >= {JIT_FINDING, SU25}
    assert "a-draft-claim" not in {event["data"]["claim"] for event in receiver.events}
    assert mirror.rows == public_api(live_server)
    assert JIT_FINDING not in mirror.claims() and SU25 not in mirror.claims()
    assert len(mirror.claims()) == 2


def test_a_delivery_with_a_wrong_signature_is_refused(example):
    with pytest.raises(ValueError, match="signature"):
        example.verify_webhook(
            "whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldY",
            {"webhook-id": "msg_1", "webhook-timestamp": "1000", "webhook-signature": "v1,AAAA"},
            b"{}",
            now=1000,
        )
