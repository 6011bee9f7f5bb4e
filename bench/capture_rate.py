#!/usr/bin/env python3
"""Capture throughput: N sources logged with URLs on a local news site, their
captures queued, then 2 `manage.py db_worker --batch` processes started at once
and timed until both exit; pages per second = N / seconds.

    python -m bench.capture_rate --database-url postgres://.../cc_bench_2000 [--pages 400] [--workers 2]

The site is a ThreadingHTTPServer on 127.0.0.1 (an ephemeral port, in a thread
of this process) that serves a realistic news article of 60-90 KB at every
path, different for each path (so every capture has its own hash). The bench
runs in its own database, the bench database's name with a `_capture` suffix,
created empty, migrated, and dropped at the end: a capture is evidence (the
app never deletes one, and it protects its source), so captures left in the
bench database would pile up run after run and add sources to its pool. The
WARC files go to a temporary MEDIA_ROOT, removed at the end.

Everything goes through the app's own path: the sources are saved with
CAPTURE_ON_SAVE on (the post_save receiver calls request_capture, which
enqueues `capture_source` on the "capture" queue once the transaction
commits), and the workers fetch through claims/capture/fetcher.py with
CAPTURE_ALLOW_LOOPBACK=1, extract with trafilatura and write WARCs through
Django's storage, as in production.
"""

import argparse
import contextlib
import hashlib
import http.server
import json
import math
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
NAME = "capture_throughput"
LABEL = "capture throughput ({workers} workers)"
TARGET_PAGES_PER_S = 20
SUFFIX = "_capture"
# Where the i-th source points on the news site.
STORY_PATH = "/news/2023/04/story-%d.html"
# django-tasks-db's queue (its app label is django_tasks_database).
TASKS_TABLE = "django_tasks_database_dbtaskresult"

# ---------------------------------------------------------------------------
# The news site

SITE = "The Kyiv Ledger"
SECTIONS = ["World", "Ukraine", "Russia", "Europe", "Politics", "Business", "Investigations", "Opinion"]
PLACES = ["Bakhmut", "Avdiivka", "Kherson", "Zaporizhzhia", "Kharkiv", "Donetsk", "Mariupol", "Odesa"]
ACTORS = [
    "the defence ministry",
    "a regional governor",
    "the general staff",
    "a military spokesman",
    "local officials",
    "the president's office",
    "a Wagner commander",
    "the eastern command",
]
VERBS = ["said", "claimed", "denied", "confirmed", "reported", "told reporters", "wrote on Telegram"]
NEWS_WORDS = """
forces troops city town village front line offensive counteroffensive shelling drone strike missile
artillery brigade battalion regiment positions reinforcements supply route bridge railway station
power plant dam reservoir civilians residents evacuation humanitarian corridor convoy aid shelter
administration building flag video footage satellite images analysts observers monitors ceasefire
negotiations talks sanctions exports grain port shipping corridor prisoners exchange casualties
losses equipment tanks vehicles ammunition shortage mobilisation recruits volunteers mercenaries
statement report briefing interview channel post account evidence verification geolocation
"""
WORDS = NEWS_WORDS.split()


def _sentence(rng):
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
    speaker = f"{rng.choice(ACTORS)} {rng.choice(VERBS)}"
    text = f"{speaker.capitalize()} that the {' '.join(words)} near {rng.choice(PLACES)}"
    return text + rng.choice([".", ".", ".", ", according to a statement.", ", without giving evidence."])


