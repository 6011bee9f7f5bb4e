"""Writing a checked claim set: new rows in bulk (one insert per kind, with
their history rows: claims/bulk.py), stored rows changed or deleted one by
one (their saves and deletions record history and send the usual signals).

Bulk inserts send no signals, so this does what the receivers would have
done, once for the set: the claim's status (claims/status.py), its search
text, the page versions of everything that shows the new rows, and a capture
of each new source with a URL.
"""

from django.db import transaction
from django.utils import timezone

from claims import bulk
from claims.caching import touch_actors, touch_claims, touch_claims_and_speakers
from claims.caching.invalidation import touch_statements
from claims.capture.capturing import request_captures
from claims.changes.recording import hold_stream, record_claim_trees
from claims.models import Actor, Assessment, ClaimLink, Source, Statement, StatementSource, kept_in_order
from claims.search.document import refresh_search_documents
from claims.status import refresh_claim_statuses
from claims.vocabularies import CaptureTrigger


def _resolve(plan, claim):
    """Point each new or changed row at its parents, now that they have ids."""
    for row_plan in (plan.statements or []) + (plan.assessments or []) + (plan.links or []):
        for name, target in row_plan.refs.items():
            setattr(row_plan.row, name, claim if target is None else target)


def _save(row, user):
    row._history_user = user
    row.save()


@transaction.atomic
def write_claim_set(plan, claim):
    """Store `plan` (from plan_claim_set) under the saved `claim`; returns the plan's counts."""
    hold_stream()  # the change stream's head first, then the rows (no deadlock with another writer)
    user = plan.user
    note = bulk.HistoryNote(user, None, timezone.now())
    touched_claims, touched_actors, touched_statements = {claim.pk}, set(), set()

    for row in plan.deleted:
        if isinstance(row, ClaimLink):
            touched_claims.add(row.to_claim_id)
        row._history_user = user
        row.delete()

    bulk.insert_with_history(Actor, plan.new_actors, note)
    for source, publisher in plan.source_refs:
        source.publisher = publisher
    if plan.new_sources:
        bulk.insert_with_history(Source, plan.new_sources, note)
        request_captures(plan.new_sources, CaptureTrigger.CREATED)
    _resolve(plan, claim)

    statements = plan.statements or []
    for row_plan in statements:
        if not row_plan.new and row_plan.changed:
            touched_actors.add(row_plan.row.actor_id)
            _save(row_plan.row, user)
    bulk.insert_with_history(Statement, [p.row for p in statements if p.new], note)
    new_links = []
    for row_plan in statements:
        if row_plan.children is None:
            continue
        statement = row_plan.row
        wanted = {source.pk: how for source, how in row_plan.children}
        if not row_plan.new:
            stored = list(statement.statement_sources.all())
            kept = kept_in_order([link.source_id for link in stored], list(wanted))  # the order sent
            for index, link in enumerate(stored):
                if index >= kept or link.source_id not in wanted:
                    link._history_user = user
                    link.delete()
                elif link.how != (how := wanted.pop(link.source_id)):
                    link.how = how
                    _save(link, user)
                touched_statements.add(statement.pk)
        new_links += [
            StatementSource(statement=statement, source_id=pk, how=how) for pk, how in wanted.items()
        ]
        touched_statements.add(statement.pk)
    bulk.insert_with_history(StatementSource, new_links, note)

    assessments = plan.assessments or []
    for row_plan in assessments:
        if not row_plan.new and row_plan.changed:
            _save(row_plan.row, user)
            if row_plan.children is not None:
                row_plan.row.set_evidence(row_plan.children)
    new_assessments = [p for p in assessments if p.new]
    history_ids = bulk.insert_with_history(Assessment, [p.row for p in new_assessments], note)
    _insert_evidence(new_assessments, history_ids)

    links = plan.links or []
    for row_plan in links:
        if not row_plan.new and row_plan.changed:
            _save(row_plan.row, user)
    bulk.insert_with_history(ClaimLink, [p.row for p in links if p.new], note)
    touched_claims |= {p.row.to_claim_id for p in links}

    # What the receivers of the rows written in bulk would have done.
    if assessments:
        refresh_claim_statuses([claim.pk])
    refresh_search_documents([claim.pk])
    touch_claims_and_speakers([claim.pk])
    touch_claims(sorted(touched_claims))
    touch_actors(sorted(touched_actors | {p.row.actor_id for p in statements}))
    touch_statements(sorted(touched_statements))
    record_claim_trees(sorted(touched_claims))  # the change stream: new rows and the new status
    return plan.counts()


def _insert_evidence(assessment_plans, history_ids):
    """The new assessments' evidence, and the evidence of each one's history row
    (django-simple-history keeps an assessment's evidence with each version)."""
    through = Assessment.evidence.through
    history_through = Assessment.history.model._meta.get_field("historicalassessment_evidence").related_model
    rows, history_ids_of_rows = [], []
    for row_plan, history_id in zip(assessment_plans, history_ids, strict=True):
        for source in row_plan.children or []:
            rows.append(through(assessment_id=row_plan.row.pk, source_id=source.pk))
            history_ids_of_rows.append(history_id)
    if not rows:
        return
    through.objects.bulk_create(rows)  # ids back (PostgreSQL, SQLite): the history rows copy them
    history_through.objects.bulk_create(
        history_through(
            id=row.pk, history_id=history_id, assessment_id=row.assessment_id, source_id=row.source_id
        )
        for row, history_id in zip(rows, history_ids_of_rows, strict=True)
    )
