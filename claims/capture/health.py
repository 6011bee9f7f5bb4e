"""Link health: is each source still where it was, and still what we captured?

    check_link(source_id)   # fetch once: alive, changed (captured again), or gone

A check that finds a body whose SHA-256 differs from the latest capture
stores that body as a new capture at once (no second fetch); a 404, a 410 or
a host that no longer resolves marks the source gone since that day (the
copies stay). A timeout or a 5xx says nothing about the page: only the time
of the check is kept.

enqueue_due_checks() queues a check of every source not checked for
LINK_CHECK_EVERY_HOURS, least recently checked first; `manage.py check_links`
runs it from cron, or keeps it scheduled on the worker (--schedule).
"""

import datetime as dt
import hashlib

from django.conf import settings
from django.db.models import F, Q
from django.tasks import TaskResultStatus, task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from claims.caching import claims_citing, touch_claims
from claims.models import Capture, Source
from claims.vocabularies import CaptureTrigger, LinkState

from .capturing import GONE_STATUSES, finish_captured, mark_gone
from .fetcher import FetchError, fetch


def check_every():
    return dt.timedelta(hours=getattr(settings, "LINK_CHECK_EVERY_HOURS", 24))


def check_link(source_id):
    """Check one source's URL now; returns the link state it ends in."""
    source = Source.objects.select_related("latest_capture").filter(pk=source_id).first()
    if source is None or not source.url:
        return None
    now = timezone.now()
    try:
        fetched = fetch(source.url)
    except FetchError as error:
        if error.gone:
            mark_gone(source.pk, now)
            return LinkState.GONE
        Source.objects.filter(pk=source.pk).update(link_checked_at=now)
        return source.link_state
    if fetched.status in GONE_STATUSES:
        mark_gone(source.pk, fetched.fetched_at)
        return LinkState.GONE
    if not 200 <= fetched.status < 300:
        Source.objects.filter(pk=source.pk).update(link_checked_at=now)
        return source.link_state

    latest = source.latest_capture
    digest = hashlib.sha256(fetched.body).hexdigest()
    state = LinkState.ALIVE if latest is not None and latest.sha256 == digest else LinkState.CHANGED
    if state == LinkState.CHANGED:
        capture = Capture.objects.create(
            source=source, trigger=CaptureTrigger.CHANGED, requested_url=source.url
        )
        finish_captured(capture, fetched)
        if latest is None:
            state = LinkState.ALIVE  # its first copy: nothing to differ from
    before = source.link_state
    Source.objects.filter(pk=source.pk).update(link_state=state, gone_since=None, link_checked_at=now)
    if before != state:
        touch_claims(claims_citing([source.pk]))
    return state


def due_sources(now=None):
    """Sources with a URL whose last check is older than check_every()."""
    now = now or timezone.now()
    return (
        Source.objects.exclude(url="")
        .filter(Q(link_checked_at__isnull=True) | Q(link_checked_at__lt=now - check_every()))
        .order_by(F("link_checked_at").asc(nulls_first=True), "pk")
    )


@task(queue_name="links")
def check_source_link(source_id):
    return check_link(source_id)


@task(queue_name="links")
def check_links(limit=None, every_minutes=None):
    """Queue a link check of each source not checked for LINK_CHECK_EVERY_HOURS;
    with every_minutes, queue itself again for then (the worker's schedule)."""
    queued = enqueue_due_checks(limit=limit)
    if every_minutes:
        schedule_link_checks(every_minutes)
    return queued


def enqueue_due_checks(limit=None, now=None):
    """Queue a check of each due source; returns how many. The check time is
    set as it is queued, so a second run does not queue the same ones again."""
    now = now or timezone.now()
    ids = list(due_sources(now).values_list("pk", flat=True)[:limit])
    Source.objects.filter(pk__in=ids).update(link_checked_at=now)
    for source_id in ids:
        check_source_link.enqueue(source_id)
    return len(ids)


def schedule_link_checks(every_minutes=60):
    """Keep one check_links task queued on the worker, every_minutes apart:
    the worker's own schedule where no cron runs `check_links`. Idempotent."""
    queued = DBTaskResult.objects.filter(
        task_path=check_links.module_path, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    )
    if queued.filter(status=TaskResultStatus.READY).exists():
        return None
    return check_links.using(run_after=timezone.now() + dt.timedelta(minutes=every_minutes)).enqueue(
        every_minutes=every_minutes
    )
