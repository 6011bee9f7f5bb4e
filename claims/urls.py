from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from claims import feeds
from claims.capture import views as capture_views
from claims.sitemaps import SITEMAPS
from claims.views import actors, claims, pages, topics

app_name = "claims"

urlpatterns = [
    path("", pages.home, name="home"),
    path("claims/", claims.claim_list, name="claim-list"),
    path("claims/<slug:slug>/", claims.claim_detail, name="claim-detail"),
    path("claims/<slug:slug>/evidence.zip", capture_views.claim_evidence, name="claim-evidence"),
    path("captures/<int:pk>/", capture_views.capture_detail, name="capture-detail"),
    path("captures/<int:pk>/raw", capture_views.capture_raw, name="capture-raw"),
    path("captures/<int:pk>.warc.gz", capture_views.capture_warc, name="capture-warc"),
    path("actors/<slug:slug>/", actors.actor_detail, name="actor-detail"),
    path("topics/<slug:slug>/", topics.topic_detail, name="topic-detail"),
    path("topics/<slug:slug>/feed.rss", feeds.TopicAssessmentFeed(), name="topic-feed-rss"),
    path("topics/<slug:slug>/feed.atom", feeds.TopicAssessmentAtomFeed(), name="topic-feed-atom"),
    path("methodology/", pages.methodology, name="methodology"),
    path("feeds/assessments.rss", feeds.AssessmentFeed(), name="feed-rss"),
    path("feeds/assessments.atom", feeds.AssessmentAtomFeed(), name="feed-atom"),
    path("robots.txt", pages.robots_txt, name="robots-txt"),
    path("favicon.ico", pages.favicon, name="favicon"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "claims:sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
]
