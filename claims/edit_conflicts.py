"""No lost edits: a form carries the version of the row it was opened at, and a
save is refused when someone else has changed the row (or a part of it shown
on the same form) since.

The version is the row's `updated_at` token, the same one the page cache keys
by and the API's ETag for readers is made from (`caching.version_token`): a
claim's moves with everything its page shows (`caching/invalidation.py`
touches it), a statement's with its sources, an actor's with its aliases. A
version that moved without an edit (a capture or a link check touches the
claims citing a source; that writes no history) is no conflict: what decides
is the history written since the form was opened, which also says who
changed what, and when.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from .caching import version_token
from .models import (
    Actor,
    ActorAlias,
    Assessment,
    Claim,
    ClaimLink,
    ExternalReview,
    Statement,
    StatementSource,
)

# The rows each form shows besides its own, as (model, lookup to the parent's pk).
PARTS = {
    Claim: [
        (Statement, "claim_id"),
        (StatementSource, "statement__claim_id"),
        (Assessment, "claim_id"),
        (ClaimLink, "from_claim_id"),
        (ExternalReview, "claim_id"),
    ],
    Statement: [(StatementSource, "statement_id")],
    Actor: [(ActorAlias, "actor_id")],
}
CHANGES_NAMED = 10  # a message names this many changes at most
HISTORY_VERBS = {"+": "added", "~": "changed", "-": "removed"}


@dataclass(frozen=True)
class Opened:
    """What a form was opened at: the row's version and the moment."""

    version: str
    at: dt.datetime

    def __str__(self):
        return f"{self.version}@{self.at.timestamp():.6f}"

    @classmethod
    def parse(cls, value):
        """The Opened a form sent back, or None for anything malformed."""
        version, _, moment = (value or "").rpartition("@")
        try:
            at = dt.datetime.fromtimestamp(float(moment), tz=dt.UTC)
        except (ValueError, OverflowError, OSError):
            return None
        return cls(version, at) if version else None


@dataclass(frozen=True)
class Change:
    user: str
    at: dt.datetime
    what: str


def supports(model):
    """Rows with a version (`updated_at`) can be checked."""
    return any(field.name == "updated_at" for field in model._meta.concrete_fields)


def current_version(model, pk, lock=False):
    """The stored row's version, or None where the row is gone. `lock` holds
    the row until the transaction ends, so two saves cannot both pass."""
    rows = model._default_manager.filter(pk=pk)
    if lock:
        rows = rows.select_for_update()
    updated_at = rows.values_list("updated_at", flat=True).first()
    return None if updated_at is None else version_token(model, pk, updated_at)


def opened(model, pk):
    """What a form opened now records."""
    return Opened(current_version(model, pk) or "", timezone.now())


def changes_since(model, pk, moment):
    """The edits to the row and its parts written after `moment`, oldest first."""
    histories = [(model.history.filter(**{model._meta.pk.attname: pk}), None)]
    histories += [(part.history.filter(**{lookup: pk}), part) for part, lookup in PARTS.get(model, [])]
    records = []
    for history, part in histories:
        rows = history.filter(history_date__gt=moment).select_related("history_user")
        records += [(record, part) for record in rows.order_by("history_date")[:CHANGES_NAMED]]
    records.sort(key=lambda pair: pair[0].history_date)
    return [_describe(record, part) for record, part in records[:CHANGES_NAMED]]


def conflict(model, pk, sent):
    """The changes that a save of a form opened at `sent` would overwrite
    (empty where there are none). Locks the row for the rest of the
    transaction. A form that sent no version (an old page, a script) is not
    checked."""
    opened_at = Opened.parse(sent)
    if opened_at is None:
        return []
    if current_version(model, pk, lock=True) == opened_at.version:
        return []
    return changes_since(model, pk, opened_at.at)


def conflict_message(obj, changes):
    """One sentence an editor can act on: who, when, what."""
    named = "; ".join(
        f"{change.what} by {change.user} at {timezone.localtime(change.at):%Y-%m-%d %H:%M:%S %Z}"
        for change in changes
    )
    return (
        f"Not saved: “{obj}” was changed after you opened this form ({named}). "
        "Your changes are still below and nothing of theirs was lost; compare with the current "
        "version (History opens it in a new page), then save again to keep yours."
    )


def _describe(record, part):
    user = record.history_user.get_username() if record.history_user else "the system"
    verb = HISTORY_VERBS.get(record.history_type, "changed")
    if part is None:
        what = f"{verb}: {', '.join(_changed_fields(record)) or 'saved'}" if verb == "changed" else verb
    else:
        what = f"{part._meta.verbose_name} “{_label(record)}” {verb}"
    return Change(user, record.history_date, what)


def _changed_fields(record):
    previous = record.prev_record
    if previous is None:
        return []
    delta = record.diff_against(previous)
    fields = record.instance_type._meta
    return [str(fields.get_field(change.field).verbose_name) for change in delta.changes]


def _label(record):
    """A part as an editor knows it; its parents may be gone, so each is asked
    for carefully."""
    labels = {
        Statement: lambda r: f"{_parent(r, 'actor')} {r.get_stance_display().lower()}",
        StatementSource: lambda r: str(_parent(r, "source")),
        Assessment: lambda r: f"{r.get_status_display()}, {r.assessed_at:%Y-%m-%d}",
        ClaimLink: lambda r: f"{r.get_kind_display()} {_parent(r, 'to_claim')}",
        ExternalReview: lambda r: f"{r.reviewer_name}: {r.rating}",
        ActorAlias: lambda r: r.name,
    }
    label = labels.get(record.instance_type, lambda r: str(r.pk))(record)
    return label if len(label) <= 60 else label[:59] + "…"


def _parent(record, name):
    try:
        return getattr(record, name)
    except ObjectDoesNotExist:
        return f"#{getattr(record, name + '_id')}"
