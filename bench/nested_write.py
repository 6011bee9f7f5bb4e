#!/usr/bin/env python3
"""Nested write time: `POST /api/v1/claims/` of a claim with 20 statements and
50 new sources (each statement citing 5; new actors inline), timed in-process
(the Django test client, production settings, PostgreSQL) in a scratch
database of its own; prints the median and the slowest run as JSON. Target:
under 150 ms (a note when over, never a failure: docs/performance.md).

    python -m bench.nested_write --database-url postgres://.../cc_bench_10000 [--runs 20]
"""

import argparse
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
NAME = "nested_claim_set"
LABEL = "POST a claim with 20 statements and 50 sources (in-process)"
TARGET_MS = 150
SCRATCH = "cc_bench_nested"
STATEMENTS, SOURCES, SOURCES_PER_STATEMENT = 20, 50, 5

TIMING = """
import json, statistics, time
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

user, _ = get_user_model().objects.get_or_create(username="bench-editor")
user.groups.add(Group.objects.get(name="Editor"))
client = APIClient()
client.credentials(HTTP_AUTHORIZATION="Token " + Token.objects.get_or_create(user=user)[0].key)


def body(run):
    return {{
        "text": f"Bench claim set {{run}}: who said what about the bridge.",
        "statements": [
            {{
                "actor": {{"name": f"Bench speaker {{run}}-{{n}}", "kind": "person"}},
                "stance": "asserts" if n % 2 else "denies",
                "stated_on": "2024-05-01",
                "summary": "What they said, in our words.",
                "sources": [
                    {{"url": f"https://news.example.org/{{run}}/{{(n * {per} + k) % {sources}}}",
                      "title": f"Report {{(n * {per} + k) % {sources}}}", "how": "reported"}}
                    for k in range({per})
                ],
            }}
            for n in range({statements})
        ],
    }}


times = []
for run in range({warmup} + {runs}):
    payload = body(run)
    started = time.perf_counter()
    response = client.post("/api/v1/claims/", payload, format="json")
    elapsed = time.perf_counter() - started
    assert response.status_code == 201, response.content[:500]
    if run >= {warmup}:
        times.append(elapsed * 1000)
print("NESTEDJSON " + json.dumps({{
    "runs": len(times),
    "median_ms": round(statistics.median(times), 1),
    "max_ms": round(max(times), 1),
}}))
"""


def measure(database_url, runs, redis_url=None, log=print):
    """The figures as a bench row; a scratch database next to `database_url`'s."""
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {SCRATCH}")
        connection.execute(f"CREATE DATABASE {SCRATCH}")
    env = {
        **os.environ,
        "DATABASE_URL": database_url.rsplit("/", 1)[0] + f"/{SCRATCH}",
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "testserver,127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "API_THROTTLE_ANON": "off",
        "API_THROTTLE_USER": "off",
        "LOG_LEVEL": "ERROR",
    }
    if redis_url:
        env["REDIS_URL"] = redis_url

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=True,
        ).stdout

    log(f"{NAME}: {runs} runs in {SCRATCH}")
    manage("migrate", "--noinput", "-v0")
    script = TIMING.format(
        warmup=2, runs=runs, statements=STATEMENTS, sources=SOURCES, per=SOURCES_PER_STATEMENT
    )
    output = manage("shell", "--no-imports", "-c", script)
    figures = json.loads(next(line for line in output.splitlines() if line.startswith("NESTEDJSON "))[11:])
    result = {"status": "ok", "label": LABEL, "target_ms": TARGET_MS, **figures}
    log(f"{NAME}: {json.dumps(result)}")
    return result


def problems(result):
    if result.get("status") != "ok":
        yield f"{NAME}: {result.get('status')} {result.get('detail', '')}"
    elif not isinstance(result.get("median_ms"), int | float):
        yield f"{NAME}: no median_ms"


def over_target(result):
    median = result.get("median_ms")
    if isinstance(median, int | float) and median > TARGET_MS:
        return f"{NAME}: median {median} ms, over the {TARGET_MS} ms target"
    return None


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url", required=True, help="the bench database; the scratch one sits beside it"
    )
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    print(json.dumps(measure(args.database_url, args.runs, os.environ.get("REDIS_URL"))))


if __name__ == "__main__":
    main()
