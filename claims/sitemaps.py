"""sitemap.xml: published claims, actors who spoke on them, topics, and the fixed pages.

Addresses use settings.SITE_URL, like canonical links and feeds."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef
from django.urls import reverse

from .models import Actor, Claim, Statement, Topic


class SiteSitemap(Sitemap):
    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class ClaimSitemap(SiteSitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return Claim.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, claim):
        return claim.updated_at


class ActorSitemap(SiteSitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        spoke = Statement.objects.filter(actor=OuterRef("pk"), claim__is_published=True)
        return Actor.objects.filter(Exists(spoke)).only("slug", "updated_at").order_by("pk")

    def lastmod(self, actor):
        return actor.updated_at


class TopicSitemap(SiteSitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return Topic.objects.only("slug", "updated_at").order_by("pk")

    def lastmod(self, topic):
        return topic.updated_at


class FixedPagesSitemap(SiteSitemap):
    changefreq = "daily"
    priority = 0.4

    def items(self):
        return ["claims:home", "claims:claim-list", "claims:methodology"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "pages": FixedPagesSitemap,
    "claims": ClaimSitemap,
    "topics": TopicSitemap,
    "actors": ActorSitemap,
}
