"""Business rules that the admin, the pages and the API all call."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .changes.recording import record_claim_trees
from .deletions import MARK_PREFIX
from .models import (
    Assessment,
    Claim,
    ClaimLink,
    ExternalReview,
    Source,
    Statement,
    StatementSource,
    Topic,
)
from .search.document import refresh_search_documents
from .status import refresh_claim_status


def can_publish_claims(user):
    return user.has_perm("claims.publish_claim")


def can_assess(user):
    return user.has_perm("claims.add_assessment") and user.has_perm("claims.publish_assessment")


# --- Publication: one rule for every door ------------------------------------


@dataclass(frozen=True)
class PublicationRule:
    permission: str
    refusal: str
    fields: tuple  # whether, and since when, the row is public
    while_public: tuple = ()  # fields that change what readers see while it is public


PUBLICATION_RULES = {
    Claim: PublicationRule(
        "claims.publish_claim",
        "Only reviewers can publish or unpublish claims.",
        fields=("is_published", "published_at"),
    ),
    # A published assessment is the claim's public status: changing its
    # status, date or claim is as much a publication as publishing it.
    Assessment: PublicationRule(
        "claims.publish_assessment",
        "Only reviewers can publish, unpublish or change published assessments.",
        fields=("is_published",),
        while_public=("status", "assessed_at", "claim_id"),
    ),
}


def publication_refusal(obj, user, values=None):
    """Why `user` may not store `obj` as it stands, or None where they may.

    The one publication rule, whatever the door (change form, revert to an
    old version, restore of a deleted row, bulk action, import, API): a change
    to whether or since when a claim or an assessment is public, or to a
    public assessment's verdict, needs the reviewer's permission. It compares
    with the stored row, not with what a form showed, so a revert or a restore
    that brings back an old `is_published` is a change like any other.
    `values` (a form's or serializer's cleaned data) overrides `obj`'s
    attributes. `user` None is the system itself (demo data, migrations)."""
    rule = PUBLICATION_RULES.get(type(obj))
    if rule is None or user is None or user.has_perm(rule.permission):
        return None
    values = values or {}
    names = rule.fields + rule.while_public
    wanted = {name: values.get(name.removesuffix("_id"), getattr(obj, name)) for name in names}
    wanted = {name: getattr(value, "pk", value) for name, value in wanted.items()}
    stored = type(obj)._default_manager.filter(pk=obj.pk).values(*names).first() if obj.pk else None
    if stored is None:  # a new row, or a deleted one coming back
        defaults = {name: type(obj)._meta.get_field(name).get_default() for name in rule.fields}
        stored = defaults | dict.fromkeys(rule.while_public)
    changed = [name for name in rule.fields if wanted[name] != stored[name]]
    if stored["is_published"] or wanted["is_published"]:
        changed += [name for name in rule.while_public if wanted[name] != stored[name]]
    return rule.refusal if changed else None


def check_publication(obj, user, values=None):
    """Raise PermissionDenied where `publication_refusal` refuses."""
    if refusal := publication_refusal(obj, user, values):
        raise PermissionDenied(refusal)


def set_claim_published(claim, published, user):
    """Publish or unpublish a claim; only reviewers may."""
    if claim.is_published == published:
        return claim
    claim.is_published = published
    claim.published_at = timezone.now() if published else None
    check_publication(claim, user)
    claim._history_user = user
    claim.save()
    return claim


def set_assessment_published(assessment, published, user):
    unchanged = assessment.is_published == published
    assessment.is_published = published
    check_publication(assessment, user)
    if unchanged:
        return assessment
    assessment._history_user = user
    assessment.save()
    return assessment


# --- Restoring deleted claims ---------------------------------------------

# Deletion rows written before deletions were marked (claims/deletions.py):
# those of a claim's children came within this long before the claim's own.
UNMARKED_DELETION_WINDOW = dt.timedelta(seconds=2)


class RestoreRefused(Exception):
    """The deleted row cannot come back as it was; the message says why."""


def deleted_claims():
    """History rows of claims that are deleted now (latest record is a deletion)."""
    return Claim.history.filter(history_type="-").exclude(id__in=Claim.objects.values("pk"))


def _removed_by(deletion, history_model, **filters):
    """The deletion rows of `history_model` that the claim deletion `deletion`
    wrote (one per row, its last), matching `filters`; not earlier ones."""
    records = history_model.objects.filter(history_type="-", **filters)
    mark = deletion.history_change_reason or ""
    if mark.startswith(MARK_PREFIX):
        records = records.filter(history_change_reason=mark)
    else:
        start = deletion.history_date - UNMARKED_DELETION_WINDOW
        records = records.filter(history_date__range=(start, deletion.history_date))
    latest = {}
    for record in records.order_by("id", "-history_date", "-history_id"):
        latest.setdefault(record.id, record)
    return list(latest.values())


def _describe(obj):
    return f"{obj._meta.verbose_name} “{obj}”"


@transaction.atomic
def restore_claim(claim_id, user=None):
    """Bring back a deleted claim with exactly what its deletion removed: its
    statements (and their sources), assessments (and evidence), links,
    external reviews and topics, as they were. Rows deleted on purpose before
    the claim stay deleted, and the status follows what comes back. A row that
    can no longer come back (it clashes with a newer row, or a row it points
    to is gone) is left deleted and described in the returned claim's
    `not_restored` list; everything else is restored."""
    record = Claim.history.filter(id=claim_id).order_by("-history_date", "-history_id").first()
    if record is None or record.history_type != "-":
        raise ValueError("This claim is not deleted.")
    claim = record.instance
    try:
        claim.validate_unique()
    except ValidationError as error:
        raise RestoreRefused(f"The claim cannot come back: {' '.join(error.messages)}") from error
    check_publication(claim, user)
    claim._history_user = user
    claim._change_reason = "restored"
    claim.save()
    # By the time the deletion is recorded, the topic rows are gone: take the
    # topics from the last version before it.
    before_deletion = record.prev_record
    if before_deletion is not None:
        topic_ids = [row.topic_id for row in before_deletion.topics.all()]
        claim.topics.set(Topic.objects.filter(pk__in=topic_ids))
    not_restored = []

    def bring_back(history_model, waits_for=None, **filters):
        restored = []
        for deleted in _removed_by(record, history_model, **filters):
            if deleted.instance_type.objects.filter(pk=deleted.id).exists():
                continue
            if waits_for and not Claim.objects.filter(pk=getattr(deleted, waits_for)).exists():
                continue  # a link to a claim still deleted comes back with that claim
            obj = deleted.instance
            try:
                obj.full_clean()
            except ValidationError as error:
                problems = "; ".join(error.messages)
                not_restored.append(f"{_describe(obj)} (#{obj.pk}) stays deleted: {problems}")
                continue
            check_publication(obj, user)
            obj._history_user = user
            obj._change_reason = "restored with its claim"
            # Children go back with the timestamps they had.
            obj.save()
            restored.append((deleted, obj))
        return restored

    statements = bring_back(Statement.history.model, claim_id=claim_id)
    statement_ids = [obj.pk for _, obj in statements]
    bring_back(StatementSource.history.model, statement_id__in=statement_ids)
    for deleted, assessment in bring_back(Assessment.history.model, claim_id=claim_id):
        if deleted.prev_record is not None:
            source_ids = [row.source_id for row in deleted.prev_record.evidence.all()]
            assessment.evidence.set(Source.objects.filter(pk__in=source_ids))
    bring_back(ExternalReview.history.model, claim_id=claim_id)
    bring_back(ClaimLink.history.model, waits_for="to_claim_id", from_claim_id=claim_id)
    bring_back(ClaimLink.history.model, waits_for="from_claim_id", to_claim_id=claim_id)
    refresh_claim_status(claim_id)
    refresh_search_documents([claim_id])
    record_claim_trees([claim_id])  # the status was set by .update(): the stream looks again
    claim = Claim.objects.get(pk=claim_id)
    claim.not_restored = not_restored
    return claim


# --- Other organisations' ratings -------------------------------------------


class AdoptionRefused(ValidationError):
    """The external review cannot be adopted (again); the message says why."""


def _day(value):
    return f"{value.day} {value:%B} {value.year}"


@transaction.atomic
def adopt_external_review(review, user):
    """Make another organisation's rating a DRAFT assessment of ours.

    Only Reviewers (add and publish assessments) may; each rating is adopted
    once. The assessment starts from the rating's suggested status, says whose
    rating it was in its rationale, keeps the rating in `original_rating` and
    their review as evidence. Our status moves only when a Reviewer publishes
    it (set_assessment_published). Returns the assessment."""
    if not can_assess(user):
        raise PermissionDenied("Only reviewers can adopt another organisation's rating as our assessment.")
    review = ExternalReview.objects.select_for_update().select_related("claim").get(pk=review.pk)
    if review.adopted_as_id is not None:
        raise AdoptionRefused(
            f"{review.reviewer_name}'s rating “{review.rating}” was adopted already, as assessment "
            f"#{review.adopted_as_id}: edit that assessment instead."
        )
    where = f" ({review.review_url})" if review.review_url else ""
    assessment = Assessment(
        claim=review.claim,
        status=review.suggested_status,
        rationale=f"Adopted from {review.reviewer_name}'s rating “{review.rating}”{where}, "
        f"{_day(review.reviewed_on)}.",
        original_rating=review.rating,
        author=user,
        is_published=False,
    )
    assessment._history_user = user
    assessment._change_reason = "adopted from a rating elsewhere"
    assessment.save()
    if review.review_url:
        source = Source.objects.filter(url=review.review_url).first()
        if source is None:
            source = Source(url=review.review_url, title=f"{review.reviewer_name}: review"[:500])
            source._history_user = user
            source.save()
        assessment.evidence.add(source)
    review.adopted_as = assessment
    review._history_user = user
    review._change_reason = "adopted as our assessment"
    review.save(update_fields=["adopted_as"])
    return assessment
