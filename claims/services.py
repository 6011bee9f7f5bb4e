"""Business rules that the admin, the pages and the API all call."""

from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone

from .batching import batchable
from .models import (
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


def refresh_claim_status(claim_id):
    """Set the claim's denormalised status from its latest published assessment.

    Called inside the transaction that changed an assessment, with the claim row
    locked, so two reviewers publishing at once cannot leave it out of step."""
    with transaction.atomic():
        locked = Claim.objects.select_for_update().filter(pk=claim_id)
        if not locked.exists():
            return None
        latest = latest_published_assessment(claim_id)
        status = latest.status if latest else Status.UNVERIFIED
        changed_at = latest.assessed_at if latest else None
        # updated_at is not bumped here: the assessment's save or delete already
        # touched the claim's pages (claims/signals.py), in this transaction.
        locked.update(status=status, status_changed_at=changed_at)
        return status


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


def build_search_document(claim, statements):
    """Lower-cased text of everything a reader might search a claim by."""
    place = claim.place if claim.place_id else None
    return compose_search_document(
        claim.text,
        claim.context,
        place.name if place else "",
        place.aliases if place else "",
        (
            (s.summary, s.quote, s.translation, s.actor.name, [a.name for a in s.actor.aliases.all()])
            for s in statements
        ),
    )


@batchable
def refresh_search_documents(claim_ids):
    """Rebuild the search text (and, on PostgreSQL, the search vector) of claims."""
    claim_ids = list(claim_ids)
    if not claim_ids:
        return
    claims = (
        Claim.objects.filter(pk__in=claim_ids)
        .select_related("place")
        .prefetch_related("statements__actor__aliases")
        .only("pk", "text", "context", "place__name", "place__aliases")
    )
    for claim in claims:
        document = build_search_document(claim, claim.statements.all())
        Claim.objects.filter(pk=claim.pk).update(search_document=document)
    if connection.vendor == "postgresql":
        Claim.objects.filter(pk__in=claim_ids).update(
            search_vector=SearchVector("text", weight="A", config="english")
            + SearchVector("search_document", weight="B", config="english")
        )
        refresh_search_terms(claim_ids)


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
