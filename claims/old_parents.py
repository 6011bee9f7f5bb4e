"""The parents a row had before a save: pre_save remembers them, so that moving
a row from one parent to another refreshes both (search text, status, pages).
For claims, actors and topics also their slug (a renamed page's old address)
and what a claim's children show of it, in the same one query."""

from django.db.models.signals import pre_save
from django.dispatch import receiver

from .models import (
    Actor,
    ActorAlias,
    Assessment,
    Claim,
    ClaimLink,
    ExternalReview,
    Source,
    Statement,
    StatementSource,
    Topic,
)

OLD_PARENTS = {
    Statement: ("claim_id", "actor_id"),
    StatementSource: ("statement_id",),
    Assessment: ("claim_id",),
    ExternalReview: ("claim_id",),
    ClaimLink: ("from_claim_id", "to_claim_id"),
    ActorAlias: ("actor_id",),
    Actor: ("affiliation_id", "slug"),
    Source: ("publisher_id",),
    # A page's address: the cache moves the old one's version too (caching/);
    # what a claim's children show of it (changes/).
    Claim: ("slug", "text", "is_published"),
    Topic: ("slug",),
}


@receiver(pre_save)
def remember_old_parents(sender, instance, raw=False, **kwargs):
    fields = OLD_PARENTS.get(sender)
    if fields and not raw and instance.pk is not None:
        old = sender.objects.filter(pk=instance.pk).values_list(*fields).first()
        instance._old_parents = dict(zip(fields, old, strict=True)) if old else {}


def parents(instance, field):
    """The parent id now and before the save."""
    return [getattr(instance, field), getattr(instance, "_old_parents", {}).get(field)]
