#!/usr/bin/env python3
"""Webhook delivery throughput: N deliveries (CHANGES changes of the public
change stream, each for each of SUBSCRIPTIONS subscriptions) queued, then 2
`manage.py db_worker --batch` processes started at once and timed until both
exit; deliveries per second = delivered / seconds.

    python -m bench.webhooks --database-url postgres://.../cc_bench_2000 [--deliveries 4000] [--workers 2]

The receiver is a ThreadingHTTPServer on 127.0.0.1 (an ephemeral port, in a
thread of this process) that checks every delivery's Standard Webhooks
signature, answers 204, and notes the order each subscription's events came
in. Each subscription's deliveries are sent one at a time in stream order
(claims/webhooks/delivery.py), so the two workers share the work by
subscription: 4 subscriptions keep both busy. Everything goes through the
app's own path: `dispatch` turns the Change rows into deliveries and queues a
`deliver_subscription` task per subscription on the "webhooks" queue; the
workers POST through claims/capture/fetcher.py with CAPTURE_ALLOW_LOOPBACK=1.
Its own scratch database (the bench database's name with `_webhooks`),
dropped at the end.
"""

import argparse
import contextlib
import hmac
import http.server
import json
import os
import sys
import threading

from bench.capture_rate import _manage, _query, _recreate, capture_database_url, run_workers
from claims.webhooks import signing

HOST = "127.0.0.1"
NAME = "webhook_deliveries"
LABEL = "webhook deliveries ({workers} workers)"
TARGET_PER_S = 100
SUFFIX = "_webhooks"
SUBSCRIPTIONS = 4

SETUP = """
import json
from django.contrib.auth import get_user_model
from claims.models import Change
from claims.vocabularies import WebhookEvent
from claims.webhooks.dispatch import dispatch
from claims.webhooks.subscriptions import subscribe
user = get_user_model().objects.create(username="bench-webhooks")
subscriptions = [
    subscribe(user, "{base}/hook/%d" % i, list(WebhookEvent.values)) for i in range({subscriptions})
]
Change.objects.bulk_create(
    Change(position=i + 1, subject="claim", key="claim-%d" % (i % 50), claim_slug="claim-%d" % (i % 50),
           kind="changed", status="unverified")
    for i in range({changes})
)
secrets = {{s.url.rsplit("/", 1)[1]: s.secret for s in subscriptions}}
print("SETUP " + json.dumps({{"made": dispatch(), "secrets": secrets}}))
"""

