"""A source logged with a URL, or given another URL, is captured: by every
door (admin, API, import, shell), since all of them save a Source."""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from claims.models import Source
from claims.vocabularies import CaptureTrigger, LinkState

from .capturing import captures_enabled, request_capture


@receiver(pre_save, sender=Source)
def remember_stored_url(sender, instance, raw=False, **kwargs):
    if raw or instance._state.adding or not instance.pk:
        instance._stored_url = None
        return
    instance._stored_url = Source.objects.filter(pk=instance.pk).values_list("url", flat=True).first()


@receiver(post_save, sender=Source)
def capture_new_url(sender, instance, created, raw=False, **kwargs):
    if raw or not instance.url or not captures_enabled():
        return
    if created:
        request_capture(instance, CaptureTrigger.CREATED)
    elif getattr(instance, "_stored_url", None) not in (None, instance.url):
        # Another page: what we knew of the old one's health no longer holds.
        Source.objects.filter(pk=instance.pk).update(
            link_state=LinkState.UNCHECKED, gone_since=None, link_checked_at=None
        )
        request_capture(instance, CaptureTrigger.URL_CHANGED)
