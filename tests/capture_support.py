"""Helpers for the capture tests: the real worker of django-tasks-db run in
this process until the queue is empty, stored files in a temporary
MEDIA_ROOT, and captures taken from a response built here (for page tests
that need evidence on a claim without an HTTP server)."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from pytest_httpserver import HTTPServer

from claims.capture.capturing import finish_captured
from claims.capture.fetcher import Fetched
from claims.models import Capture
from claims.vocabularies import CaptureTrigger

ARTICLE = (
    b"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
    b"<title>Wagner claims Bakhmut town hall</title>"
    b"<meta property='og:site_name' content='Reuters'>"
    b"<meta property='article:published_time' content='2023-04-03T10:00:00Z'></head>"
    b"<body><article><h1>Wagner claims Bakhmut town hall</h1>"
    b"<p>Yevgeny Prigozhin said his fighters had raised the Russian flag over the city administration "
    b"building in Bakhmut. Ukraine's eastern command said the city was holding.</p>"
    b"<p>Serhiy Cherevatiy told Reuters by phone that Bakhmut is Ukrainian "
    b"and they have not captured anything.</p>"
    b"</article></body></html>"
)


@pytest.fixture
def capture_settings(settings, tmp_path):
    """Loopback allowed (the test server is on 127.0.0.1), files in a temporary directory."""
    settings.CAPTURE_ALLOW_LOOPBACK = True
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CAPTURE_TIMEOUT = 5
    return settings


@pytest.fixture
def threaded_server():
    """A server that answers the next request while a slow one still sleeps."""
    server = HTTPServer(host="127.0.0.1", threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


def run_worker():
    """The db_worker command, as `make run` starts it, until no task is ready."""
    call_command(
        "db_worker",
        "--batch",
        "--no-startup-delay",
        "--no-reload",
        "--queue-name",
        "*",
        "--interval",
        "0",
        verbosity=0,
    )


def fetched(url, body=ARTICLE, content_type="text/html; charset=utf-8", status=200, when=None):
    return Fetched(
        requested_url=url,
        final_url=url,
        status=status,
        reason="OK",
        headers=[("Content-Type", content_type), ("Content-Length", str(len(body)))],
        body=body,
        address="203.0.113.7",
        fetched_at=when or timezone.now() - dt.timedelta(minutes=1),
        seconds=0.05,
    )


def capture_of(source, body=ARTICLE, **options):
    """A finished capture of `source` made from a response built here."""
    capture = Capture.objects.create(
        source=source, trigger=CaptureTrigger.REQUESTED, requested_url=source.url or "https://example.org/"
    )
    return finish_captured(capture, fetched(capture.requested_url, body, **options))
