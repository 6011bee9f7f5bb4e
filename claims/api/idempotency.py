"""`Idempotency-Key`: a retried write returns the first answer instead of
writing twice.

A POST sent with the header (any string of 1 to 255 printable characters,
a UUID for instance) is remembered with its answer for IDEMPOTENCY_RETENTION
(24 hours), per user. The same key again, with the same method, path and body,
gets the same status and body back (and `Idempotent-Replayed: true`), and
nothing is written; with another body it is a 422. Only stored results are
remembered: a refused request (4xx) stores nothing, not even the key, so the
client can correct it and send it again under the same key.

The key row is inserted in the same transaction as the write: a second request
with the key, arriving while the first is still running, waits on the unique
constraint, then replays the first's answer (or, if the first failed, runs).
`manage.py prune_idempotency_keys` deletes expired keys.
"""

import hashlib
import json
from functools import wraps

from django.db import IntegrityError, transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from claims.models import IdempotencyKey

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description="Any unique string (a UUID): a retry with the same key and body returns the first "
    "answer and writes nothing; the same key with another body is a 422. Kept 24 hours.",
)


class IdempotencyKeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"
    default_detail = (
        "This Idempotency-Key was sent with another request in the last 24 hours: "
        "a new request needs a new key."
    )


def request_hash(request):
    body = json.dumps(request.data, cls=JSONEncoder, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def clean_key(value):
    key = value.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise exceptions.ValidationError(
            {HEADER: [f"Give a key of 1 to {MAX_KEY_LENGTH} printable characters (a UUID, say)."]}
        )
    return key


def replay(stored, fingerprint):
    if stored.request_hash != fingerprint:
        raise IdempotencyKeyReused()
    headers = {"Idempotent-Replayed": "true"}
    if stored.response_location:
        headers["Location"] = stored.response_location
    return Response(stored.response_body, status=stored.response_status, headers=headers)


def idempotent(method):
    """For a viewset action that writes: honour the Idempotency-Key header."""

    @wraps(method)
    def wrapper(view, request, *args, **kwargs):
        header = request.headers.get(HEADER)
        if header is None or not request.user.is_authenticated:
            return method(view, request, *args, **kwargs)
        key = clean_key(header)
        fingerprint = request_hash(request)
        keys = IdempotencyKey.objects.filter(user=request.user, key=key)
        with transaction.atomic():
            keys.expired().delete()
            stored = keys.first()
            if stored is None:
                try:
                    with transaction.atomic():
                        stored = IdempotencyKey.objects.create(
                            user=request.user, key=key, request_hash=fingerprint, response_status=0
                        )
                except IntegrityError:
                    # A request with this key committed meanwhile: its answer.
                    return replay(keys.get(), fingerprint)
            else:
                return replay(stored, fingerprint)
            response = method(view, request, *args, **kwargs)
            stored.response_status = response.status_code
            stored.response_body = json.loads(JSONRenderer().render(response.data) or b"null")
            stored.response_location = response.headers.get("Location", "")
            stored.save(update_fields=["response_status", "response_body", "response_location"])
        return response

    wrapper.idempotent = True
    return wrapper
