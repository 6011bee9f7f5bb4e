"""The change stream's receivers: every save and deletion of a claim,
statement, assessment, claim link or a statement's source names the rows it
may have changed (recording.py decides what readers saw change). Connected in
claims/apps.py after claims/status.py's, so a claim's new status is already
stored when its assessment's entry is recorded."""

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from claims.models import (
    Actor,
    Assessment,
    Claim,
    ClaimLink,
    ExternalReview,
    Place,
    Source,
    Statement,
    StatementSource,
    Topic,
)
from claims.old_parents import OLD_PARENTS, parents

from .recording import ASSESSMENT, CLAIM, CLAIM_LINK, STATEMENT, Pending, record

# What a claim's children show of it: when one of these changes, they change
# too (claims/old_parents.py remembers them before each save).
SHOWN_BY_CHILDREN = OLD_PARENTS[Claim]


def _touch(statements=(), assessments=(), claim_ids=()):
    """Record these statements and assessments, and these claims (by id), as written."""
    pending = Pending()
    for pk in statements:
        pending.add(STATEMENT, pk)
    for pk in assessments:
        pending.add(ASSESSMENT, pk)
    pending.claim_ids.update(dict.fromkeys(claim_ids, True))
    record(pending)


@receiver(post_save, sender=Claim)
def claim_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    pending = Pending()
    pending.add(CLAIM, instance.slug)
    before = getattr(instance, "_old_parents", None) or {}
    if before.get("slug") not in (None, instance.slug):
        pending.add(CLAIM, before["slug"], touched=False)  # the old slug: a tombstone
    if any(
        before.get(name, getattr(instance, name)) != getattr(instance, name) for name in SHOWN_BY_CHILDREN
    ):
        pending.trees.add(instance.pk)
    pending.linked.add(instance.pk)  # linked claims show its text, status and publication
    record(pending)


@receiver(post_delete, sender=Claim)
def claim_deleted(sender, instance, **kwargs):
    pending = Pending()
    pending.add(CLAIM, instance.slug)
    record(pending)


def _child(subject, claim_fields, linked=False):
    def changed(sender, instance, raw=False, **kwargs):
        if raw:
            return
        pending = Pending()
        pending.add(subject, instance.pk)
        for name in claim_fields:
            for claim_id in parents(instance, name):
                if claim_id is not None:
                    pending.claim_ids[claim_id] = True  # the claim's detail shows the row
                    if linked:
                        pending.linked.add(claim_id)
        record(pending)

    return changed


statement_changed = _child(STATEMENT, ["claim_id"])
assessment_changed = _child(ASSESSMENT, ["claim_id"], linked=True)  # linked claims show the status
claim_link_changed = _child(CLAIM_LINK, ["from_claim_id", "to_claim_id"])
for _model, _receiver in (
    (Statement, statement_changed),
    (Assessment, assessment_changed),
    (ClaimLink, claim_link_changed),
):
    post_save.connect(_receiver, sender=_model, dispatch_uid=f"changes-{_model.__name__}-saved")
    post_delete.connect(_receiver, sender=_model, dispatch_uid=f"changes-{_model.__name__}-deleted")


@receiver([post_save, post_delete], sender=StatementSource)
def statement_source_changed(sender, instance, raw=False, **kwargs):
    """A statement shows its sources, and its claim shows its statements."""
    if raw:
        return
    claim_id = Statement.objects.filter(pk=instance.statement_id).values_list("claim_id", flat=True).first()
    if claim_id is None:
        return  # deleted with its statement
    _touch(statements=[instance.statement_id], claim_ids=[claim_id])


@receiver(m2m_changed, sender=Assessment.evidence.through)
def evidence_changed(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, Assessment):
        _touch(assessments=[instance.pk], claim_ids=[instance.claim_id])


@receiver(m2m_changed, sender=Claim.topics.through)
def topics_changed(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, Claim):
        pending = Pending()
        pending.add(CLAIM, instance.slug)
        record(pending)


# --- Rows shown inside the followed rows -------------------------------------
# A claim's detail shows its topics, place and other organisations' ratings; a
# statement's its actor and sources; an assessment's its evidence. Their edits
# change those details: the rows that show them get a `changed` entry.


@receiver([post_save, post_delete], sender=ExternalReview)
def external_review_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _touch(claim_ids=[pk for pk in parents(instance, "claim_id") if pk is not None])


@receiver([post_save, post_delete], sender=Actor)
def actor_changed(sender, instance, raw=False, created=False, **kwargs):
    if raw or created:
        return
    shown = Statement.objects.filter(Q(actor_id=instance.pk) | Q(actor__affiliation_id=instance.pk))
    rows = list(shown.values_list("pk", "claim_id"))
    _touch(statements=[pk for pk, _ in rows], claim_ids=[claim for _, claim in rows])


@receiver([post_save, post_delete], sender=Source)
def source_changed(sender, instance, raw=False, created=False, **kwargs):
    if raw or created:
        return
    citing = StatementSource.objects.filter(source_id=instance.pk).values_list(
        "statement_id", "statement__claim_id"
    )
    evidence = Assessment.evidence.through.objects.filter(source_id=instance.pk).values_list(
        "assessment_id", "assessment__claim_id"
    )
    citing, evidence = list(citing), list(evidence)
    _touch(
        statements=[pk for pk, _ in citing],
        assessments=[pk for pk, _ in evidence],
        claim_ids=[claim for _, claim in citing + evidence],
    )


@receiver(post_save, sender=Topic)
@receiver(post_save, sender=Place)
def topic_or_place_changed(sender, instance, raw=False, created=False, **kwargs):
    if raw or created:
        return
    if sender is Place:
        claims = Claim.objects.filter(place_id=instance.pk).values_list("pk", flat=True)
    else:
        claims = Claim.topics.through.objects.filter(topic_id=instance.pk).values_list("claim_id", flat=True)
    _touch(claim_ids=list(claims))
