#!/usr/bin/env python3
"""Edit a claim every second while wrk loads its page, and check after every
edit that a fresh request shows it (run by bench/run.py --edit-seconds N).

    python -m bench.edit_under_load SLUG PORT SECONDS

Each second: change the summary of the claim's first statement through the
ORM (the signals a real edit fires), then GET the page from 127.0.0.1:PORT
and look for the new words. Prints one JSON line: edits made and stale pages.
"""

import json
import os
import sys
import time
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

import django

django.setup()

from claims.models import Statement  # noqa: E402


def main(slug, port, seconds):
    statement = Statement.objects.filter(claim__slug=slug).order_by("pk").first()
    original = statement.summary
    edits, stale, errors = 0, 0, 0
    try:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            started = time.monotonic()
            marker = f"bench edit {uuid.uuid4().hex[:12]}"
            statement.summary = marker
            statement.save()
            edits += 1
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/claims/{slug}/", timeout=10
                ) as response:
                    if marker not in response.read().decode():
                        stale += 1
            except OSError:
                errors += 1
            time.sleep(max(0.0, 1.0 - (time.monotonic() - started)))
    finally:
        statement.summary = original
        statement.save()
    print("EDITJSON " + json.dumps({"edits": edits, "stale_after_edit": stale, "fetch_errors": errors}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), float(sys.argv[3]))
