from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from . import views, webhooks
from .docs import SwaggerDocsView

app_name = "api"

router = SimpleRouter()
router.register("claims", views.ClaimViewSet, basename="claim")
router.register("statements", views.StatementViewSet, basename="statement")
router.register("actors", views.ActorViewSet, basename="actor")
router.register("sources", views.SourceViewSet, basename="source")
router.register("topics", views.TopicViewSet, basename="topic")
router.register("places", views.PlaceViewSet, basename="place")
router.register("assessments", views.AssessmentViewSet, basename="assessment")
router.register("claim-links", views.ClaimLinkViewSet, basename="claim-link")
router.register("webhooks", webhooks.WebhookSubscriptionViewSet, basename="webhook")

urlpatterns = [
    path("", views.ApiRootView.as_view(), name="root"),
    *router.urls,
    # The reader's address, no trailing slash: a method of the claim viewset.
    path(
        "claims/<slug:slug>/evidence.zip",
        views.ClaimViewSet.as_view({"get": "evidence"}, filterset_class=None, pagination_class=None),
        name="claim-evidence",
    ),
    path("changes/", views.ChangesView.as_view(), name="change-list"),
    path("export/claimreview/", views.ClaimReviewExportView.as_view(), name="claimreview-export"),
    path("import/claimreview/", views.ClaimReviewImportView.as_view(), name="claimreview-import"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SwaggerDocsView.as_view(url_name="api:schema"), name="docs"),
]
