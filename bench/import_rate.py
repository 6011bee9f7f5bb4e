#!/usr/bin/env python3
"""ClaimReview import rate: export N published claims' ClaimReview JSON-LD
from the bench database, import them into an empty scratch database with
`manage.py import_claimreview`, and print records per second as JSON.

    python -m bench.import_rate --source-url postgres://.../cc_bench_10000 [--records 2000]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SCRATCH = "cc_bench_import"

EXPORT = """
import json, sys
from claims.claimreview import build_claim_review
from claims.models import Claim
reviews = []
for claim in Claim.objects.published().filter(status_changed_at__isnull=False).with_statements()[:{n}]:
    review = build_claim_review(claim)
    if review:
        reviews.append(review)
json.dump(reviews, sys.stdout)
"""

# Timed inside the process: Django's start-up is not the importer's cost.
IMPORT = """
import json, time
from claims.claimreview import import_claim_reviews
payload = json.load(open({path!r}, encoding="utf-8"))
started = time.monotonic()
import_claim_reviews(payload)
print("SECONDS", time.monotonic() - started)
"""


def manage(database_url, *args, stdin=None):
    env = {**os.environ, "DATABASE_URL": database_url, "LOG_LEVEL": "ERROR"}
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source-url", required=True)
    parser.add_argument("--records", type=int, default=2000)
    args = parser.parse_args()
    reviews = json.loads(
        manage(args.source_url, "shell", "--no-imports", "-c", EXPORT.format(n=args.records))
    )
    admin_url = args.source_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {SCRATCH}")
        connection.execute(f"CREATE DATABASE {SCRATCH}")
    scratch_url = args.source_url.rsplit("/", 1)[0] + f"/{SCRATCH}"
    manage(scratch_url, "migrate", "--noinput", "-v0")
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(reviews, handle)
    try:
        output = manage(scratch_url, "shell", "--no-imports", "-c", IMPORT.format(path=handle.name))
        seconds = float(next(line for line in output.splitlines() if line.startswith("SECONDS")).split()[1])
    finally:
        os.unlink(handle.name)
    result = {
        "records": len(reviews),
        "seconds": round(seconds, 2),
        "records_per_s": round(len(reviews) / seconds, 1),
    }
    print("IMPORTJSON " + json.dumps(result))


if __name__ == "__main__":
    main()
