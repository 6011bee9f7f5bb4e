"""Touch the parents: bump `updated_at` of every claim, actor and topic whose
page shows a changed row, and (with Redis) their pages' version counters on
commit, so that their cached pages are never stale (see pages.py and
counters.py). The receivers use bulk `.update()` (no signals, so no
recursion); writes that bypass signals (`QuerySet.update`, `bulk_create`, raw
SQL) call the touch functions themselves."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.utils import timezone

from claims.batching import batchable, distinct_ids
from claims.models import (
    Actor,
    ActorAlias,
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
from claims.old_parents import parents
from claims.search.document import claim_ids_for_actors

from . import counters

# --- Touching the parents ---------------------------------------------------


def _bump(model, slugs, lists):
    kind = model._meta.model_name
    counters.bump([counters.counter_name(kind, slug) for slug in slugs] + ([counters.LISTS] if lists else []))


def bump_pages(model, ids, *, lists=False):
    """Move the version counters of these rows' pages (and the lists') on commit."""
    if counters.enabled():
        _bump(model, model.objects.filter(pk__in=ids).values_list("slug", flat=True), lists)


def bump_slugs(instance, *, lists=False):
    """For a deleted or renamed row: its slug now and before the save."""
    _bump(type(instance), {slug for slug in parents(instance, "slug") if slug}, lists)


@batchable
def touch_actors(actor_ids, now=None):
    if ids := distinct_ids(actor_ids):
        Actor.objects.filter(pk__in=ids).update(updated_at=now or timezone.now())
        bump_pages(Actor, ids)


@batchable
def touch_topics(topic_ids, now=None):
    if ids := distinct_ids(topic_ids):
        Topic.objects.filter(pk__in=ids).update(updated_at=now or timezone.now())
        bump_pages(Topic, ids, lists=True)


@batchable
def touch_statements(statement_ids, now=None):
    """A statement's version moves with its sources (the admin's lost-edit
    check and the API's Last-Modified compare it)."""
    if ids := distinct_ids(statement_ids):
        Statement.objects.filter(pk__in=ids).update(updated_at=now or timezone.now())


@batchable
def touch_claims(claim_ids, now=None):
    """Bump the claims and the topic pages that list them (a topic page shows
    its claims, ordered by when they changed)."""
    if ids := distinct_ids(claim_ids):
        now = now or timezone.now()
        Claim.objects.filter(pk__in=ids).update(updated_at=now)
        bump_pages(Claim, ids, lists=True)
        touch_topics(
            Claim.topics.through.objects.filter(claim_id__in=ids).values_list("topic_id", flat=True), now
        )


@batchable
def touch_claims_and_speakers(claim_ids, now=None):
    """For a change to what every page showing the claim shows (its text,
    status, publication): the claims, their topics, the actors who spoke on
    them, and the claims linked to them."""
    ids = distinct_ids(claim_ids)
    if not ids:
        return
    now = now or timezone.now()
    touch_claims(ids + linked_claim_ids(ids), now)
    touch_actors(Statement.objects.filter(claim_id__in=ids).values("actor_id"), now)


def linked_claim_ids(claim_ids):
    out = ClaimLink.objects.filter(from_claim_id__in=claim_ids).values_list("to_claim_id", flat=True)
    into = ClaimLink.objects.filter(to_claim_id__in=claim_ids).values_list("from_claim_id", flat=True)
    return list(out) + list(into)


# --- Receivers: every changed row touches the pages that show it --------------
# (claims/old_parents.py remembers a moved row's old parents: both are touched.)


def _statement_parents(statement_ids):
    rows = Statement.objects.filter(pk__in=[pk for pk in statement_ids if pk]).values_list(
        "claim_id", "actor_id"
    )
    return [claim for claim, _ in rows], [actor for _, actor in rows]


def claims_citing(source_ids):
    via_statements = StatementSource.objects.filter(source_id__in=source_ids).values_list(
        "statement__claim_id", flat=True
    )
    via_evidence = Assessment.evidence.through.objects.filter(source_id__in=source_ids).values_list(
        "assessment__claim_id", flat=True
    )
    return list(via_statements) + list(via_evidence)


@receiver(post_save, sender=Claim)
def claim_touch_pages(sender, instance, raw=False, update_fields=None, **kwargs):
    if not raw:
        # Its text, status or publication shows on its topics', speakers' and
        # linked claims' pages (and its own, if update_fields left out updated_at).
        touch_claims_and_speakers([instance.pk])
        bump_slugs(instance)  # a renamed claim's old address


@receiver(pre_delete, sender=Claim)
def claim_remember_pages(sender, instance, **kwargs):
    instance._pages_to_touch = (
        list(instance.topics.values_list("pk", flat=True)),
        linked_claim_ids([instance.pk]),
        list(instance.statements.values_list("actor_id", flat=True)),
    )


@receiver(post_delete, sender=Claim)
def claim_deleted_touch_pages(sender, instance, **kwargs):
    topic_ids, linked, actor_ids = getattr(instance, "_pages_to_touch", ([], [], []))
    bump_slugs(instance, lists=True)
    touch_claims(linked)
    touch_topics(topic_ids)
    touch_actors(actor_ids)


