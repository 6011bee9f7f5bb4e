"""RSS and Atom feeds of published assessments (status changes), site-wide and per topic.

Only published assessments of published claims appear; rationale is public,
internal notes never are."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from .models import Assessment, Topic

FEED_LENGTH = 50


def absolute(path):
    return f"{settings.SITE_URL}{path}"


class AssessmentFeed(Feed):
    """The newest published assessments, site-wide."""

    description_template = None

    def title(self, obj=None):
        return f"{settings.SITE_NAME}: status changes"

    def description(self, obj=None):
        return f"The newest published assessments of claims tracked by {settings.ORGANISATION_NAME}."

    def link(self, obj=None):
        return absolute(reverse("claims:claim-list"))

    def feed_url(self, obj=None):
        return absolute(reverse("claims:feed-rss"))

    def assessments(self, obj=None):
        return Assessment.objects.public()

    def items(self, obj=None):
        return self.assessments(obj).select_related("claim").order_by("-assessed_at", "-pk")[:FEED_LENGTH]

    def item_title(self, item):
        return f"{item.get_status_display()}: {item.claim.text}"

    def item_description(self, item):
        return item.rationale

    def item_link(self, item):
        return absolute(item.get_absolute_url())

    def item_guid(self, item):
        return absolute(f"{item.claim.get_absolute_url()}#assessment-{item.pk}")

    item_guid_is_permalink = True

    def item_pubdate(self, item):
        return item.assessed_at

    def item_updateddate(self, item):
        return item.assessed_at

    def item_categories(self, item):
        return [item.get_status_display()]

    def item_author_name(self, item):
        return settings.ORGANISATION_NAME


class AssessmentAtomFeed(AssessmentFeed):
    feed_type = Atom1Feed
    subtitle = AssessmentFeed.description

    def feed_url(self, obj=None):
        return absolute(reverse("claims:feed-atom"))


class TopicAssessmentFeed(AssessmentFeed):
    """The newest published assessments of one topic's claims."""

    def get_object(self, request, slug):
        return get_object_or_404(Topic, slug=slug)

    def title(self, obj=None):
        return f"{settings.SITE_NAME}: status changes in {obj.name}"

    def description(self, obj=None):
        return f"The newest published assessments of claims about {obj.name}."

    def link(self, obj=None):
        return absolute(obj.get_absolute_url())

    def feed_url(self, obj=None):
        return absolute(reverse("claims:topic-feed-rss", kwargs={"slug": obj.slug}))

    def assessments(self, obj=None):
        return Assessment.objects.public().filter(claim__topics=obj)


class TopicAssessmentAtomFeed(TopicAssessmentFeed):
    feed_type = Atom1Feed
    subtitle = TopicAssessmentFeed.description

    def feed_url(self, obj=None):
        return absolute(reverse("claims:topic-feed-atom", kwargs={"slug": obj.slug}))
