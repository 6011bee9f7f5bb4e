"""Business rules that the admin, the pages and the API all call."""

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .batching import batchable, distinct_ids
from .models import (
    Actor,
    ActorAlias,
    Assessment,
    Claim,
    ClaimLink,
    Statement,
    StatementSource,
)
from .vocabularies import Status

# --- Status ---------------------------------------------------------------


def latest_published_assessment(claim_id):
    return Assessment.objects.published().filter(claim_id=claim_id).order_by("-assessed_at", "-pk").first()


def refresh_claim_statuses(claim_ids):
    """Set each claim's denormalised status from its latest published assessment.

    Called inside the transaction that changed assessments, with the claim rows
    locked, so two reviewers publishing at once cannot leave a claim out of
    step. One statement for any number of claims (the importer's batches)."""
    claim_ids = distinct_ids(claim_ids)
    if not claim_ids:
        return
    with transaction.atomic():
        # Locks taken in id order, so two batches cannot deadlock.
        list(Claim.objects.select_for_update().filter(pk__in=claim_ids).order_by("pk").values_list("pk"))
        latest = (
            Assessment.objects.published().filter(claim_id=OuterRef("pk")).order_by("-assessed_at", "-pk")
        )
        # updated_at is not bumped here: the assessment's save or delete (or
        # the importer) touches the claim's pages, in this transaction.
        Claim.objects.filter(pk__in=claim_ids).update(
            status=Coalesce(Subquery(latest.values("status")[:1]), Value(Status.UNVERIFIED)),
            status_changed_at=Subquery(latest.values("assessed_at")[:1]),
        )


def refresh_claim_status(claim_id):
    refresh_claim_statuses([claim_id])


def can_publish_claims(user):
    return user.has_perm("claims.publish_claim")


def can_assess(user):
    return user.has_perm("claims.add_assessment") and user.has_perm("claims.publish_assessment")


def set_claim_published(claim, published, user):
    """Publish or unpublish a claim; only reviewers may."""
    if not can_publish_claims(user):
        raise PermissionDenied("Only reviewers can publish or unpublish claims.")
    if claim.is_published == published:
        return claim
    claim.is_published = published
    claim.published_at = timezone.now() if published else None
    claim._history_user = user
    claim.save()
    return claim


def set_assessment_published(assessment, published, user):
    if not user.has_perm("claims.publish_assessment"):
        raise PermissionDenied("Only reviewers can publish or unpublish assessments.")
    if assessment.is_published == published:
        return assessment
    assessment.is_published = published
    assessment._history_user = user
    assessment.save()
    return assessment


# --- Search document --------------------------------------------------------


def compose_search_document(text, context, place_name, place_aliases, statements):
    """The search text from plain values; `statements` yields (summary, quote,
    translation, actor name, [actor alias names]). The data generator shares it."""
    parts = [text, context, place_name, place_aliases]
    for summary, quote, translation, actor_name, alias_names in statements:
        parts += [summary, quote, translation, actor_name, *alias_names]
    return "\n".join(part for part in parts if part).lower()


def search_documents(claim_ids):
    """{claim id: its search text}, read as plain values (five queries, however
    many claims)."""
    claims = Claim.objects.filter(pk__in=claim_ids).values_list(
        "pk", "text", "context", "place__name", "place__aliases"
    )
    statements = {}
    rows = Statement.objects.filter(claim_id__in=claim_ids).values_list(
        "claim_id", "summary", "quote", "translation", "actor_id"
    )
    for claim_id, *row in rows:  # in Statement's order, as the page shows them
        statements.setdefault(claim_id, []).append(row)
    actor_ids = {row[-1] for rows in statements.values() for row in rows}
    names = dict(Actor.objects.filter(pk__in=actor_ids).values_list("pk", "name"))
    aliases = {}
    for actor_id, name in ActorAlias.objects.filter(actor_id__in=actor_ids).values_list("actor_id", "name"):
        aliases.setdefault(actor_id, []).append(name)
    return {
        pk: compose_search_document(
            text,
            context,
            place_name or "",
            place_aliases or "",
            (
                (summary, quote, translation, names[actor_id], aliases.get(actor_id, []))
                for summary, quote, translation, actor_id in statements.get(pk, [])
            ),
        )
        for pk, text, context, place_name, place_aliases in claims
    }


# Both columns in one statement: the vector weighs the claim's own words above
# the rest (as claims/search.py ranks them).
WRITE_SEARCH_SQL = """UPDATE "claims_claim" SET "search_document" = new.document,
        "search_vector" =
            setweight(to_tsvector('english'::regconfig, COALESCE("claims_claim"."text", '')), 'A')
            || setweight(to_tsvector('english'::regconfig, COALESCE(new.document, '')), 'B')
    FROM unnest(%s::bigint[], %s::text[]) AS new(id, document)
    WHERE "claims_claim"."id" = new.id
"""


