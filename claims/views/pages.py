"""Reader pages (placeholders until the reader-pages issue lands)."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from claims.models import Actor, Claim, Topic


def home(request):
    return HttpResponse("Counterclaim")


def claim_detail(request, slug):
    claim = get_object_or_404(Claim.objects.published(), slug=slug)
    return HttpResponse(claim.text)


def actor_detail(request, slug):
    actor = get_object_or_404(Actor, slug=slug)
    return HttpResponse(actor.name)


def topic_detail(request, slug):
    topic = get_object_or_404(Topic, slug=slug)
    return HttpResponse(topic.name)
