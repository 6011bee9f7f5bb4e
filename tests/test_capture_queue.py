"""Capture on the real queue: a source saved with a URL gets a pending
capture and a task (once its transaction commits); the db_worker command
runs it against real HTTP from a local server. Every bad URL ends as a failed
capture with its reason, and the worker goes on to the next task."""

import hashlib
import io
import time

import pytest
from django_tasks_db.models import DBTaskResult
from warcio.archiveiterator import ArchiveIterator
from werkzeug import Response

from claims.capture import capturing
from claims.models import Capture, Source
from claims.vocabularies import CaptureState, CaptureTrigger, LinkState, SourceCaptureState

from .capture_support import ARTICLE, run_worker
from .factories import SourceFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("capture_settings"),
]


@pytest.fixture
def no_backoff(monkeypatch):
    """Retries at once, so one batch run of the worker sees every try."""
    monkeypatch.setattr(capturing, "RETRY_DELAYS", (0, 0))


def test_a_source_logged_is_captured_by_the_worker_with_hash_title_and_warc(httpserver):
    httpserver.expect_request("/article").respond_with_data(ARTICLE, content_type="text/html; charset=utf-8")
    source = SourceFactory(url=httpserver.url_for("/article"))
    pending = source.captures.get()
    assert pending.state == CaptureState.PENDING
    assert pending.trigger == CaptureTrigger.CREATED
    assert Source.objects.get(pk=source.pk).capture_state == SourceCaptureState.PENDING
    assert DBTaskResult.objects.ready().count() == 1

    run_worker()

    capture = Capture.objects.get(pk=pending.pk)
    assert capture.state == CaptureState.CAPTURED
    assert capture.sha256 == hashlib.sha256(ARTICLE).hexdigest()
    assert (capture.http_status, capture.content_type, capture.size) == (200, "text/html", len(ARTICLE))
    assert capture.title == "Wagner claims Bakhmut town hall"
    assert "raised the Russian flag" in capture.text
    assert capture.final_url == source.url

    stored = capture.warc.read()
    assert hashlib.sha256(stored).hexdigest() == capture.warc_sha256
    records = {record.rec_type: record for record in _records(stored)}
    assert set(records) >= {"warcinfo", "request", "response", "metadata"}

    source.refresh_from_db()
    assert source.capture_state == SourceCaptureState.CAPTURED
    assert source.latest_capture_id == capture.pk


def _records(warc_bytes):
    out = []
    for record in ArchiveIterator(io.BytesIO(warc_bytes)):
        record.payload = record.content_stream().read()
        out.append(record)
    return out


def test_the_warc_holds_the_body_exactly_as_received(httpserver):
    body = ARTICLE + b"\x00\xff binary tail"
    httpserver.expect_request("/raw").respond_with_data(body, content_type="text/html")
    source = SourceFactory(url=httpserver.url_for("/raw"))
    run_worker()
    capture = source.captures.get()
    (response,) = [r for r in _records(capture.warc.read()) if r.rec_type == "response"]
    assert response.payload == body
    assert response.rec_headers.get_header("WARC-Target-URI") == source.url
    assert response.http_headers.get_statuscode() == "200"


def test_a_redirect_chain_is_captured_at_its_end_and_written_down(httpserver):
    httpserver.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/new"})
    httpserver.expect_request("/new").respond_with_data(ARTICLE, content_type="text/html")
    source = SourceFactory(url=httpserver.url_for("/old"))
    run_worker()
    capture = source.captures.get()
    assert capture.state == CaptureState.CAPTURED
    assert capture.final_url == httpserver.url_for("/new")
    (metadata,) = [r for r in _records(capture.warc.read()) if r.rec_type == "metadata"]
    assert f"redirect: 301 {source.url}".encode() in metadata.payload


def test_a_pdf_is_captured_with_its_hash_and_no_text(httpserver):
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    httpserver.expect_request("/report.pdf").respond_with_data(pdf, content_type="application/pdf")
    source = SourceFactory(url=httpserver.url_for("/report.pdf"))
    run_worker()
    capture = source.captures.get()
    assert capture.state == CaptureState.CAPTURED
    assert capture.content_type == "application/pdf"
    assert capture.sha256 == hashlib.sha256(pdf).hexdigest()
    assert capture.text == ""


