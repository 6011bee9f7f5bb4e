from django.urls import path

from claims.views import pages

app_name = "claims"

urlpatterns = [
    path("", pages.home, name="home"),
    path("claims/<slug:slug>/", pages.claim_detail, name="claim-detail"),
    path("actors/<slug:slug>/", pages.actor_detail, name="actor-detail"),
    path("topics/<slug:slug>/", pages.topic_detail, name="topic-detail"),
]
