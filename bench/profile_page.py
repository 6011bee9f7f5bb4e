#!/usr/bin/env python3
"""Profile one bench endpoint in-process with pyinstrument, in the bench's
production settings against its database (see docs/performance.md):

    python -m bench.profile_page claim_page_cold [--size 10000] [--requests 200] [--html out.html]
    python -m bench.profile_page /claims/?q=forces --cold

An endpoint is a name from `make bench`'s table (cold ones run with
PAGE_CACHE=0) or a path. Requests go through Django's test client: no server,
no network, no wrk, so the figures are what the view, the ORM and the templates
cost one request. It prints the time per request without the profiler, the
queries of one request and their SQL time, then the profile."""

import argparse
import os
import sys
import time

from bench.run import (
    COLD_PORT,
    ENDPOINT_NAMES,
    ROOT,
    bench_database_url,
    bench_redis_url,
    endpoints,
    pick_targets,
    production_env,
)


def resolve(target, size, database_url):
    """(path, cold) for an endpoint name or a path."""
    if target.startswith("/"):
        return target, None
    if target not in ENDPOINT_NAMES:
        sys.exit(f"profile: {target!r} is neither a path nor one of {', '.join(ENDPOINT_NAMES)}")
    for name, port, path in endpoints(pick_targets(database_url, size)):
        if name == target:
            return path, port == COLD_PORT
    raise AssertionError(target)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("target", help="an endpoint name (claim_page_cold, search_common, ...) or a path")
    parser.add_argument("--size", type=int, default=10000, help="the bench data set to use (default 10000)")
    parser.add_argument("--requests", type=int, default=200, help="requests timed and profiled (default 200)")
    parser.add_argument("--cold", action="store_true", help="for a path: PAGE_CACHE=0")
    parser.add_argument("--html", help="also write pyinstrument's interactive HTML here")
    args = parser.parse_args()
    if args.requests < 1:
        parser.error("--requests takes a positive number")

    database_url = bench_database_url(args.size)
    path, cold = resolve(args.target, args.size, database_url)
    cold = args.cold if cold is None else cold
    os.environ.update(
        production_env(
            database_url,
            bench_redis_url(),
            {"ALLOWED_HOSTS": "testserver", "PAGE_CACHE": "0" if cold else "1"},
        )
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    sys.path.insert(0, str(ROOT))

    import django
    from pyinstrument import Profiler

    django.setup()
    from django.db import connection
    from django.test import Client

    client = Client()
    for _ in range(20):
        response = client.get(path)
        if response.status_code != 200:
            sys.exit(f"profile: GET {path} answered {response.status_code}")
    sql_seconds = []

    def timed(execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            sql_seconds.append(time.perf_counter() - began)

    with connection.execute_wrapper(timed):
        client.get(path)

    started = time.perf_counter()
    for _ in range(args.requests):
        client.get(path)
    per_request = (time.perf_counter() - started) / args.requests * 1000

    profiler = Profiler(interval=0.0005)
    with profiler:
        for _ in range(args.requests):
            client.get(path)

    cache = "PAGE_CACHE=0" if cold else "page cache on"
    print(f"GET {path} ({cache}, {args.requests} requests)")
    print(f"{per_request:.2f} ms a request without the profiler")
    print(f"{len(sql_seconds)} queries, {sum(sql_seconds) * 1000:.1f} ms of SQL and round trips, one request")
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    if args.html:
        with open(args.html, "w") as out:
            out.write(profiler.output_html())


if __name__ == "__main__":
    main()
