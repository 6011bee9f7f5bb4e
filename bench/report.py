#!/usr/bin/env python3
"""Markdown tables from `make bench` JSON reports, for docs/performance.md:

    bench/report.py bench/results/10000.json bench/results/1000000.json

One table per report (req/s, p50, p99, ratios to the baseline), then, with two
or more reports, each endpoint's p50 at every size and its growth from the
first size to the last."""

import json
import sys


def table(report):
    rows = [
        f"SIZE={report['size']}, concurrency {report['connections']}, {report['duration_s']} s per endpoint"
        + (f", median of {report['repeat']} rounds" if report.get("repeat", 1) > 1 else ""),
        "",
        "| endpoint | req/s | p50 ms | p99 ms | req/s ÷ baseline | p50 ÷ baseline |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, r in report["results"].items():
        if r.get("status") != "ok":
            rows.append(f"| {name} | {r.get('status')} | | | | |")
        elif "rps" not in r:
            rows.append(f"| {name} | {r['records_per_s']} records/s | | | | |")
        else:
            rows.append(
                f"| {name} | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} "
                f"| {r.get('rps_ratio', 0):.3f} | {r.get('p50_ratio', 0):.1f} |"
            )
    return "\n".join(rows)


def growth(reports):
    sizes = [report["size"] for report in reports]
    rows = [
        "| endpoint | " + " | ".join(f"p50 ms at {size:,}" for size in sizes) + " | growth |",
        "|---|" + "---:|" * (len(sizes) + 1),
    ]
    for name, first in reports[0]["results"].items():
        if "p50_ms" not in first:
            continue
        values = [report["results"].get(name, {}).get("p50_ms") for report in reports]
        if None in values:
            continue
        rows.append(
            f"| {name} | " + " | ".join(f"{v:.1f}" for v in values) + f" | {values[-1] / values[0]:.2f}× |"
        )
    return "\n".join(rows)


if __name__ == "__main__":
    reports = [json.loads(open(path).read()) for path in sys.argv[1:]]  # noqa: SIM115
    for report in reports:
        print(table(report), end="\n\n")
    if len(reports) > 1:
        print(growth(reports))
