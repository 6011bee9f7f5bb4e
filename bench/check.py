#!/usr/bin/env python3
"""Check that a `make bench` JSON report has every figure (CI smoke run; no
timing assertions): `bench/check.py bench.json`. A figure under its target
(capture throughput under 20 pages/s) is printed as a note, never a failure."""

import json
import sys

from bench import capture_rate, nested_write, webhooks
from bench.run import ENDPOINT_NAMES

FIGURES = ("rps", "p50_ms", "p99_ms", "rps_ratio", "p50_ratio", "p99_ratio", "non_2xx", "socket_errors")


def problems(report):
    results = report.get("results", {})
    for name in ENDPOINT_NAMES:
        result = results.get(name)
        if result is None:
            yield f"{name}: absent"
        elif result["status"] == "missing":
            continue  # the page does not exist yet: reported, not measured
        elif result["status"] != "ok":
            yield f"{name}: {result['status']} {result.get('detail', '')}"
        else:
            for figure in FIGURES:
                if not isinstance(result.get(figure), int | float):
                    yield f"{name}: no {figure}"
    if results.get("baseline", {}).get("status") != "ok":
        yield "baseline: not measured"
    imported = results.get("claimreview_import")
    if imported is not None and not isinstance(imported.get("records_per_s"), int | float):
        yield "claimreview_import: no records_per_s"
    edits = results.get("edit_under_load")
    if edits:  # correctness, not speed: no error and never a stale page after an edit
        for figure in ("non_2xx", "socket_errors", "stale_after_edit", "fetch_errors"):
            if edits.get(figure) != 0:
                yield f"edit_under_load: {figure} = {edits.get(figure)}"
        if not edits.get("edits"):
            yield "edit_under_load: no edit was made"
    nested = results.get(nested_write.NAME)
    if nested is not None:
        yield from nested_write.problems(nested)
    # Present, with a positive rate, and every capture captured (correctness;
    # its speed against the target is a note: see notes()).
    captures = results.get(capture_rate.NAME)
    if captures is None:
        yield f"{capture_rate.NAME}: absent"
    else:
        yield from capture_rate.problems(captures)
    hooks = results.get(webhooks.NAME)
    if hooks is not None:
        yield from webhooks.problems(hooks)


def notes(report):
    """Figures under their targets: reported, not failures (timings on a shared
    machine, and the smoke run's tiny samples, are not the code's)."""
    captures = report.get("results", {}).get(capture_rate.NAME)
    if captures and (note := capture_rate.under_target(captures)):
        yield note
    nested = report.get("results", {}).get(nested_write.NAME)
    if nested and (note := nested_write.over_target(nested)):
        yield note
    hooks = report.get("results", {}).get(webhooks.NAME)
    if hooks and (note := webhooks.under_target(hooks)):
        yield note


if __name__ == "__main__":
    report = json.loads(open(sys.argv[1]).read())  # noqa: SIM115
    found = list(problems(report))
    for problem in found:
        print(f"bench check: {problem}", file=sys.stderr)
    for note in notes(report):
        print(f"bench check: note: {note}", file=sys.stderr)
    measured = [n for n, r in report["results"].items() if r["status"] == "ok"]
    print(f"bench check: {len(measured)} endpoints measured, {len(found)} problems")
    sys.exit(1 if found else 0)
