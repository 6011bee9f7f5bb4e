"""Recording the change stream: what readers can see, compared with what the
stream last said.

Every write of a claim, statement, assessment or claim link (by a receiver,
or by a writer that bypasses signals: `record_claim_trees`) names the rows it
may have made visible, changed or invisible. `record` then looks, under the
lock of `ChangeStreamHead`, at each row as a reader sees it now and at the
stream's last entry for it, and writes the difference:

- visible now, not visible by the stream's last entry: `published`;
- visible, and so it was: `status_changed` (a claim with a new status) or
  `changed` (the row itself was written);
- not visible now (a draft again, its claim unpublished, deleted) but visible
  by the last entry: `removed` (a tombstone);
- never visible: nothing, so a draft (and its slug) never appears.

Because each entry is decided against the stream itself, the stream cannot
drift from what the API shows, however the rows were written. A claim whose
visibility, status, slug or text changes re-checks its statements,
assessments and links too (their details show the claim). A slug change is
a tombstone for the old slug and `published` for the new one.

Positions: the head row stays locked from the first entry a transaction
records until it commits, so positions are handed out in commit order with
no gaps. Within one transaction a row has at most one entry: a later write
updates it (or, if the row ends as the stream already had it, removes it and
moves the transaction's last entry into its place). Once the transaction has
committed, `changes_recorded` is sent with its positions.
"""

from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from claims.models import Assessment, Change, ChangeStreamHead, Claim, ClaimLink, Statement
from claims.vocabularies import ChangeKind, ChangeSubject

from .signals import changes_recorded

CLAIM, STATEMENT, ASSESSMENT, CLAIM_LINK = (
    ChangeSubject.CLAIM,
    ChangeSubject.STATEMENT,
    ChangeSubject.ASSESSMENT,
    ChangeSubject.CLAIM_LINK,
)


@dataclass
class _Transaction:
    """What the current transaction has recorded: positions after `start` are its own."""

    unit: object  # the outermost atomic block of the transaction (not a test case's)
    start: int
    head: int = 0
    callback: object = None


@dataclass
class _Now:
    """A row as readers see it now."""

    claim_slug: str
    status: str = ""
    claim_id: int | None = None
    visible: bool = True


@dataclass
class Pending:
    """Rows to look at, by subject: {key: touched} (touched: the row itself was written)."""

    rows: dict = field(default_factory=lambda: {s: {} for s in ChangeSubject.values})
    claim_ids: dict = field(default_factory=dict)  # claims named by id: {id: touched}
    linked: set = field(default_factory=set)  # claim ids whose linked claims changed too (they show it)
    trees: set = field(default_factory=set)  # claim ids whose children are looked at too

    def add(self, subject, key, touched=True):
        rows = self.rows[subject]
        rows[str(key)] = rows.get(str(key), False) or touched


def _unit():
    """The atomic block whose commit ends this transaction (test cases' blocks aside)."""
    return next((block for block in connection.atomic_blocks if not block._from_testcase), None)


def _transaction_state(head):
    state = getattr(connection, "_change_stream", None)
    registered = state is not None and any(func is state.callback for _, func, _ in connection.run_on_commit)
    if state is None or not registered or not any(b is state.unit for b in connection.atomic_blocks):
        state = _Transaction(unit=_unit(), start=head.position)

        def committed():
            positions = list(range(state.start + 1, state.head + 1))
            if getattr(connection, "_change_stream", None) is state:
                connection._change_stream = None
            if positions:
                changes_recorded.send_robust(sender=Change, positions=positions)

        state.callback = committed
        transaction.on_commit(committed)
        connection._change_stream = state
    return state


def _locked_head():
    head = ChangeStreamHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        # A flushed test database has no head row; the first writer makes it.
        ChangeStreamHead.objects.get_or_create(pk=1)
        head = ChangeStreamHead.objects.select_for_update().get(pk=1)
    return head


def _visible_now(subject, keys):
    """{key: _Now} for the rows readers can see now."""
    if subject == CLAIM:
        # Drafts too, for their ids (a claim just unpublished needs its children looked at).
        rows = Claim.objects.filter(slug__in=keys).values_list("slug", "status", "pk", "is_published")
        return {slug: _Now(slug, status, pk, published) for slug, status, pk, published in rows}
    ids = [int(key) for key in keys if key.isdigit()]
    if subject == STATEMENT:
        rows = Statement.objects.public().filter(pk__in=ids).values_list("pk", "claim__slug")
    elif subject == ASSESSMENT:
        rows = Assessment.objects.public().filter(pk__in=ids).values_list("pk", "claim__slug")
    else:
        rows = ClaimLink.objects.public().filter(pk__in=ids).values_list("pk", "from_claim__slug")
    return {str(pk): _Now(slug) for pk, slug in rows}


def _last_entries(subject, keys, state):
    """The stream's last entry before this transaction, and this transaction's, for each key."""
    before_start = Change.objects.filter(subject=subject, key=OuterRef("key"), position__lte=state.start)
    before = Change.objects.filter(
        subject=subject,
        key__in=keys,
        position=Subquery(before_start.order_by("-position").values("position")[:1]),
    )
    mine = []
    if state.head > state.start:
        mine = Change.objects.filter(subject=subject, key__in=keys, position__gt=state.start)
    return {c.key: c for c in before}, {c.key: c for c in mine}


