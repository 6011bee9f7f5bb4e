"""Keep each claim's search text in step with what it is searched by."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Actor, ActorAlias, Claim, Place, Statement
from .services import claim_ids_for_actor, refresh_search_documents


@receiver(post_save, sender=Claim)
def claim_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_search_documents([instance.pk])


@receiver([post_save, post_delete], sender=Statement)
def statement_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_search_documents([instance.claim_id])


@receiver(post_save, sender=Actor)
def actor_saved(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:
        refresh_search_documents(claim_ids_for_actor(instance.pk))


@receiver([post_save, post_delete], sender=ActorAlias)
def actor_alias_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_search_documents(claim_ids_for_actor(instance.actor_id))


@receiver(post_save, sender=Place)
def place_saved(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:
        refresh_search_documents(instance.claims.values_list("pk", flat=True))
