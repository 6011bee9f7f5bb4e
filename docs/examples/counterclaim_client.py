"""An example Counterclaim client: enter a claim set in one call, keep a mirror true.

It needs only `requests` and the standard library. Three commands:

    python counterclaim_client.py enter claim_set.json --base https://counterclaim.example.org --token TOKEN
    python counterclaim_client.py sync --base https://counterclaim.example.org --state mirror.json
    python counterclaim_client.py follow --base https://counterclaim.example.org --state mirror.json \
        --token TOKEN --public-url https://mirror.example.net/hook --port 8787

`enter` sends one claim set (a claim with its statements, sources, assessments
and links) in one POST, with an Idempotency-Key, so a retry after a network
error cannot make a second claim. `sync` brings the mirror up to date from the
change stream (`GET /api/v1/changes/`) and stores where it stopped. `follow`
subscribes a webhook, receives signed deliveries (Standard Webhooks) and syncs
on each: the webhook says "something changed", the stream says what, in order,
so a lost or repeated delivery cannot leave the mirror wrong.

docs/api.md explains the API; tests/test_example_client.py runs this file
against a live test server.
"""

import argparse
import base64
import hashlib
import hmac
import json
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import requests

TIMEOUT = 30  # seconds, for every request
EVENTS = ("claim.published", "claim.changed", "claim.status_changed", "claim.removed")


class ApiError(Exception):
    def __init__(self, response):
        self.status = response.status_code
        try:
            self.body = response.json()
        except ValueError:
            self.body = {"detail": response.text[:500]}
        super().__init__(f"{response.request.method} {response.url}: {self.status} {self.body}")


class Counterclaim:
    """The API at `base_url`, read anonymously or with a token."""

    def __init__(self, base_url, token=None):
        self.api = base_url.rstrip("/") + "/api/v1/"
        self.http = requests.Session()
        self.http.headers["Accept"] = "application/json"
        if token:
            self.http.headers["Authorization"] = f"Token {token}"

    def get(self, url, **params):
        response = self.http.get(url, params=params or None, timeout=TIMEOUT)
        if response.status_code != 200:
            raise ApiError(response)
        return response.json()

    def enter_claim_set(self, claim_set, idempotency_key=None, attempts=3):
        """POST one claim set; retried on network errors with the same key, so
        the server stores it once and answers every retry with the same claim."""
        key = idempotency_key or str(uuid.uuid4())
        for attempt in range(attempts):
            try:
                response = self.http.post(
                    self.api + "claims/", json=claim_set, headers={"Idempotency-Key": key}, timeout=TIMEOUT
                )
            except requests.ConnectionError:
                if attempt == attempts - 1:
                    raise
                time.sleep(2**attempt)
                continue
            if response.status_code != 201:
                raise ApiError(response)
            return response.json()

    def subscribe(self, url, events=EVENTS):
        """Register a webhook; the answer holds the signing secret, shown once."""
        subscription = {"url": url, "events": list(events)}
        response = self.http.post(self.api + "webhooks/", json=subscription, timeout=TIMEOUT)
        if response.status_code != 201:
            raise ApiError(response)
        return response.json()


class Mirror:
    """A local copy of what readers see: every claim, statement, assessment and
    claim link as the API shows it, kept by following the change stream from
    the last position (stored with the rows, so a restart resumes there)."""

    def __init__(self, client, state_path=None):
        self.client = client
        self.state_path = Path(state_path) if state_path else None
        self.position = 0
        self.rows = {}  # "subject key" -> the API's representation
        self.lock = threading.Lock()
        if self.state_path and self.state_path.exists():
            state = json.loads(self.state_path.read_text())
            self.position, self.rows = state["position"], state["rows"]

    def sync(self):
        """Read the stream from our position to its head; return how many entries."""
        with self.lock:
            seen = 0
            url = self.client.api + f"changes/?since={self.position}"
            while url:
                page = self.client.get(url)
                latest = {}  # a row changed twice in one page is read once
                for change in page["results"]:
                    latest[f"{change['subject']} {change['key']}"] = change
                for name, change in latest.items():
                    if change["removed"]:
                        self.rows.pop(name, None)
                        continue
                    response = self.client.http.get(change["url"], timeout=TIMEOUT)
                    if response.status_code == 404:  # removed since: its tombstone comes later
                        self.rows.pop(name, None)
                    elif response.status_code == 200:
                        self.rows[name] = response.json()
                    else:
                        raise ApiError(response)
                if page["results"]:
                    self.position = page["results"][-1]["position"]
                    seen += len(page["results"])
                    self.save()  # after each page: a crash re-reads at most one page
                url = page["next"]
            return seen

    def save(self):
        if self.state_path:
            temporary = self.state_path.with_suffix(".tmp")
            temporary.write_text(json.dumps({"position": self.position, "rows": self.rows}))
            temporary.replace(self.state_path)

    def claims(self):
        return {name.split(" ", 1)[1]: row for name, row in self.rows.items() if name.startswith("claim ")}