def _wanted(subject, before, now, touched, mine):
    """(kind, status, previous_status) the stream should say for a row, or None."""
    was_visible = before is not None and before.kind != ChangeKind.REMOVED
    if now is None:
        return (ChangeKind.REMOVED, "", "") if was_visible else None
    if not was_visible:
        return ChangeKind.PUBLISHED, now.status, ""
    if subject == CLAIM and now.status != before.status:
        return ChangeKind.STATUS_CHANGED, now.status, before.status
    if touched or mine is not None:
        return ChangeKind.CHANGED, now.status, ""
    return None


def _drop(entry, state):
    """Take back this transaction's entry: its last entry moves into the hole."""
    position = Change.objects.filter(pk=entry.pk).values_list("position", flat=True).get()
    entry.delete()
    if position != state.head:
        Change.objects.filter(position=state.head).update(position=position)
    state.head -= 1


def _record_subject(subject, rows, state, now_at):
    """Write the entries of one subject; returns the claims (by id) whose children need a look."""
    keys = list(rows)
    now = _visible_now(subject, keys)
    before, mine = _last_entries(subject, keys, state)
    trees, new = set(), []
    for key in keys:
        stored, previous, own = now.get(key), before.get(key), mine.get(key)
        current = stored if stored is not None and stored.visible else None
        wanted = _wanted(subject, previous, current, rows[key], own)
        if wanted is None:
            if own is not None:
                _drop(own, state)
            continue
        kind, status, previous_status = wanted
        claim_slug = current.claim_slug if current else (previous.claim_slug if previous else key)
        if stored is not None and subject == CLAIM and kind != ChangeKind.CHANGED:
            trees.add(stored.claim_id)  # published, removed or a new status: its children show it
        values = {
            "kind": kind,
            "status": status,
            "previous_status": previous_status,
            "claim_slug": claim_slug,
            "occurred_at": now_at,
        }
        if own is not None:
            Change.objects.filter(pk=own.pk).update(**values)
        else:
            new.append(Change(subject=subject, key=key, **values))
    # One insert for the new entries, however many (an import's thousands).
    for entry in new:
        state.head += 1
        entry.position = state.head
    Change.objects.bulk_create(new, batch_size=1000)
    return trees


def _children(claim_ids, pending):
    """Every statement, published assessment and link of these claims, and the
    claims at the links' other ends (a claim's links show the other claim), to look at."""
    if not claim_ids:
        return set()
    for pk in Statement.objects.filter(claim_id__in=claim_ids).values_list("pk", flat=True):
        pending.add(STATEMENT, pk)
    for pk in Assessment.objects.published().filter(claim_id__in=claim_ids).values_list("pk", flat=True):
        pending.add(ASSESSMENT, pk)
    links = ClaimLink.objects.filter(Q(from_claim_id__in=claim_ids) | Q(to_claim_id__in=claim_ids))
    others = set()
    for pk, from_slug, to_slug in links.values_list("pk", "from_claim__slug", "to_claim__slug"):
        pending.add(CLAIM_LINK, pk)
        others |= {from_slug, to_slug}
    return others


def record(pending):
    """Write the stream's entries for `pending` (a `Pending`), in the caller's transaction."""
    if not any(pending.rows.values()) and not (pending.claim_ids or pending.trees or pending.linked):
        return
    with transaction.atomic():
        head = _locked_head()
        state = _transaction_state(head)
        state.head = head.position
        if pending.linked:
            ids = sorted(pending.linked)
            ends = ClaimLink.objects.filter(Q(from_claim_id__in=ids) | Q(to_claim_id__in=ids))
            for ends_ids in ends.values_list("from_claim_id", "to_claim_id"):
                pending.claim_ids.update(dict.fromkeys(ends_ids, True))
        if pending.claim_ids:
            for pk, slug in Claim.objects.filter(pk__in=list(pending.claim_ids)).values_list("pk", "slug"):
                pending.add(CLAIM, slug, pending.claim_ids[pk])
        if pending.trees:
            # Named trees: their claims were written (or their children) as a whole.
            for slug in Claim.objects.filter(pk__in=pending.trees).values_list("slug", flat=True):
                pending.add(CLAIM, slug)
        now_at = timezone.now()
        claims = pending.rows[CLAIM]
        trees = set(pending.trees)
        if claims:
            trees |= _record_subject(CLAIM, claims, state, now_at)
        others = {slug: True for slug in _children(sorted(trees), pending) if slug not in claims}
        if others:
            _record_subject(CLAIM, others, state, now_at)
        for subject in (STATEMENT, ASSESSMENT, CLAIM_LINK):
            if pending.rows[subject]:
                _record_subject(subject, pending.rows[subject], state, now_at)
        if state.head != head.position:
            ChangeStreamHead.objects.filter(pk=1).update(position=state.head)


def hold_stream():
    """Lock the stream's head now, for the rest of the caller's transaction.

    A transaction that will lock many rows and record changes takes the head
    first: two such writers then queue on the head rather than each holding
    what the other waits for (the claim set writer does)."""
    with transaction.atomic():
        head = _locked_head()
        _transaction_state(head).head = head.position


def record_claim_trees(claim_ids):
    """For writers that bypass signals (bulk inserts, `.update()`): these claims,
    their statements, assessments and links may all have changed."""
    pending = Pending(trees=set(claim_ids) - {None})
    record(pending)
