"""Standard Webhooks signatures (https://www.standardwebhooks.com/).

A secret is `whsec_` and the base64 of a random key (24 bytes when we make
it). Each try of a message carries `webhook-id` (the message id, the same
on every try), `webhook-timestamp` (the try's time, Unix seconds) and
`webhook-signature`: `v1,` and the base64 of HMAC-SHA256 with the key over
`{id}.{timestamp}.{body}`. A receiver recomputes it (docs/api.md has a recipe).
"""

import base64
import binascii
import hashlib
import hmac
import secrets

PREFIX = "whsec_"
KEY_BYTES = 24
MIN_KEY_BYTES, MAX_KEY_BYTES = 24, 64


def new_secret():
    return PREFIX + base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()


def secret_key(secret):
    """The key bytes of `secret`, or ValueError saying what is wrong with it."""
    if not secret.startswith(PREFIX):
        raise ValueError(f"A secret starts with {PREFIX}.")
    try:
        key = base64.b64decode(secret.removeprefix(PREFIX), validate=True)
    except (binascii.Error, ValueError) as error:
        raise ValueError(f"A secret is {PREFIX} and a base64 key.") from error
    if not MIN_KEY_BYTES <= len(key) <= MAX_KEY_BYTES:
        raise ValueError(f"A secret's key is {MIN_KEY_BYTES} to {MAX_KEY_BYTES} bytes.")
    return key


def new_message_id():
    return "msg_" + secrets.token_hex(12)


def signature(secret, message_id, timestamp, body):
    """`v1,<base64>` for `body` (bytes) sent as `message_id` at `timestamp` (Unix seconds)."""
    signed = f"{message_id}.{int(timestamp)}.".encode() + body
    digest = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signed_headers(secret, message_id, timestamp, body):
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(timestamp)),
        "webhook-signature": signature(secret, message_id, timestamp, body),
    }
