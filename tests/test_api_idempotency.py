"""Idempotency-Key: a retried POST returns the first answer and writes nothing."""

import datetime as dt
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from claims.models import Claim, IdempotencyKey, Statement

from .mh17 import COUNTS, mh17_claim_sets

CLAIMS = "/api/v1/claims/"
BODY = {"text": "Finland becomes NATO's 31st member.", "first_claimed_on": "2023-04-03"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_requests_with_one_key_create_one_claim(api_client_for):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    api_client_for("Editor")
    token = Token.objects.get().key
    body = mh17_claim_sets()[0]
    answers = []
    start = threading.Barrier(2)

    def post():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        start.wait()
        try:
            body_copy = {**body, "is_published": False}
            body_copy["assessments"] = []
            answers.append(client.post(CLAIMS, body_copy, format="json", HTTP_IDEMPOTENCY_KEY="race"))
        finally:
            from django.db import connection as thread_connection

            thread_connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answer.status_code for answer in answers) == [201, 201]
    assert answers[0].json() == answers[1].json()
    assert Claim.objects.count() == 1


def test_a_retry_with_the_same_key_returns_the_first_answer_and_creates_nothing(api_client_for, db):
    client = api_client_for("Editor")
    first = client.post(CLAIMS, BODY, format="json", HTTP_IDEMPOTENCY_KEY="key-1")
    again = client.post(CLAIMS, BODY, format="json", HTTP_IDEMPOTENCY_KEY="key-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Location"] == first["Location"]
    assert again["Idempotent-Replayed"] == "true"
    assert Claim.objects.count() == 1


def test_without_a_key_a_retry_is_a_second_claim(api_client_for, db):
    client = api_client_for("Editor")
    client.post(CLAIMS, BODY, format="json")
    client.post(CLAIMS, BODY, format="json")
    assert Claim.objects.count() == 2


def test_the_same_key_with_another_body_is_a_422_saying_so(api_client_for, db):
    client = api_client_for("Editor")
    client.post(CLAIMS, BODY, format="json", HTTP_IDEMPOTENCY_KEY="key-1")
    response = client.post(
        CLAIMS, {**BODY, "text": "Another claim."}, format="json", HTTP_IDEMPOTENCY_KEY="key-1"
    )
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert "another request" in response.json()["detail"]
    assert Claim.objects.count() == 1


def test_keys_belong_to_their_user(api_client_for, db):
    api_client_for("Editor").post(CLAIMS, BODY, format="json", HTTP_IDEMPOTENCY_KEY="shared")
    response = api_client_for("Reviewer").post(CLAIMS, BODY, format="json", HTTP_IDEMPOTENCY_KEY="shared")
    assert response.status_code == 201
    assert Claim.objects.count() == 2


def test_a_refused_request_keeps_no_key_so_the_corrected_one_goes_through(api_client_for, db):
    client = api_client_for("Editor")
    bad = client.post(CLAIMS, {"text": ""}, format="json", HTTP_IDEMPOTENCY_KEY="key-1")
    assert bad.status_code == 400
    assert not IdempotencyKey.objects.exists()
    good = client.post(CLAIMS, BODY, format="json", HTTP_IDEMPOTENCY_KEY="key-1")
    assert good.status_code == 201


@pytest.mark.parametrize("key", ["", " ", "x" * 256, "tab\there"])
def test_a_bad_key_is_a_400_naming_the_header(api_client_for, db, key):
    response = api_client_for("Editor").post(CLAIMS, BODY, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["Idempotency-Key"]
    assert Claim.objects.count() == 0


def test_a_key_older_than_a_day_is_forgotten_and_pruned(api_client_for, db):
    client = api_client_for("Editor")
    client.post(CLAIMS, BODY, format="json", HTTP_IDEMPOTENCY_KEY="old")
    IdempotencyKey.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))
    assert client.post(CLAIMS, BODY, format="json", HTTP_IDEMPOTENCY_KEY="old").status_code == 201
    assert Claim.objects.count() == 2
    IdempotencyKey.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))
    client.post(CLAIMS, {**BODY, "text": "Fresh."}, format="json", HTTP_IDEMPOTENCY_KEY="fresh")
    call_command("prune_idempotency_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["fresh"]


def test_a_key_younger_than_a_day_is_kept_by_the_prune(api_client_for, db):
    api_client_for("Editor").post(CLAIMS, BODY, format="json", HTTP_IDEMPOTENCY_KEY="recent")
    IdempotencyKey.objects.update(created_at=timezone.now() - dt.timedelta(hours=23))
    call_command("prune_idempotency_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert IdempotencyKey.objects.count() == 1


def test_a_retried_mh17_bulk_request_creates_nothing(api_client_for, db):
    client = api_client_for("Reviewer")
    first = client.post("/api/v1/claims/bulk/", mh17_claim_sets(), format="json", HTTP_IDEMPOTENCY_KEY="mh17")
    again = client.post("/api/v1/claims/bulk/", mh17_claim_sets(), format="json", HTTP_IDEMPOTENCY_KEY="mh17")
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert Claim.objects.count() == COUNTS["claims"]
    assert Statement.objects.count() == COUNTS["statements"]


def test_a_retried_nested_post_creates_nothing(api_client_for, db):
    client = api_client_for("Reviewer")
    body = mh17_claim_sets()[0]
    first = client.post(CLAIMS, body, format="json", HTTP_IDEMPOTENCY_KEY="one")
    again = client.post(CLAIMS, body, format="json", HTTP_IDEMPOTENCY_KEY="one")
    assert (first.status_code, again.status_code) == (201, 201)
    assert Claim.objects.count() == 1 and Statement.objects.count() == 3
