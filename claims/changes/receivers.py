"""The change stream's receivers: every save and deletion of a claim,
statement, assessment, claim link or a statement's source names the rows it
may have changed (recording.py decides what readers saw change). Connected in
claims/apps.py after claims/status.py's, so a claim's new status is already
stored when its assessment's entry is recorded."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from claims.models import Assessment, Claim, ClaimLink, Statement, StatementSource
from claims.old_parents import parents

from .recording import ASSESSMENT, CLAIM, CLAIM_LINK, STATEMENT, Pending, record

# What a claim's children show of it: when one of these changes, they change too.
SHOWN_BY_CHILDREN = ("slug", "text", "is_published")


@receiver(pre_save, sender=Claim)
def remember_claim(sender, instance, raw=False, **kwargs):
    if not raw and instance.pk is not None:
        instance._shown_before = Claim.objects.filter(pk=instance.pk).values(*SHOWN_BY_CHILDREN).first()


@receiver(post_save, sender=Claim)
def claim_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    pending = Pending()
    pending.add(CLAIM, instance.slug)
    before = getattr(instance, "_shown_before", None) or {}
    if before.get("slug") not in (None, instance.slug):
        pending.add(CLAIM, before["slug"], touched=False)  # the old slug: a tombstone
    if any(
        before.get(name, getattr(instance, name)) != getattr(instance, name) for name in SHOWN_BY_CHILDREN
    ):
        pending.trees.add(instance.pk)
    record(pending)


@receiver(post_delete, sender=Claim)
def claim_deleted(sender, instance, **kwargs):
    pending = Pending()
    pending.add(CLAIM, instance.slug)
    record(pending)


def _child(subject, claim_fields):
    def changed(sender, instance, raw=False, **kwargs):
        if raw:
            return
        pending = Pending()
        pending.add(subject, instance.pk)
        for name in claim_fields:
            for claim_id in parents(instance, name):
                if claim_id is not None:
                    pending.claim_ids[claim_id] = True  # the claim's detail shows the row
        record(pending)

    return changed


statement_changed = _child(STATEMENT, ["claim_id"])
assessment_changed = _child(ASSESSMENT, ["claim_id"])
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
    statement = Statement.objects.filter(pk=instance.statement_id).values_list("claim_id", flat=True).first()
    if statement is None:
        return  # deleted with its statement
    pending = Pending()
    pending.add(STATEMENT, instance.statement_id)
    pending.claim_ids[statement] = True
    record(pending)


@receiver(m2m_changed, sender=Assessment.evidence.through)
def evidence_changed(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, Assessment):
        pending = Pending()
        pending.add(ASSESSMENT, instance.pk)
        pending.claim_ids[instance.claim_id] = True
        record(pending)


@receiver(m2m_changed, sender=Claim.topics.through)
def topics_changed(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, Claim):
        pending = Pending()
        pending.add(CLAIM, instance.slug)
        record(pending)