def article(path):
    """The HTML of the news article at `path`: 60-90 KB, the same for the same
    path and different for every other (title, date, text, ids). A page laid
    out as real news sites are: head tags (title, description, canonical,
    og:*, article:*, JSON-LD), inline CSS, a navigation bar, the article
    (headline, byline, 25-45 paragraphs), related stories, a footer, and the
    inline scripts that make up much of such a page's weight."""
    seed = int.from_bytes(hashlib.sha256(path.encode()).digest()[:8], "big")
    rng = random.Random(seed)
    place = rng.choice(PLACES)
    title = (
        f"{rng.choice(ACTORS).capitalize()} {rng.choice(VERBS)} {place} {rng.choice(WORDS)} ({seed % 100000})"
    )
    day = f"2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    url = f"https://ledger.example.org{path}"
    paragraphs = [
        " ".join(_sentence(rng) for _ in range(rng.randint(2, 5))) for _ in range(rng.randint(25, 45))
    ]
    description = paragraphs[0][:200]
    css = "\n".join(
        f".c{seed % 997}-{i} {{ margin: {i % 7}px {i % 5}px; padding: {i % 3}em; "
        f"color: #{(seed + i) % 0xFFFFFF:06x}; font: {12 + i % 6}px/1.{i % 9} Georgia, serif; "
        f"border-bottom: 1px solid #{(seed * i) % 0xFFFFFF:06x}; }}"
        for i in range(120)
    )
    nav = "".join(
        f'<li class="nav-item"><a href="/{section.lower()}/{sub}/" data-track="nav-{section.lower()}-{sub}">'
        f"{section} {sub}</a></li>"
        for section in SECTIONS
        for sub in ("latest", "analysis", "live", "video", "explainers")
    )
    related = "".join(
        f'<li class="related"><a href="/news/{day}/story-{rng.randint(1, 10**9)}.html">'
        f'<img src="/img/{rng.randint(1, 10**9)}.jpg" alt="" width="320" height="180" loading="lazy">'
        f"<span>{_sentence(rng)}</span></a></li>"
        for _ in range(16)
    )
    body = "\n".join(
        f"<p>{text}</p>"
        if i % 9 != 4
        else f"<h2>{rng.choice(WORDS).capitalize()} in {place}</h2>\n<p>{text}</p>"
        for i, text in enumerate(paragraphs)
    )
    footer = "".join(
        f'<a href="/about/{i}/" class="footer-link">{rng.choice(WORDS).capitalize()} {i}</a>'
        for i in range(60)
    )
    scripts = "\n".join(
        f"<script>window.__ledger=window.__ledger||[];window.__ledger.push({{slot:'ad-{i}',"
        f"sizes:[[300,250],[728,90]],targeting:{{section:'{rng.choice(SECTIONS)}',"
        f"keywords:'{' '.join(rng.choice(WORDS) for _ in range(30))}'}},"
        f"id:'{rng.getrandbits(64):016x}'}});</script>"
        for i in range(40)
    )
    ld = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": title,
            "datePublished": f"{day}T09:30:00Z",
            "author": {"@type": "Person", "name": f"Staff reporter {seed % 50}"},
            "publisher": {"@type": "Organization", "name": SITE},
            "mainEntityOfPage": url,
        }
    )
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} | {SITE}</title>
<meta name="description" content="{description}">
<link rel="canonical" href="{url}">
<meta property="og:type" content="article">
<meta property="og:title" content="{title}">
<meta property="og:description" content="{description}">
<meta property="og:url" content="{url}">
<meta property="og:site_name" content="{SITE}">
<meta property="og:image" content="https://ledger.example.org/img/{seed}.jpg">
<meta property="article:published_time" content="{day}T09:30:00Z">
<meta property="article:section" content="{rng.choice(SECTIONS)}">
<script type="application/ld+json">{ld}</script>
<style>{css}</style>
</head>
<body>
<header class="site-header"><a class="logo" href="/">{SITE}</a><nav><ul>{nav}</ul></nav></header>
<main>
<article class="story">
<h1>{title}</h1>
<p class="byline">By Staff reporter {seed % 50} · <time datetime="{day}T09:30:00Z">{day}</time></p>
{body}
</article>
<aside class="related-stories"><h2>Related</h2><ul>{related}</ul></aside>
</main>
<footer class="site-footer">{footer}<p>© 2023 {SITE}</p></footer>
{scripts}
</body>
</html>
""".encode()


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        path = urllib.parse.urlsplit(self.path).path
        body = self.server.pages.get(path) or article(path)
        with self.server.lock:  # counted before the client can have the page
            self.server.served += 1
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def news_site():
    """A threaded HTTP server on 127.0.0.1 (an ephemeral port) serving
    article(path) at every path; yields it (`.server_port`, `.served`)."""
    server = http.server.ThreadingHTTPServer((HOST, 0), _Handler)
    server.daemon_threads = True
    server.lock = threading.Lock()
    server.served = 0
    server.pages = {}  # path: body, made before the clock starts (see measure)
    thread = threading.Thread(target=server.serve_forever, name="bench-news-site", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# ---------------------------------------------------------------------------
# The run

# Saved in one transaction: every capture is pending and its task queued
# (on commit) before a worker starts.
QUEUE = """
from django.db import transaction
from claims.models import Source
with transaction.atomic():
    for i in range({pages}):
        Source.objects.create(url="{base}" + {path!r} % i, title="Story %d" % i)
"""

FIGURES = """
SELECT
    (SELECT count(*) FROM claims_capture),
    (SELECT count(*) FROM claims_capture WHERE state = 'captured'),
    (SELECT count(*) FROM {tasks} WHERE queue_name = 'capture'),
    (SELECT count(*) FROM {tasks} WHERE queue_name = 'capture' AND status = 'SUCCESSFUL'),
    (SELECT avg(size) FROM claims_capture WHERE state = 'captured'),
    (SELECT count(DISTINCT sha256) FROM claims_capture WHERE state = 'captured')