def test_every_bad_url_ends_as_a_failed_capture_and_the_worker_goes_on(threaded_server, settings, no_backoff):
    httpserver = threaded_server
    settings.CAPTURE_TIMEOUT = 0.5
    settings.CAPTURE_MAX_BYTES = 1000
    httpserver.expect_request("/jump").respond_with_data(
        "", status=302, headers={"Location": "http://10.0.0.5/"}
    )
    httpserver.expect_request("/missing").respond_with_data("no", status=404)
    httpserver.expect_request("/removed").respond_with_data("gone", status=410)
    httpserver.expect_request("/huge").respond_with_data(b"x" * 5000, content_type="text/html")

    def slow(request):
        time.sleep(1.5)
        return Response(ARTICLE, content_type="text/html")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    httpserver.expect_request("/fine").respond_with_data(ARTICLE, content_type="text/html")

    reasons = {
        "/jump": "refused: address 10.0.0.5 is private",
        "/missing": "the page answered 404 NOT FOUND",
        "/removed": "the page answered 410 GONE",
        "/huge": "refused: body of 5,000 bytes is over the 1,000-byte limit",
        "/slow": "timed out after 0.5 s",
    }
    sources = {path: SourceFactory(url=httpserver.url_for(path)) for path in [*reasons, "/fine"]}
    sources["ftp"] = SourceFactory(url="ftp://files.example.org/leak")

    run_worker()

    for path, reason in reasons.items():
        capture = sources[path].captures.get()
        assert (capture.state, capture.failure_reason) == (CaptureState.FAILED, reason), path
        assert Source.objects.get(pk=sources[path].pk).capture_state == SourceCaptureState.FAILED
    assert sources["ftp"].captures.get().failure_reason == "refused: scheme ftp is not http or https"
    assert sources["/slow"].captures.get().attempts == capturing.MAX_ATTEMPTS  # tried again, then gave up
    assert sources["/fine"].captures.get().state == CaptureState.CAPTURED
    # 404 and 410 say the page is gone; a timeout says nothing about it.
    assert Source.objects.get(pk=sources["/removed"].pk).link_state == LinkState.GONE
    assert Source.objects.get(pk=sources["/missing"].pk).link_state == LinkState.GONE
    assert Source.objects.get(pk=sources["/slow"].pk).link_state == LinkState.UNCHECKED
    assert not DBTaskResult.objects.failed().exists()  # no task crashed


def test_a_retryable_failure_is_tried_again_later_not_at_once(httpserver):
    httpserver.expect_request("/busy").respond_with_data("busy", status=503)
    source = SourceFactory(url=httpserver.url_for("/busy"))
    run_worker()
    capture = source.captures.get()
    assert capture.state == CaptureState.PENDING
    assert capture.attempts == 1
    assert capture.failure_reason == "the page answered 503 SERVICE UNAVAILABLE (trying again)"
    later = DBTaskResult.objects.get(status="READY")
    assert later.run_after is not None


def test_an_unexpected_error_fails_the_capture_and_the_worker_goes_on(httpserver, monkeypatch):
    httpserver.expect_request("/a").respond_with_data(ARTICLE, content_type="text/html")
    httpserver.expect_request("/b").respond_with_data(ARTICLE + b" ", content_type="text/html")
    first = SourceFactory(url=httpserver.url_for("/a"))
    second = SourceFactory(url=httpserver.url_for("/b"))
    calls = []
    real_build = capturing.build_warc

    def broken_once(fetched):
        calls.append(fetched.requested_url)
        if len(calls) == 1:
            raise RuntimeError("disk full")
        return real_build(fetched)

    monkeypatch.setattr(capturing, "build_warc", broken_once)
    run_worker()
    states = {first.captures.get().state, second.captures.get().state}
    assert states == {CaptureState.FAILED, CaptureState.CAPTURED}
    failed = Capture.objects.get(state=CaptureState.FAILED)
    assert failed.failure_reason == "internal error: RuntimeError"


def test_a_changed_url_is_captured_again_and_an_unchanged_save_is_not(httpserver):
    httpserver.expect_request("/one").respond_with_data(ARTICLE, content_type="text/html")
    httpserver.expect_request("/two").respond_with_data(ARTICLE + b"<p>two</p>", content_type="text/html")
    source = SourceFactory(url=httpserver.url_for("/one"))
    run_worker()
    source.refresh_from_db()
    source.title = "Renamed"
    source.save()
    assert source.captures.count() == 1
    source.url = httpserver.url_for("/two")
    source.save()
    run_worker()
    first, second = source.captures.in_order()
    assert second.trigger == CaptureTrigger.URL_CHANGED
    assert second.requested_url.endswith("/two")
    assert first.sha256 != second.sha256
    assert Source.objects.get(pk=source.pk).latest_capture_id == second.pk


def test_a_page_that_changes_between_two_captures_keeps_both_copies(httpserver):
    versions = iter([ARTICLE, ARTICLE.replace(b"was holding", b"had fallen")])
    httpserver.expect_request("/live").respond_with_handler(
        lambda request: Response(next(versions), content_type="text/html")
    )
    source = SourceFactory(url=httpserver.url_for("/live"))
    run_worker()
    capturing.request_capture(source, CaptureTrigger.REQUESTED)
    run_worker()
    first, second = source.captures.in_order()
    assert first.state == second.state == CaptureState.CAPTURED
    assert first.sha256 != second.sha256
    assert "was holding" in first.text
    assert "had fallen" in second.text


def test_a_finished_capture_is_never_changed_or_deleted(httpserver):
    httpserver.expect_request("/article").respond_with_data(ARTICLE, content_type="text/html")
    source = SourceFactory(url=httpserver.url_for("/article"))
    run_worker()
    capture = source.captures.get()
    capture.title = "Doctored"
    with pytest.raises(ValueError, match="never changed"):
        capture.save()
    with pytest.raises(ValueError, match="never deleted"):
        capture.delete()
    assert Capture.objects.get(pk=capture.pk).title == "Wagner claims Bakhmut town hall"


def test_a_source_without_a_url_is_not_captured():
    source = SourceFactory(url="")
    assert not source.captures.exists()
    assert Source.objects.get(pk=source.pk).capture_state == SourceCaptureState.NEVER
