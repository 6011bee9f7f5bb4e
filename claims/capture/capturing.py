"""Taking a capture: ask for one (a pending row and a task, once the
transaction that asked commits), then fill it once from a fetch.

    capture = request_capture(source, CaptureTrigger.REQUESTED, user=request.user)
    take_capture(capture.pk)          # what the task runs, in a worker

A fetch that fails where trying later can help (a timeout, a 503) is tried
again with backoff (RETRY_DELAYS); anything else, or the last try, ends the
capture as failed with its reason. Every path ends the capture: no capture
stays pending after its last try, whatever went wrong.
"""

import datetime as dt
import hashlib
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Case, Exists, F, OuterRef, Value, When
from django.tasks import task
from django.utils import timezone

from claims.caching import claims_citing, touch_claims
from claims.models import Capture, Source
from claims.vocabularies import CaptureState, CaptureTrigger, LinkState, SourceCaptureState

from .extract import extract
from .fetcher import FetchError, fetch
from .warc import build_warc

logger = logging.getLogger(__name__)

# Seconds to wait before the second and third tries.
RETRY_DELAYS = (30, 300)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# Statuses worth asking again later: the server is busy or briefly broken.
RETRYABLE_STATUSES = {408, 425, 429, 500, 502, 503, 504}
GONE_STATUSES = {404, 410}


def request_capture(source, trigger=CaptureTrigger.REQUESTED, user=None):
    """A pending capture of `source`'s URL, and its task once this transaction
    commits (so the worker never looks for a row it cannot see yet). None for a
    source without a URL."""
    if not source.url:
        return None
    capture = Capture.objects.create(
        source=source, trigger=trigger, requested_url=source.url, requested_by=user
    )
    Source.objects.filter(pk=source.pk).update(capture_state=SourceCaptureState.PENDING)
    transaction.on_commit(lambda: enqueue(capture.pk))
    return capture


def request_captures(sources, trigger=CaptureTrigger.CREATED, user=None):
    """`request_capture` for many sources at once (a claim set's new sources):
    one insert and one update for all of them; their tasks once this
    transaction commits. Nothing when captures on save are off."""
    sources = [source for source in sources if source.url]
    if not sources or not captures_enabled():
        return []
    captures = Capture.objects.bulk_create(
        [Capture(source=s, trigger=trigger, requested_url=s.url, requested_by=user) for s in sources]
    )
    Source.objects.filter(pk__in=[s.pk for s in sources]).update(capture_state=SourceCaptureState.PENDING)
    # One task that queues the captures' own tasks: the request that made the
    # sources writes one task row, not one a source.
    ids = [capture.pk for capture in captures]
    transaction.on_commit(lambda: queue_captures.enqueue(ids))
    return captures


@task(queue_name="capture")
def queue_captures(capture_ids):
    """Queue a capture task for each of many captures, committed once."""
    with transaction.atomic():
        for capture_id in capture_ids:
            enqueue(capture_id)
    return len(capture_ids)


@task(queue_name="capture")
def capture_source(capture_id):
    """The capture task: what the worker runs for each pending capture."""
    capture = take_capture(capture_id)
    return capture.state if capture else None


def enqueue(capture_id, delay=None):
    queued = capture_source
    if delay:
        queued = queued.using(run_after=timezone.now() + dt.timedelta(seconds=delay))
    return queued.enqueue(capture_id)


def take_capture(capture_id):
    """Fetch and store one pending capture; what the capture task runs."""
    capture = Capture.objects.filter(pk=capture_id).defer("text").first()
    if capture is None or capture.state != CaptureState.PENDING:
        return capture  # done already (a task enqueued twice)
    try:
        fetched = fetch(capture.requested_url)
    except FetchError as error:
        return _fetch_failed(capture, error.reason, retryable=error.retryable, gone=error.gone)
    except Exception as error:  # a bug must not leave the capture pending forever
        logger.exception("Capture %s failed unexpectedly", capture_id)
        return finish_failed(capture, f"internal error: {error.__class__.__name__}")
    if not 200 <= fetched.status < 300:
        reason = f"the page answered {fetched.status} {fetched.reason}".rstrip()
        return _fetch_failed(
            capture,
            reason,
            retryable=fetched.status in RETRYABLE_STATUSES,
            gone=fetched.status in GONE_STATUSES,
            fetched=fetched,
        )
    try:
        return finish_captured(capture, fetched)
    except Exception as error:
        logger.exception("Capture %s could not be stored", capture_id)
        return finish_failed(capture, f"internal error: {error.__class__.__name__}")