@batchable
def refresh_search_documents(claim_ids):
    """Rebuild the search text (and, on PostgreSQL, the search vector) of claims."""
    claim_ids = list(claim_ids)
    if not claim_ids:
        return
    documents = search_documents(claim_ids)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(WRITE_SEARCH_SQL, [list(documents), list(documents.values())])
        refresh_search_terms(claim_ids)
    else:
        Claim.objects.bulk_update(
            [Claim(pk=pk, search_document=document) for pk, document in documents.items()],
            ["search_document"],
            batch_size=500,
        )


# The vocabulary only feeds spelling suggestions: a rough split into words is enough.
SEARCH_TERMS_SQL = """
    INSERT INTO claims_searchterm (word)
    SELECT DISTINCT word
    FROM claims_claim, regexp_split_to_table(search_document, '[\\s[:punct:]«»—–]+') AS word
    WHERE length(word) BETWEEN 3 AND 100 {where}
    ON CONFLICT (word) DO NOTHING
"""


def refresh_search_terms(claim_ids=None):
    """Add the words of these claims' search text (of all claims when None) to
    the vocabulary that misspelt searches are corrected against (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if claim_ids is None:
            cursor.execute(SEARCH_TERMS_SQL.format(where=""))
        else:
            cursor.execute(SEARCH_TERMS_SQL.format(where="AND claims_claim.id = ANY(%s)"), [list(claim_ids)])


def claim_ids_for_actors(actor_ids):
    """Claims any of these actors made a statement on."""
    actor_ids = [pk for pk in actor_ids if pk]
    return Statement.objects.filter(actor_id__in=actor_ids).values_list("claim_id", flat=True).distinct()


# --- Restoring deleted claims ---------------------------------------------


def deleted_claims():
    """History rows of claims that are deleted now (latest record is a deletion)."""
    return Claim.history.filter(history_type="-").exclude(id__in=Claim.objects.values("pk"))


def _latest_deleted(history_model, **filters):
    """The last deletion record of each row matching `filters`."""
    records = history_model.objects.filter(history_type="-", **filters).order_by("id", "-history_date")
    latest = {}
    for record in records:
        latest.setdefault(record.id, record)
    return list(latest.values())


@transaction.atomic
def restore_claim(claim_id, user=None):
    """Bring back a deleted claim with its statements (and their sources), its
    assessments (and evidence), topics and links, as they were when deleted."""
    record = Claim.history.filter(id=claim_id).order_by("-history_date", "-history_id").first()
    if record is None or record.history_type != "-":
        raise ValueError("This claim is not deleted.")
    claim = record.instance
    claim._history_user = user
    claim.save()
    # By the time the deletion is recorded, the topic rows are gone: take the
    # topics from the last version before it.
    before_deletion = record.prev_record
    if before_deletion is not None:
        claim.topics.set([row.topic_id for row in before_deletion.topics.all()])

    def bring_back(history_model, **filters):
        restored = []
        for deleted in _latest_deleted(history_model, **filters):
            if deleted.instance_type.objects.filter(pk=deleted.id).exists():
                continue
            obj = deleted.instance
            obj._history_user = user
            # Children go back with the timestamps they had.
            obj.save()
            restored.append((deleted, obj))
        return restored

    statements = bring_back(Statement.history.model, claim_id=claim_id)
    statement_ids = [obj.pk for _, obj in statements]
    bring_back(StatementSource.history.model, statement_id__in=statement_ids)
    for deleted, assessment in bring_back(Assessment.history.model, claim_id=claim_id):
        if deleted.prev_record is not None:
            assessment.evidence.set([row.source_id for row in deleted.prev_record.evidence.all()])
    live_claims = Claim.objects.values("pk")
    for deleted in _latest_deleted(ClaimLink.history.model, from_claim_id=claim_id) + _latest_deleted(
        ClaimLink.history.model, to_claim_id=claim_id
    ):
        other = deleted.to_claim_id if deleted.from_claim_id == claim_id else deleted.from_claim_id
        if not live_claims.filter(pk=other).exists() or ClaimLink.objects.filter(pk=deleted.id).exists():
            continue
        link = deleted.instance
        link._history_user = user
        link.save()
    refresh_claim_status(claim_id)
    refresh_search_documents([claim_id])
    return Claim.objects.get(pk=claim_id)
