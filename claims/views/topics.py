"""The topic page (/topics/<slug>/): the topic's claims as a timeline."""

from itertools import groupby

from django.db.models import F
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from claims.caching import cached_page, topic_version
from claims.models import Claim, Topic, with_topics

from .paging import window


@require_safe
@cached_page(topic_version)
def topic_detail(request, slug):
    topic = get_object_or_404(Topic, slug=slug)
    claims = (
        Claim.objects.published()
        .filter(topics=topic)
        .for_list()
        .order_by(F("first_claimed_on").asc(nulls_last=True), "occurred_on", "pk")
    )
    page = window(claims, request.GET.get("page"))
    rows = with_topics(page.items)
    days = [(day, list(group)) for day, group in groupby(rows, key=lambda row: row["first_claimed_on"])]
    return render(request, "claims/topic_detail.html", {"topic": topic, "page": page, "days": days})