def _fetch_failed(capture, reason, *, retryable, gone, fetched=None):
    attempts = capture.attempts + 1
    if retryable and attempts < MAX_ATTEMPTS:
        Capture.objects.filter(pk=capture.pk, state=CaptureState.PENDING).update(
            attempts=attempts, failure_reason=f"{reason} (trying again)"
        )
        enqueue(capture.pk, delay=RETRY_DELAYS[attempts - 1])
        capture.attempts = attempts
        return capture
    capture = finish_failed(capture, reason, fetched=fetched)
    if gone:
        mark_gone(capture.source_id, capture.fetched_at or timezone.now())
    return capture


def _fill_once(capture, **fields):
    """Fill a pending capture in one UPDATE that matches only while it is
    pending: a finished capture is never changed (a task run twice finds
    nothing to fill). Returns the capture as stored."""
    filled = Capture.objects.filter(pk=capture.pk, state=CaptureState.PENDING).update(
        attempts=capture.attempts + 1, **fields
    )
    if not filled:
        return Capture.objects.get(pk=capture.pk), False
    for name, value in fields.items():
        setattr(capture, name, value)
    capture.attempts += 1
    return capture, True


def _answer_fields(fetched):
    return {
        "final_url": fetched.final_url[:2000],
        "http_status": fetched.status,
        "content_type": fetched.content_type[:200],
        "size": len(fetched.body),
        "fetched_at": fetched.fetched_at,
        "duration": fetched.seconds,
    }


def finish_failed(capture, reason, fetched=None):
    fields = _answer_fields(fetched) if fetched is not None else {"fetched_at": timezone.now()}
    with transaction.atomic():
        capture, filled = _fill_once(
            capture, state=CaptureState.FAILED, failure_reason=reason[:500], **fields
        )
        if filled:
            _source_after(capture, failed=True)
    return capture


def finish_captured(capture, fetched):
    """Store the WARC (outside the transaction: a file write can be slow),
    then fill the capture and its source in one transaction."""
    facts = extract(fetched.body, fetched.content_type, fetched.final_url, fetched.headers)
    warc = build_warc(fetched)
    warc_name = Capture.warc.field.storage.save(
        Capture.warc.field.generate_filename(capture, f"capture-{capture.pk}.warc.gz"), ContentFile(warc)
    )
    with transaction.atomic():
        capture, filled = _fill_once(
            capture,
            state=CaptureState.CAPTURED,
            failure_reason="",
            sha256=hashlib.sha256(fetched.body).hexdigest(),
            title=facts.title[:500],
            published_on=facts.published_on,
            language=facts.language,
            text=facts.text,
            warc=warc_name,
            warc_sha256=hashlib.sha256(warc).hexdigest(),
            warc_size=len(warc),
            **_answer_fields(fetched),
        )
        if filled:
            _source_after(capture, failed=False)
    return capture


def _source_after(capture, *, failed):
    """The source's capture state follows its newest finished capture, and
    its latest capture is its newest captured one: one UPDATE, whatever order
    the workers finish in."""
    mine = Capture.objects.filter(source_id=OuterRef("pk"))
    newer = mine.filter(requested_at__gt=capture.requested_at)
    newer_captured = newer.filter(state=CaptureState.CAPTURED)
    pending = mine.filter(state=CaptureState.PENDING)
    finished = SourceCaptureState.FAILED if failed else SourceCaptureState.CAPTURED
    changes = {
        "capture_state": Case(
            When(Exists(newer.exclude(state=CaptureState.PENDING)), then=F("capture_state")),
            When(Exists(pending), then=Value(SourceCaptureState.PENDING)),
            default=Value(finished),
        )
    }
    if not failed:
        changes["latest_capture"] = Case(
            When(Exists(newer_captured), then=F("latest_capture")), default=Value(capture.pk)
        )
    Source.objects.filter(pk=capture.source_id).update(**changes)
    # The claim pages citing it show its evidence (claims/caching).
    touch_claims(claims_citing([capture.source_id]))


def mark_gone(source_id, when):
    """The URL no longer answers (404, 410, a host that no longer resolves):
    gone since the first time we saw it so."""
    day = timezone.localdate(when) if timezone.is_aware(when) else when.date()
    updated = (
        Source.objects.filter(pk=source_id)
        .exclude(link_state=LinkState.GONE)
        .update(link_state=LinkState.GONE, gone_since=day, link_checked_at=when)
    )
    if updated:
        touch_claims(claims_citing([source_id]))


def captures_enabled():
    return getattr(settings, "CAPTURE_ON_SAVE", True)
