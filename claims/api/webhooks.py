"""/api/v1/webhooks/: a signed-in API user's webhook subscriptions (only
their own: another user's are a 404), enabling one again, and its delivery
log, newest first. The sending is claims/webhooks/'s."""

from django.conf import settings
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from claims.models import WebhookSubscription
from claims.webhooks import subscriptions

from .parsers import JSONParser
from .serializers.webhooks import WebhookDeliverySerializer, WebhookSubscriptionSerializer


@extend_schema_view(
    list=extend_schema(summary="Your webhook subscriptions"),
    retrieve=extend_schema(summary="One of your webhook subscriptions"),
    create=extend_schema(
        summary="Subscribe a URL to claim events (its secret is in this answer only)",
        description="Deliveries are signed in the Standard Webhooks form (docs/api.md). The URL must "
        "resolve to public addresses only.",
    ),
    update=extend_schema(summary="Change a subscription's URL, events or secret"),
    partial_update=extend_schema(summary="Change some of a subscription's fields"),
    destroy=extend_schema(summary="Remove a subscription and its delivery log"),
)
class WebhookSubscriptionViewSet(viewsets.ModelViewSet):
    serializer_class = WebhookSubscriptionSerializer
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]
    lookup_value_regex = "[0-9]+"
    ordering_fields = {"created_at": "created_at"}
    default_ordering = "-created_at"
    filterset_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema, made without a user
            return WebhookSubscription.objects.none()
        return WebhookSubscription.objects.owned_by(self.request.user)

    def perform_create(self, serializer):
        if subscriptions.too_many_subscriptions(self.request.user):
            raise exceptions.ValidationError(
                {
                    "url": [
                        f"You have {settings.WEBHOOK_MAX_SUBSCRIPTIONS} subscriptions, the most one user may."
                    ]
                }
            )
        data = serializer.validated_data
        serializer.instance = subscriptions.subscribe(
            self.request.user, data["url"], data["events"], data.get("secret")
        )
        serializer.instance._secret_given_out = True

    def perform_update(self, serializer):
        instance = serializer.save()
        subscriptions.withdraw_unsubscribed(instance)
        instance._secret_given_out = "secret" in serializer.validated_data

    @extend_schema(
        summary="Enable a disabled subscription again",
        description="Its failed delivery is tried again first, then every later one, in order.",
        request=None,
        responses=WebhookSubscriptionSerializer,
    )
    @action(detail=True, methods=["post"])
    def enable(self, request, pk=None):
        subscription = subscriptions.enable(self.get_object())
        return Response(self.get_serializer(subscription).data)

    @extend_schema(
        summary="The subscription's deliveries, newest first",
        description="Each delivery's event, state, attempts, last status code and error.",
        responses=WebhookDeliverySerializer(many=True),
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="deliveries",
        ordering_fields={"position": "position"},
        default_ordering="-position",
    )
    def deliveries(self, request, pk=None):
        subscription = self.get_object()
        page = self.paginate_queryset(subscription.deliveries.all())
        data = WebhookDeliverySerializer(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)