"""


def capture_database_url(database_url, suffix=SUFFIX):
    """The bench database's URL with `suffix` on its name."""
    parsed = urllib.parse.urlparse(database_url)
    return parsed._replace(path=parsed.path.rstrip("/") + suffix).geturl()


def _admin_url(database_url):
    return urllib.parse.urlparse(database_url)._replace(path="/postgres").geturl()


def _recreate(database_url, drop_only=False):
    import psycopg

    name = urllib.parse.urlparse(database_url).path.lstrip("/")
    with psycopg.connect(_admin_url(database_url), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            connection.execute(f'CREATE DATABASE "{name}"')


def _query(database_url, sql):
    import psycopg

    with psycopg.connect(database_url) as connection:
        return connection.execute(sql.format(tasks=TASKS_TABLE)).fetchall()


def _manage(env, *args, timeout=600):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    ).stdout


def _stop(process):
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def percentile(values, fraction):
    """The value at `fraction` (0-1) of the sorted values, nearest rank; None for none."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))]


def run_workers(env, workers, timeout, queue="capture"):
    """Start `workers` batch workers at once; seconds until the last exits,
    the CPU seconds they used (user and system, start-up included), their exit
    codes (None for one killed at the timeout) and the end of their stderr."""
    command = [
        sys.executable,
        "manage.py",
        "db_worker",
        "--batch",
        "--queue-name",
        queue,
        "--interval",
        "0",
        "--no-startup-delay",
        "--no-reload",
        "-v0",
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    # stderr to files, not pipes: a worker logging a lot never waits on us.
    logs = [tempfile.TemporaryFile("w+") for _ in range(workers)]  # noqa: SIM115
    processes = [
        subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True, stderr=stderr) for stderr in logs
    ]
    codes, errors = [], []
    try:
        for process, stderr in zip(processes, logs, strict=True):
            try:
                codes.append(process.wait(timeout=max(1, timeout - (time.monotonic() - started))))
                stderr.seek(0)
                errors.append(stderr.read().strip()[-500:])
            except subprocess.TimeoutExpired:
                _stop(process)
                codes.append(None)
                errors.append(f"killed after {timeout} s")
        seconds = time.monotonic() - started
    finally:
        for process in processes:
            _stop(process)
        for stderr in logs:
            stderr.close()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, cpu, codes, errors


def measure(
    database_url, pages, *, workers=2, redis_url=None, overrides=None, log=print, keep_database=False
):
    """Run the row against a scratch database named after `database_url`;
    return its figures (the JSON row). `redis_url` is the bench's Redis (the
    workers touch claim pages there); `overrides` are settings for the
    workers (the bench's --set)."""
    from bench.run import production_env

    scratch_url = capture_database_url(database_url)
    media = tempfile.mkdtemp(prefix="cc-bench-capture-")
    env = production_env(scratch_url, redis_url or os.environ.get("REDIS_URL", ""), overrides)
    env.update(CAPTURE_ALLOW_LOOPBACK="1", CAPTURE_ON_SAVE="1", MEDIA_ROOT=media, CAPTURE_TIMEOUT="20")
    try:
        _recreate(scratch_url)
        _manage(env, "migrate", "--noinput", "-v0")
        with news_site() as site:
            base = f"http://{HOST}:{site.server_port}"
            log(f"{LABEL.format(workers=workers)}: {pages} sources on {base}, queued, then {workers} workers")
            # The pages are made before the clock starts: the site's own cost
            # (~5 ms a page in Python) is not the capture's.
            site.pages.update((STORY_PATH % i, article(STORY_PATH % i)) for i in range(pages))
            _manage(env, "shell", "--no-imports", "-c", QUEUE.format(pages=pages, base=base, path=STORY_PATH))
            queued = _query(
                scratch_url, "SELECT count(*) FROM {tasks} WHERE queue_name = 'capture' AND status = 'READY'"
            )
            seconds, cpu, codes, errors = run_workers(env, workers, timeout=max(120, pages))
            served = site.served
        captures, captured, tasks, succeeded, mean_size, hashes = _query(scratch_url, FIGURES)[0]
        durations = [
            row[0]
            for row in _query(
                scratch_url,
                "SELECT extract(epoch FROM finished_at - started_at) FROM {tasks} "
                "WHERE queue_name = 'capture' AND finished_at IS NOT NULL",
            )
        ]
        fetches = [
            row[0]
            for row in _query(scratch_url, "SELECT duration FROM claims_capture WHERE duration IS NOT NULL")
        ]
        busy = _query(
            scratch_url,
            "SELECT extract(epoch FROM max(finished_at) - min(started_at)) FROM {tasks} "
            "WHERE queue_name = 'capture'",
        )[0][0]
        reasons = _query(
            scratch_url,
            "SELECT failure_reason, count(*) FROM claims_capture WHERE state <> 'captured' "
            "GROUP BY failure_reason ORDER BY count(*) DESC LIMIT 5",
        )
        warcs = sum(1 for path in Path(media).rglob("*.warc.gz") if path.is_file())
    finally:
        shutil.rmtree(media, ignore_errors=True)
        if not keep_database:
            _recreate(scratch_url, drop_only=True)
    failed = pages - captured
    result = {
        "status": "ok",
        "label": LABEL.format(workers=workers),
        "pages": pages,
        "workers": workers,
        "seconds": round(seconds, 2),
        "pages_per_s": round(captured / seconds, 1) if seconds else 0.0,
        # The same, from the first task's start to the last one's end: without
        # the workers' start-up (Django's import and checks).
        "busy_pages_per_s": round(captured / float(busy), 1) if busy else None,
        "p50_ms": _ms(percentile([float(d) for d in durations], 0.5)),
        "p99_ms": _ms(percentile([float(d) for d in durations], 0.99)),
        "fetch_p50_ms": _ms(percentile(fetches, 0.5)),
        # The workers' own CPU a page (start-up included; PostgreSQL's and the
        # site's are not): steadier than the rate on a shared machine.
        "worker_cpu_ms_per_page": round(cpu * 1000 / pages, 1) if pages else None,
        "page_kb": round(float(mean_size) / 1024, 1) if mean_size else None,
        "queued": queued[0][0],
        "captured": captured,
        "failed": failed,
        "distinct_hashes": hashes,
        "warc_files": warcs,
        "requests_served": served,
        "worker_exit_codes": codes,
        "target_pages_per_s": TARGET_PAGES_PER_S,
    }
    if captures != pages or tasks != pages or succeeded != pages:
        result["detail"] = (
            f"{captures} captures and {succeeded} of {tasks} tasks successful for {pages} sources"
        )
    if failed:
        result["failure_reasons"] = [f"{count} × {reason or '(pending)'}" for reason, count in reasons]
    if any(code != 0 for code in codes):
        result["worker_errors"] = [error for error in errors if error]
    return result


def _ms(seconds):
    return round(seconds * 1000, 1) if seconds is not None else None


def problems(result):
    """What is wrong with a capture row: correctness, never speed (a rate
    under the target is a note, see under_target)."""
    if result.get("status") != "ok":
        yield f"{NAME}: {result.get('status')} {result.get('detail', '')}".rstrip()
        return
    rate = result.get("pages_per_s")
    if not isinstance(rate, int | float) or rate <= 0:
        yield f"{NAME}: no pages_per_s"
    pages = result.get("pages")
    if not pages:
        yield f"{NAME}: no page was queued"
    if result.get("failed") != 0:
        yield f"{NAME}: failed = {result.get('failed')} {result.get('failure_reasons', '')}".rstrip()
    for figure in ("queued", "captured", "distinct_hashes", "warc_files"):
        if result.get(figure) != pages:
            yield f"{NAME}: {figure} = {result.get(figure)} for {pages} pages"
    if result.get("detail"):
        yield f"{NAME}: {result['detail']}"
    if any(code != 0 for code in result.get("worker_exit_codes", [])):
        errors = result.get("worker_errors", "")
        yield f"{NAME}: worker exit codes {result['worker_exit_codes']} {errors}".rstrip()


def under_target(result):
    """A note when the rate is under the issue's target: reported, never a
    failure (a shared CI machine's timings are not the code's)."""
    rate = result.get("pages_per_s")
    if result.get("status") == "ok" and isinstance(rate, int | float) and rate < TARGET_PAGES_PER_S:
        return f"{NAME}: {rate} pages/s is under the {TARGET_PAGES_PER_S} pages/s target"
    return None


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url", required=True, help="the bench database (the row uses <name>_capture)"
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", ""))
    parser.add_argument("--pages", type=int, default=400)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep-database", action="store_true", help="leave <name>_capture for a look")
    args = parser.parse_args()
    result = measure(
        args.database_url,
        args.pages,
        workers=args.workers,
        redis_url=args.redis_url,
        log=lambda message: print(f"[bench] {message}", file=sys.stderr, flush=True),
        keep_database=args.keep_database,
    )
    print("CAPTUREJSON " + json.dumps(result))
    for problem in problems(result):
        print(f"problem: {problem}", file=sys.stderr)


if __name__ == "__main__":
    main()