def verify_webhook(secret, headers, body, tolerance=300, now=None):
    """Standard Webhooks: HMAC-SHA256 over "id.timestamp.body" with the
    base64 secret after `whsec_`; the timestamp within `tolerance` seconds."""
    try:
        message_id = headers["webhook-id"]
        timestamp = int(headers["webhook-timestamp"])
        signatures = headers["webhook-signature"].split()
    except (KeyError, ValueError) as error:
        raise ValueError(f"not a signed webhook: {error}") from None
    if abs((now or time.time()) - timestamp) > tolerance:
        raise ValueError("timestamp too old or too new")
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{message_id}.{timestamp}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    if not any(
        version == "v1" and hmac.compare_digest(expected, signature)
        for version, _, signature in (item.partition(",") for item in signatures)
    ):
        raise ValueError("signature does not match")
    return json.loads(body)


def webhook_receiver(mirror, secret=None, host="127.0.0.1", port=0):
    """An HTTP server that checks each delivery's signature and syncs the
    mirror. Its port is open at once, so it can be subscribed before it
    serves; set `.secret` from the subscription, then `serve_forever()`."""

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {name.lower(): value for name, value in self.headers.items()}
            try:
                event = verify_webhook(self.server.secret, headers, body)
            except ValueError as error:
                self.send_response(400)
                self.end_headers()
                self.wfile.write(str(error).encode())
                return
            self.send_response(204)
            self.end_headers()
            self.server.events.append(event)
            mirror.sync()

        def log_message(self, format, *args):  # quiet
            pass

    server = ThreadingHTTPServer((host, port), Receiver)
    server.daemon_threads = False  # server_close() waits for a sync under way
    server.secret, server.events = secret, []
    return server


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, help="the site, e.g. https://counterclaim.example.org")
    parser.add_argument("--token", help="an API token (enter, follow)")
    commands = parser.add_subparsers(dest="command", required=True)
    enter = commands.add_parser("enter", help="send one claim set (a JSON file)")
    enter.add_argument("file")
    enter.add_argument("--key", help="Idempotency-Key (default: a new one)")
    sync = commands.add_parser("sync", help="bring the mirror up to date")
    sync.add_argument("--state", default="mirror.json")
    follow = commands.add_parser("follow", help="subscribe a webhook and sync on each delivery")
    follow.add_argument("--state", default="mirror.json")
    follow.add_argument("--public-url", required=True, help="where the server can reach this receiver")
    follow.add_argument("--port", type=int, default=8787)
    options = parser.parse_args(argv)

    client = Counterclaim(options.base, options.token)
    if options.command == "enter":
        claim = client.enter_claim_set(json.loads(Path(options.file).read_text()), options.key)
        print(f"stored {claim['slug']}: {claim['url']}")
    elif options.command == "sync":
        mirror = Mirror(client, options.state)
        print(f"{mirror.sync()} changes read; {len(mirror.claims())} claims at position {mirror.position}")
    else:
        mirror = Mirror(client, options.state)
        mirror.sync()
        server = webhook_receiver(mirror, host="0.0.0.0", port=options.port)
        subscription = client.subscribe(options.public_url)
        server.secret = subscription["secret"]
        mirror.sync()  # what changed while subscribing
        print(f"subscription {subscription['id']}; listening on :{options.port}", file=sys.stderr)
        server.serve_forever()


if __name__ == "__main__":
    main()
