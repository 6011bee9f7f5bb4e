#!/usr/bin/env python3
"""`make bench`: the app under gunicorn in production mode against PostgreSQL and
Redis, loaded by `wrk` on loopback; figures as ratios to a do-nothing view.

    python -m bench.run --size 10000 [--json bench.json] [--smoke] [--duration 10] [--repeat 3]

Two gunicorn servers run from the same code: one with the page cache (warm
figures and everything else), one with PAGE_CACHE=0 (the cold claim page). The
data is generated once per size and reused (the default database is
cc_bench_<size>). Everything listens on 127.0.0.1 only, every run is bounded,
and both servers are killed at the end. See docs/performance.md.
"""

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from bench import capture_rate, nested_write, webhooks

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
WARM_PORT, COLD_PORT = 8431, 8432
COMMON_WORD = "forces"

WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "status_errors": %d, '
    .. '"socket_errors": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), e.status,
    e.connect + e.read + e.write + e.timeout))
end
"""


def log(message):
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def ensure_wrk():
    if shutil.which("wrk"):
        return
    log("installing wrk (Debian package)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], env=env).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], env=env, check=True)
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], env=env, check=True)


def ensure_database(url):
    import psycopg

    parsed = urllib.parse.urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            log(f"creating database {name}")
            conn.execute(f'CREATE DATABASE "{name}"')


def query(url, sql, params=()):
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute(sql, params).fetchall()


def manage(env, *args, timeout=3600):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=timeout)


def prepare_data(env, url, size):
    count = query(url, "SELECT count(*) FROM claims_claim")[0][0]
    if count == size:
        log(f"reusing {count} claims")
        return
    if count:
        sys.exit(f"bench: the database holds {count} claims, not {size}; use a fresh DATABASE_URL.")
    log(f"generating {size} claims")
    started = time.monotonic()
    # 1,000,000 claims took 31 minutes on a quiet machine and over an hour on
    # a loaded one: allow 10 ms a claim (at least an hour).
    manage(env, "generate_data", "--claims", str(size), "--seed", "1", timeout=max(3600, size // 100))
    log(f"generated in {time.monotonic() - started:.1f}s")


def pick_targets(url, size):
    claim = query(
        url,
        "SELECT c.slug, count(*) FROM claims_claim c JOIN claims_statement s ON s.claim_id = c.id "
        "WHERE c.is_published GROUP BY c.id ORDER BY count(*) DESC, c.id LIMIT 1",
    )[0]
    actor = query(
        url,
        "SELECT a.slug, count(*) FROM claims_statement s JOIN claims_actor a ON a.id = s.actor_id "
        "GROUP BY a.id ORDER BY count(*) DESC, a.id LIMIT 1",
    )[0]
    # A rare word: the name of a place that few published claims are about.
    rare = query(
        url,
        "SELECT p.name, count(*) FROM claims_place p JOIN claims_claim c ON c.place_id = p.id "
        "WHERE c.is_published AND p.name NOT LIKE '%% %%' GROUP BY p.id ORDER BY count(*), p.id LIMIT 1",
    )[0]
    return {
        "claim": {"slug": claim[0], "statements": claim[1]},
        "actor": {"slug": actor[0], "statements": actor[1]},
        "rare_word": {"word": rare[0], "claims": rare[1]},
        "common_word": {"word": COMMON_WORD},
    }


def start_server(env, port, page_cache, workers):
    server_env = {**env, "PAGE_CACHE": "1" if page_cache else "0"}
    command = [
        str(BIN / "gunicorn"),
        "tracker.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        "4",
        "--timeout",
        "30",
        "--graceful-timeout",
        "5",
        "--log-level",
        "warning",
    ]
    return subprocess.Popen(command, cwd=ROOT, env=server_env, start_new_session=True)


def stop_server(process):
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)


def fetch(port, path, timeout=30):
    try:
        with urllib.request.urlopen(f"http://{HOST}:{port}{path}", timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_ready(port, process, deadline=60):
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if process.poll() is not None:
            sys.exit(f"bench: gunicorn on port {port} exited with {process.returncode}")
        if fetch(port, "/healthz", timeout=2) == 200:
            return
        time.sleep(0.3)
    sys.exit(f"bench: gunicorn on port {port} did not answer /healthz in {deadline}s")


def run_wrk(script, port, path, duration, connections, threads):
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "5s",
        "-s",
        script,
        f"http://{HOST}:{port}{path}",
    ]
    output = subprocess.run(command, capture_output=True, text=True, timeout=duration + 30, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("WRKJSON "))
    raw = json.loads(line.removeprefix("WRKJSON "))
    seconds = raw["duration_us"] / 1e6
    return {
        "rps": round(raw["requests"] / seconds, 1) if seconds else 0.0,
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "requests": raw["requests"],
        "non_2xx": raw["status_errors"],
        "socket_errors": raw["socket_errors"],
    }


def median_run(runs):
    """The run with the median p50 (the lower middle one of an even number): its
    req/s, p50 and p99 stay figures of one and the same run."""
    return sorted(runs, key=lambda figures: figures["p50_ms"])[(len(runs) - 1) // 2]


ENDPOINT_NAMES = [
    "baseline",
    "claim_page_cold",
    "claim_page_warm",
    "claim_list",
    "claim_list_cold",
    "search_common",
    "search_rare",
    "search_common_warm",
    "search_rare_warm",
    "api_claim_list",
    "api_claim_list_cold",
    "api_claim_detail",
    "api_claim_detail_cold",
    "actor_page",
    "actor_page_cold",
]


def endpoints(targets):
    """(name, port, path) in ENDPOINT_NAMES order."""
    claim, actor = targets["claim"]["slug"], targets["actor"]["slug"]
    rare, common = targets["rare_word"]["word"], targets["common_word"]["word"]
    return [
        ("baseline", WARM_PORT, "/healthz"),
        ("claim_page_cold", COLD_PORT, f"/claims/{claim}/"),
        ("claim_page_warm", WARM_PORT, f"/claims/{claim}/"),
        ("claim_list", WARM_PORT, "/claims/"),
        ("claim_list_cold", COLD_PORT, "/claims/"),
        # Searches run uncached (what a query nobody asked before costs), and
        # again from the page cache (the same query asked again).
        ("search_common", COLD_PORT, f"/claims/?q={urllib.parse.quote(common)}"),
        ("search_rare", COLD_PORT, f"/claims/?q={urllib.parse.quote(rare.lower())}"),
        ("search_common_warm", WARM_PORT, f"/claims/?q={urllib.parse.quote(common)}"),
        ("search_rare_warm", WARM_PORT, f"/claims/?q={urllib.parse.quote(rare.lower())}"),
        ("api_claim_list", WARM_PORT, "/api/v1/claims/"),
        ("api_claim_list_cold", COLD_PORT, "/api/v1/claims/"),
        ("api_claim_detail", WARM_PORT, f"/api/v1/claims/{claim}/"),
        ("api_claim_detail_cold", COLD_PORT, f"/api/v1/claims/{claim}/"),
        ("actor_page", WARM_PORT, f"/actors/{actor}/"),
        ("actor_page_cold", COLD_PORT, f"/actors/{actor}/"),
    ]


def edit_under_load(env, script, targets, seconds, threads):
    """wrk at concurrency 32 on the warm claim page while bench/edit_under_load.py
    edits the claim every second and checks each edit shows at once."""
    path = f"/claims/{targets['claim']['slug']}/"
    log(f"edit under load: wrk -c32 for {seconds}s on {path}, one edit a second")
    with tempfile.TemporaryFile("w+") as wrk_output:
        wrk = subprocess.Popen(
            [
                "wrk",
                f"-t{threads}",
                "-c32",
                f"-d{seconds}s",
                "--timeout",
                "5s",
                "-s",
                script,
                f"http://{HOST}:{WARM_PORT}{path}",
            ],
            stdout=wrk_output,
            text=True,
        )
        editor = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.edit_under_load",
                targets["claim"]["slug"],
                str(WARM_PORT),
                str(seconds),
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=True,
        )
        wrk.wait(timeout=seconds + 30)
        wrk_output.seek(0)
        wrk_line = next(line for line in wrk_output if line.startswith("WRKJSON "))
    raw = json.loads(wrk_line.removeprefix("WRKJSON "))
    edits = json.loads(next(line for line in editor.stdout.splitlines() if line.startswith("EDITJSON "))[9:])
    result = {
        "status": "ok",
        "path": path,
        "connections": 32,
        "rps": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "requests": raw["requests"],
        "non_2xx": raw["status_errors"],
        "socket_errors": raw["socket_errors"],
        **edits,
    }
    log(f"edit under load: {json.dumps(result)}")
    return result


def import_rate(database_url, records):
    log(f"ClaimReview import: {records} records into an empty database")
    output = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.import_rate",
            "--source-url",
            database_url,
            "--records",
            str(records),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
        check=True,
    ).stdout
    figures = json.loads(next(line for line in output.splitlines() if line.startswith("IMPORTJSON "))[11:])
    log(f"ClaimReview import: {figures}")
    return {"status": "ok", **figures}


def capture_throughput(database_url, redis_url, pages, overrides):
    """bench/capture_rate.py: `pages` sources on a local news site captured by
    2 db_worker processes, in a scratch database of its own."""
    try:
        result = capture_rate.measure(
            database_url, pages, workers=2, redis_url=redis_url, overrides=overrides, log=log
        )
    except Exception as error:  # the rest of the report still gets written
        log(f"capture throughput failed: {error!r}")
        return {"status": "error", "label": capture_rate.LABEL.format(workers=2), "detail": repr(error)[:500]}
    log(f"capture throughput: {json.dumps(result)}")
    return result


def webhook_throughput(database_url, redis_url, deliveries, overrides):
    """bench/webhooks.py: `deliveries` signed POSTs to a local receiver by 2
    db_worker processes, in a scratch database of its own."""
    try:
        result = webhooks.measure(
            database_url, deliveries, workers=2, redis_url=redis_url, overrides=overrides, log=log
        )
    except Exception as error:  # the rest of the report still gets written
        log(f"webhook deliveries failed: {error!r}")
        return {"status": "error", "label": webhooks.LABEL.format(workers=2), "detail": repr(error)[:500]}
    log(f"webhook deliveries: {json.dumps(result)}")
    return result


def print_table(results):
    base = results["baseline"]
    header = (
        f"{'endpoint':18} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'req/s÷base':>11} {'p50÷base':>9} {'errors':>7}"
    )
    print(header)
    print("-" * len(header))
    for name, r in results.items():
        if name == "claimreview_import" and r["status"] == "ok":
            print(f"{name:18} {r['records_per_s']:9.1f} records/s ({r['records']} in {r['seconds']} s)")
            continue
        if name == capture_rate.NAME and r["status"] == "ok":
            print(
                f"{name:18} {r['pages_per_s']:9.1f} pages/s, {r['label']}: {r['captured']} of {r['pages']} "
                f"pages captured in {r['seconds']} s, p50 {r['p50_ms']} ms a capture "
                f"(target {r['target_pages_per_s']} pages/s)"
            )
            continue
        if name == webhooks.NAME and r["status"] == "ok":
            print(
                f"{name:18} {r['deliveries_per_s']:9.1f} deliveries/s, {r['label']}: {r['delivered']} of "
                f"{r['deliveries']} delivered in {r['seconds']} s, {r['busy_deliveries_per_s']}/s once "
                f"started (target {r['target_per_s']}/s)"
            )
            continue
        if name == nested_write.NAME and r["status"] == "ok":
            print(
                f"{name:18} {r['median_ms']:9.1f} ms median, {r['max_ms']} ms slowest of {r['runs']}: "
                f"{r['label']} (target {r['target_ms']} ms)"
            )
            continue
        if r["status"] != "ok":
            print(f"{name:18} {r['status']:>9}  ({r.get('detail', '')})")
            continue
        errors = r["non_2xx"] + r["socket_errors"]
        print(
            f"{name:18} {r['rps']:9.1f} {r['p50_ms']:8.2f} {r['p99_ms']:8.2f} "
            f"{r['rps_ratio']:11.3f} {r['p50_ratio']:9.2f} {errors:7d}"
        )
    if base["status"] == "ok":
        print(f"baseline: {base['rps']:.1f} req/s, p50 {base['p50_ms']:.2f} ms")


def bench_database_url(size):
    return (
        os.environ.get("BENCH_DATABASE_URL")
        or os.environ.get("DATABASE_URL")
        or f"postgres://postgres@{HOST}:5432/cc_bench_{size}"
    )


def bench_redis_url():
    return os.environ.get("BENCH_REDIS_URL") or os.environ.get("REDIS_URL") or f"redis://{HOST}:6379/3"


def production_env(database_url, redis_url, overrides=None):
    """The environment the bench's servers (and bench/profile_page.py) run Django in."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        # wrk is one client: the API's per-client throttle would answer 429,
        # and a huge rate makes DRF keep (and pickle) every request's time.
        "API_THROTTLE_ANON": "off",
        "API_THROTTLE_USER": "off",
        # ...and the search endpoints search from one address far past the
        # reader search limit (SEARCH_RATE), which would answer 429 too.
        "SEARCH_RATE": "off",
        "LOG_LEVEL": "ERROR",
        **(overrides or {}),
    }


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=10000, help="claims in the data set (10000, 100000, ...)")
    parser.add_argument("--json", help="write the results to this path as JSON")
    parser.add_argument("--smoke", action="store_true", help="very short runs: checks the harness, not speed")
    parser.add_argument("--duration", type=int, help="seconds per endpoint (default 10; 1 with --smoke)")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="rounds over the endpoints; each figure is the run with the median p50 (default 1)",
    )
    parser.add_argument("--connections", type=int, default=8, help="wrk concurrency (default 8)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server (default 2)")
    parser.add_argument(
        "--import-records",
        type=int,
        help="ClaimReview records to export and import into an empty database (default 500; 50 with "
        "--smoke; 0 skips)",
    )
    parser.add_argument(
        "--capture-pages",
        type=int,
        help="pages of a local news site captured by 2 queue workers, timed (default 400; 40 with "
        "--smoke; 0 skips)",
    )
    parser.add_argument(
        "--webhook-deliveries",
        type=int,
        help="webhook deliveries to a local receiver by 2 queue workers, timed (default 4000; 200 with "
        "--smoke; 0 skips)",
    )
    parser.add_argument(
        "--nested-runs",
        type=int,
        help="timed POSTs of a claim with 20 statements and 50 sources, in-process (default 20; 3 with "
        "--smoke; 0 skips)",
    )
    parser.add_argument(
        "--edit-seconds",
        type=int,
        help="also load the warm claim page at concurrency 32 for this long while its claim is edited "
        "every second (default 60; 2 with --smoke; 0 skips)",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a setting for both servers, to try a change (e.g. DB_CONN_HEALTH_CHECKS=0); repeatable",
    )
    parser.add_argument(
        "--only", help="comma-separated endpoints to measure (the baseline is always measured)"
    )
    args = parser.parse_args()
    overrides = dict(item.split("=", 1) for item in args.set if "=" in item)
    if len(overrides) != len(args.set):
        parser.error("--set takes NAME=VALUE")
    if args.repeat < 1:
        parser.error("--repeat takes a positive number")
    only = set(args.only.split(",")) | {"baseline"} if args.only else None
    duration = args.duration or (1 if args.smoke else 10)
    warmup = 1 if args.smoke else 2

    database_url = bench_database_url(args.size)
    redis_url = bench_redis_url()
    env = production_env(database_url, redis_url, overrides)
    ensure_wrk()
    ensure_database(database_url)
    log("migrate and collectstatic")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    prepare_data(env, database_url, args.size)
    targets = pick_targets(database_url, args.size)
    log(f"targets: {json.dumps(targets, ensure_ascii=False)}")
    if os.environ.get("BENCH_REDIS_URL") or not os.environ.get("REDIS_URL"):
        import redis

        # The bench's own Redis database: no page cached by an earlier run.
        redis.Redis.from_url(redis_url).flushdb()

    servers = []
    results = {}
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)  # noqa: SIM115
    try:
        script.write(WRK_SCRIPT)
        script.close()
        for port, page_cache in ((WARM_PORT, True), (COLD_PORT, False)):
            servers.append(start_server(env, port, page_cache, args.workers))
        for server, port in zip(servers, (WARM_PORT, COLD_PORT), strict=True):
            wait_ready(port, server)
        measured = []
        for name, port, path in endpoints(targets):
            if only is not None and name not in only:
                continue
            status = fetch(port, path)
            if status == 404:
                results[name] = {"status": "missing", "path": path, "detail": "404: not built yet"}
                log(f"{name}: missing ({path})")
            elif status != 200:
                results[name] = {"status": "error", "path": path, "detail": f"HTTP {status}"}
                log(f"{name}: HTTP {status} ({path})")
            else:
                results[name] = {"status": "ok", "path": path, "port": port}
                measured.append((name, port, path))
        # With --repeat, rounds go through every endpoint in turn, so a burst of
        # noise on this shared machine lands on one run of several endpoints
        # rather than on every run of one.
        runs = {name: [] for name, _, _ in measured}
        for round_number in range(1, args.repeat + 1):
            for name, port, path in measured:
                run_wrk(script.name, port, path, warmup, args.connections, args.threads)
                figures = run_wrk(script.name, port, path, duration, args.connections, args.threads)
                runs[name].append(figures)
                label = f"{name} (round {round_number})" if args.repeat > 1 else name
                log(f"{label}: {figures['rps']} req/s, p50 {figures['p50_ms']} ms, p99 {figures['p99_ms']}")
        for name, figure_runs in runs.items():
            results[name].update(median_run(figure_runs))
            if args.repeat > 1:
                results[name]["runs"] = figure_runs
        edit_seconds = args.edit_seconds if args.edit_seconds is not None else (2 if args.smoke else 60)
        if edit_seconds and (only is None or "edit_under_load" in only):
            results["edit_under_load"] = edit_under_load(
                env, script.name, targets, edit_seconds, args.threads
            )
    finally:
        for server in servers:
            stop_server(server)
        os.unlink(script.name)

    import_records = args.import_records if args.import_records is not None else (50 if args.smoke else 500)
    if import_records and (only is None or "claimreview_import" in only):
        results["claimreview_import"] = import_rate(database_url, import_records)

    nested_runs = args.nested_runs if args.nested_runs is not None else (3 if args.smoke else 20)
    if nested_runs and (only is None or nested_write.NAME in only):
        try:
            results[nested_write.NAME] = nested_write.measure(database_url, nested_runs, redis_url, log)
        except Exception as error:  # the rest of the report still gets written
            log(f"{nested_write.NAME} failed: {error!r}")
            results[nested_write.NAME] = {
                "status": "error",
                "label": nested_write.LABEL,
                "detail": repr(error)[:500],
            }

    # After the servers have stopped (the workers get the machine to
    # themselves), in a database of its own (bench/capture_rate.py says why).
    capture_pages = args.capture_pages if args.capture_pages is not None else (40 if args.smoke else 400)
    if capture_pages and (only is None or capture_rate.NAME in only):
        results[capture_rate.NAME] = capture_throughput(database_url, redis_url, capture_pages, overrides)
    hooks = args.webhook_deliveries if args.webhook_deliveries is not None else (200 if args.smoke else 4000)
    if hooks and (only is None or webhooks.NAME in only):
        results[webhooks.NAME] = webhook_throughput(database_url, redis_url, hooks, overrides)

    base = results.get("baseline", {})
    for r in results.values():
        if r["status"] == "ok" and base.get("status") == "ok" and "rps" in r:
            r["rps_ratio"] = round(r["rps"] / base["rps"], 3) if base["rps"] else None
            r["p50_ratio"] = round(r["p50_ms"] / base["p50_ms"], 2) if base["p50_ms"] else None
            r["p99_ratio"] = round(r["p99_ms"] / base["p99_ms"], 2) if base["p99_ms"] else None
    print_table(results)
    report = {
        "size": args.size,
        "smoke": args.smoke,
        "duration_s": duration,
        "repeat": args.repeat,
        "connections": args.connections,
        "wrk_threads": args.threads,
        "gunicorn": {"workers": args.workers, "worker_class": "gthread", "threads": 4},
        "cpus": os.cpu_count(),
        "settings": overrides,
        "targets": targets,
        "results": results,
    }
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        log(f"wrote {args.json}")


if __name__ == "__main__":
    main()