FIGURES = """
SELECT
    (SELECT count(*) FROM claims_webhookdelivery),
    (SELECT count(*) FROM claims_webhookdelivery WHERE state = 'delivered'),
    (SELECT count(*) FROM claims_webhookdelivery WHERE attempts > 1),
    (SELECT extract(epoch FROM max(delivered_at) - min(first_attempt_at)) FROM claims_webhookdelivery)
"""


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        subscription = self.path.rsplit("/", 1)[1]
        secret = self.server.secrets.get(subscription)
        expected = secret and signing.signature(
            secret, self.headers["webhook-id"], self.headers["webhook-timestamp"], body
        )
        good = bool(expected) and hmac.compare_digest(expected, self.headers.get("webhook-signature", ""))
        with self.server.lock:
            if good:
                self.server.positions.setdefault(subscription, []).append(
                    json.loads(body)["data"]["position"]
                )
            else:
                self.server.bad_signatures += 1
        self.send_response(204 if good else 401)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def receiver():
    server = http.server.ThreadingHTTPServer((HOST, 0), _Handler)
    server.daemon_threads = True
    server.lock = threading.Lock()
    server.positions, server.secrets, server.bad_signatures = {}, {}, 0
    thread = threading.Thread(target=server.serve_forever, name="bench-webhook-receiver", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def measure(
    database_url, deliveries, *, workers=2, redis_url=None, overrides=None, log=print, keep_database=False
):
    from bench.run import production_env

    scratch_url = capture_database_url(database_url, SUFFIX)
    env = production_env(scratch_url, redis_url or os.environ.get("REDIS_URL", ""), overrides)
    env.update(CAPTURE_ALLOW_LOOPBACK="1", CAPTURE_ON_SAVE="0")
    changes = max(1, deliveries // SUBSCRIPTIONS)
    try:
        _recreate(scratch_url)
        _manage(env, "migrate", "--noinput", "-v0")
        with receiver() as server:
            base = f"http://{HOST}:{server.server_port}"
            label = LABEL.format(workers=workers)
            log(f"{label}: {changes} changes × {SUBSCRIPTIONS} subscriptions to {base}")
            out = _manage(
                env,
                "shell",
                "--no-imports",
                "-c",
                SETUP.format(base=base, subscriptions=SUBSCRIPTIONS, changes=changes),
            )
            setup = json.loads(next(line for line in out.splitlines() if line.startswith("SETUP "))[6:])
            server.secrets.update(setup["secrets"])
            seconds, cpu, codes, errors = run_workers(
                env, workers, timeout=max(120, deliveries // 10), queue="webhooks"
            )
            positions, bad = dict(server.positions), server.bad_signatures
        made, delivered, retried, busy = _query(scratch_url, FIGURES)[0]
    finally:
        if not keep_database:
            _recreate(scratch_url, drop_only=True)
    received = sum(len(p) for p in positions.values())
    result = {
        "status": "ok",
        "label": LABEL.format(workers=workers),
        "deliveries": made,
        "subscriptions": SUBSCRIPTIONS,
        "workers": workers,
        "seconds": round(seconds, 2),
        "deliveries_per_s": round(delivered / seconds, 1) if seconds else 0.0,
        # From the first try to the last delivery: without the workers' start-up.
        "busy_deliveries_per_s": round(delivered / float(busy), 1) if busy else None,
        "worker_cpu_ms_per_delivery": round(cpu * 1000 / made, 2) if made else None,
        "delivered": delivered,
        "received": received,
        "retried": retried,
        "bad_signatures": bad,
        "in_order": all(p == sorted(p) for p in positions.values()),
        "worker_exit_codes": codes,
        "target_per_s": TARGET_PER_S,
    }
    if any(code != 0 for code in codes):
        result["worker_errors"] = [error for error in errors if error]
    return result


def problems(result):
    """What is wrong with the row: correctness, never speed."""
    if result.get("status") != "ok":
        yield f"{NAME}: {result.get('status')} {result.get('detail', '')}".rstrip()
        return
    made = result.get("deliveries")
    if not made:
        yield f"{NAME}: no delivery was made"
    for figure in ("delivered", "received"):
        if result.get(figure) != made:
            yield f"{NAME}: {figure} = {result.get(figure)} for {made} deliveries"
    if result.get("bad_signatures"):
        yield f"{NAME}: {result['bad_signatures']} bad signatures"
    if not result.get("in_order"):
        yield f"{NAME}: a subscription's events came out of order"
    if any(code != 0 for code in result.get("worker_exit_codes", [])):
        errors = result.get("worker_errors", "")
        yield f"{NAME}: worker exit codes {result['worker_exit_codes']} {errors}".rstrip()


def under_target(result):
    rate = result.get("deliveries_per_s")
    if result.get("status") == "ok" and isinstance(rate, int | float) and rate < TARGET_PER_S:
        return f"{NAME}: {rate} deliveries/s is under the {TARGET_PER_S}/s target"
    return None


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url", required=True, help="the bench database (the row uses <name>_webhooks)"
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", ""))
    parser.add_argument("--deliveries", type=int, default=4000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep-database", action="store_true")
    args = parser.parse_args()
    result = measure(
        args.database_url,
        args.deliveries,
        workers=args.workers,
        redis_url=args.redis_url,
        log=lambda message: print(f"[bench] {message}", file=sys.stderr, flush=True),
        keep_database=args.keep_database,
    )
    print("WEBHOOKJSON " + json.dumps(result))
    for problem in problems(result):
        print(f"problem: {problem}", file=sys.stderr)


if __name__ == "__main__":
    main()