@receiver(m2m_changed, sender=Claim.topics.through)
def claim_topics_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action == "pre_clear":
        # After a clear the rows are gone: remember both sides now.
        instance._cleared = list(
            Claim.topics.through.objects.filter(
                **{"topic_id" if reverse else "claim_id": instance.pk}
            ).values_list("claim_id" if reverse else "topic_id", flat=True)
        )
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    others = list(pk_set or []) if action != "post_clear" else getattr(instance, "_cleared", [])
    claim_ids, topic_ids = (others, [instance.pk]) if reverse else ([instance.pk], others)
    touch_claims(claim_ids)
    touch_topics(topic_ids)


@receiver([post_save, post_delete], sender=Statement)
def statement_touch_pages(sender, instance, raw=False, **kwargs):
    if not raw:
        touch_claims(parents(instance, "claim_id"))
        touch_actors(parents(instance, "actor_id"))


@receiver([post_save, post_delete], sender=StatementSource)
def statement_source_touch_pages(sender, instance, raw=False, **kwargs):
    if not raw:
        statement_ids = parents(instance, "statement_id")
        touch_statements(statement_ids)
        claim_ids, actor_ids = _statement_parents(statement_ids)
        touch_claims(claim_ids)
        touch_actors(actor_ids)


@receiver(m2m_changed, sender=Statement.sources.through)
def statement_sources_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if reverse:  # source.statements.add(...)
        statement_ids = list(pk_set or instance.statements.values_list("pk", flat=True))
    else:
        statement_ids = [instance.pk]
    touch_statements(statement_ids)
    claim_ids, actor_ids = _statement_parents(statement_ids)
    touch_claims(claim_ids)
    touch_actors(actor_ids)


@receiver([post_save, post_delete], sender=Source)
def source_touch_pages(sender, instance, raw=False, created=False, **kwargs):
    if raw or created:
        return
    touch_claims(claims_citing([instance.pk]))
    touch_actors(
        list(
            StatementSource.objects.filter(source_id=instance.pk).values_list(
                "statement__actor_id", flat=True
            )
        )
        + parents(instance, "publisher_id")
    )


@receiver([post_save, post_delete], sender=Actor)
def actor_touch_pages(sender, instance, raw=False, created=False, update_fields=None, **kwargs):
    if raw or created:
        return
    bump_slugs(instance)  # deleted or renamed: its address, old and new
    # Claims showing the actor: its statements, its members' statements (the
    # affiliation is shown), and sources it published.
    touch_claims(
        list(Statement.objects.filter(actor_id=instance.pk).values_list("claim_id", flat=True))
        + list(Statement.objects.filter(actor__affiliation_id=instance.pk).values_list("claim_id", flat=True))
        + claims_citing(Source.objects.filter(publisher_id=instance.pk).values("pk"))
    )
    # Its own page (if update_fields left out updated_at), its members' pages
    # (they show it) and its old and new organisation's.
    touch_actors(
        [instance.pk, *parents(instance, "affiliation_id")]
        + list(Actor.objects.filter(affiliation_id=instance.pk).values_list("pk", flat=True))
    )


@receiver([post_save, post_delete], sender=ActorAlias)
def actor_alias_touch_pages(sender, instance, raw=False, **kwargs):
    if not raw:
        actor_ids = parents(instance, "actor_id")
        touch_actors(actor_ids)
        touch_claims(claim_ids_for_actors(actor_ids))


@receiver([post_save, post_delete], sender=Assessment)
def assessment_touch_pages(sender, instance, raw=False, **kwargs):
    if not raw:
        # The status shows on the claim's page, its topics', its speakers' and
        # its linked claims'.
        touch_claims_and_speakers(parents(instance, "claim_id"))


@receiver([post_save, post_delete], sender=ExternalReview)
def external_review_touch_pages(sender, instance, raw=False, **kwargs):
    if not raw:
        # "Rated elsewhere" shows on the claim's own page (and API detail) only.
        touch_claims(parents(instance, "claim_id"))


@receiver(m2m_changed, sender=Assessment.evidence.through)
def assessment_evidence_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if reverse:  # source.assessments.add(...)
        assessment_ids = list(pk_set or instance.assessments.values_list("pk", flat=True))
        touch_claims(Assessment.objects.filter(pk__in=assessment_ids).values("claim_id"))
    else:
        touch_claims([instance.claim_id])


@receiver([post_save, post_delete], sender=Place)
def place_touch_pages(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:
        touch_claims(Claim.objects.filter(place_id=instance.pk).values("pk"))


@receiver(post_save, sender=Topic)
def topic_touch_pages(sender, instance, raw=False, created=False, **kwargs):
    if raw:
        return
    bump_slugs(instance, lists=True)  # new (the home page lists it) or renamed (its old address)
    if not created:
        touch_claims(Claim.topics.through.objects.filter(topic_id=instance.pk).values("claim_id"))


@receiver(pre_delete, sender=Topic)
def topic_remember_pages(sender, instance, **kwargs):
    instance._claims_to_touch = list(instance.claims.values_list("pk", flat=True))


@receiver(post_delete, sender=Topic)
def topic_deleted_touch_pages(sender, instance, **kwargs):
    bump_slugs(instance, lists=True)
    touch_claims(getattr(instance, "_claims_to_touch", []))


@receiver([post_save, post_delete], sender=ClaimLink)
def claim_link_touch_pages(sender, instance, raw=False, **kwargs):
    if not raw:
        touch_claims(parents(instance, "from_claim_id") + parents(instance, "to_claim_id"))
