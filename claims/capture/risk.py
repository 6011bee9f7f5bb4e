"""Where each source's evidence stands, for the editors' lists: a short
summary for the sources changelist, and the sources at risk (never
captured, latest capture failed, gone, changed), each with one risk, its
reason and since when. Everything is read in the query that lists the
sources (a few correlated subqueries, no query per row).

    sources = with_capture_facts(Source.objects.all())   # .last_failure_reason, .last_failure_at
    capture_summary(source)            # "captured 2023-04-03 · 1a2b3c4d5e6f…" and the like
    at_risk = sources_at_risk()        # annotated .risk, .risk_since
    at_risk_counts()                   # {"never": 3, "failed": 1, "gone": 0, "changed": 2}
    risk_reason(source)                # "the page answered 404 Not Found; we hold no copy"
    since(source)                      # a day (gone) or a time
"""

from django.db import models
from django.db.models import Case, Count, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from claims.models import Capture, Source
from claims.vocabularies import CaptureState, LinkState, SourceCaptureState


class Risk(models.TextChoices):
    """Why a source's evidence needs an editor, most urgent first: a source
    that is several of these is listed under the first."""

    GONE = "gone", "Gone"
    FAILED = "failed", "Capture failed"
    CHANGED = "changed", "Changed since captured"
    NEVER = "never", "Never captured"


RISK_CONDITIONS = {
    Risk.GONE: Q(link_state=LinkState.GONE),
    Risk.FAILED: Q(capture_state=SourceCaptureState.FAILED),
    Risk.CHANGED: Q(link_state=LinkState.CHANGED),
    Risk.NEVER: Q(latest_capture__isnull=True),
}
SHORT_HASH = 12


def _last_failed():
    return Capture.objects.filter(source_id=OuterRef("pk"), state=CaptureState.FAILED).order_by(
        "-requested_at", "-pk"
    )


def with_capture_facts(queryset):
    """Sources with their latest capture (its text left behind) and their
    latest failed capture's reason and time, in the same query."""
    return (
        queryset.select_related("latest_capture")
        .defer("latest_capture__text")
        .annotate(
            last_failure_reason=Subquery(_last_failed().values("failure_reason")[:1]),
            last_failure_at=Subquery(_last_failed().values("fetched_at")[:1]),
        )
    )


def _day(moment):
    if moment is None:
        return ""
    if hasattr(moment, "hour") and timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.strftime("%Y-%m-%d")


def copy_summary(capture):
    """ "2023-04-03 · 1a2b3c4d5e6f…" for a finished capture."""
    return f"{_day(capture.fetched_at)} · {capture.sha256[:SHORT_HASH]}…"


def capture_summary(source):
    """One line for the sources changelist: never / pending / captured (day
    and short hash) / failed (reason), and "gone since" when it is. Reads
    only what with_capture_facts() brought along."""
    state = source.capture_state
    latest = source.latest_capture
    if not source.url:
        line = "no URL"
    elif state == SourceCaptureState.CAPTURED and latest is not None:
        line = f"captured {copy_summary(latest)}"
    elif state == SourceCaptureState.FAILED:
        reason = getattr(source, "last_failure_reason", None)
        line = f"failed: {reason}" if reason else "failed"
        if latest is not None:
            line += f" (last copy {copy_summary(latest)})"
    elif state == SourceCaptureState.PENDING:
        line = "pending"
        if latest is not None:
            line += f" (last copy {copy_summary(latest)})"
    else:
        line = "never"
    if source.link_state == LinkState.GONE and source.gone_since:
        line += f"; gone since {_day(source.gone_since)}"
    elif source.link_state == LinkState.CHANGED:
        line += "; changed since captured"
    return line


def _risk_case():
    return Case(
        *(When(condition, then=Value(risk.value)) for risk, condition in RISK_CONDITIONS.items()),
        default=Value(""),
        output_field=models.CharField(),
    )


def _pending_since():
    return Subquery(
        Capture.objects.filter(source_id=OuterRef("pk"), state=CaptureState.PENDING)
        .order_by("requested_at", "pk")
        .values("requested_at")[:1]
    )


def _at_risk_base():
    """Sources with a URL (nothing to capture without one) that are at risk."""
    at_risk = Q()
    for condition in RISK_CONDITIONS.values():
        at_risk |= condition
    return Source.objects.exclude(url="").filter(at_risk).annotate(risk=_risk_case())


def sources_at_risk(risk=None):
    """The sources at risk, each annotated with its `risk` (a Risk value) and
    `risk_since` (a date or time); most urgent risk first, then the longest
    at risk. `risk` narrows the list to one kind."""
    queryset = _at_risk_base()
    if risk:
        queryset = queryset.filter(risk=risk)
    queryset = with_capture_facts(queryset.select_related("publisher")).annotate(
        pending_since=_pending_since()
    )
    # For "gone" the day is all that is known: gone_since, a date, see since().
    since = Case(
        When(risk=Risk.FAILED, then=Coalesce("last_failure_at", "link_checked_at", "created_at")),
        When(risk=Risk.CHANGED, then=Coalesce("latest_capture__fetched_at", "link_checked_at", "created_at")),
        When(risk=Risk.NEVER, then=Coalesce("pending_since", "created_at")),
        default=None,
        output_field=models.DateTimeField(),
    )
    order = Case(
        *(When(risk=risk.value, then=Value(index)) for index, risk in enumerate(Risk)),
        output_field=models.IntegerField(),
    )
    return queryset.annotate(risk_since=since, risk_order=order).order_by(
        "risk_order", F("gone_since").asc(nulls_last=True), "risk_since", "pk"
    )


def since(source):
    """Since when a source from sources_at_risk() is at risk: a day for a
    source that is gone, a time for the others."""
    return source.gone_since if source.risk == Risk.GONE else source.risk_since


def at_risk_counts():
    """How many sources are at risk, by risk, in one query."""
    found = {
        row["risk"]: row["n"]
        for row in _at_risk_base().order_by().values("risk").annotate(n=Count("pk")).values("risk", "n")
    }
    return {risk.value: found.get(risk.value, 0) for risk in Risk}


def risk_reason(source):
    """Why a source from sources_at_risk() is at risk, in a few words."""
    latest = source.latest_capture
    copy = f"our copy of {copy_summary(latest)} is kept" if latest else "we hold no copy"
    if source.risk == Risk.GONE:
        return f"the page no longer answers; {copy}"
    if source.risk == Risk.FAILED:
        reason = source.last_failure_reason or "no reason was recorded"
        return f"{reason}; {copy}"
    if source.risk == Risk.CHANGED:
        captured = f" (captured again {copy_summary(latest)})" if latest else ""
        return f"the page differs from the capture before{captured}"
    if source.capture_state == SourceCaptureState.PENDING:
        return "a capture is waiting for the worker"
    return "no capture was ever asked for"
