"""Webhook subscriptions and their delivery log (claims/webhooks/). A
subscription's `secret` is shown once, in the answer to the request that
created it (or set it); it is never read back."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.links import url_for
from claims.models import WebhookDelivery, WebhookSubscription, validate_webhook_events
from claims.vocabularies import WebhookEvent
from claims.webhooks import signing
from claims.webhooks.subscriptions import destination_refusal


class WebhookSubscriptionSerializer(serializers.ModelSerializer):
    api_url = serializers.SerializerMethodField()
    deliveries_url = serializers.SerializerMethodField()
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookEvent.choices),
        allow_empty=False,
        help_text="The events to hear about.",
    )
    secret = serializers.CharField(
        write_only=True,
        required=False,
        max_length=120,
        help_text="whsec_ and the base64 of a 24- to 64-byte key; made for you if not given. "
        "Shown once, in the answer that set it.",
    )

    class Meta:
        model = WebhookSubscription
        fields = [
            "id",
            "api_url",
            "url",
            "events",
            "secret",
            "is_active",
            "disabled_reason",
            "disabled_at",
            "position",
            "deliveries_url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "is_active",
            "disabled_reason",
            "disabled_at",
            "position",
            "created_at",
            "updated_at",
        ]

    def _absolute(self, name, pk):
        request = self.context.get("request")
        path = url_for(name, "pk", pk)
        return request.build_absolute_uri(path) if request is not None else path

    @extend_schema_field(serializers.URLField())
    def get_api_url(self, subscription):
        return self._absolute("api:webhook-detail", subscription.pk)

    @extend_schema_field(serializers.URLField())
    def get_deliveries_url(self, subscription):
        return self._absolute("api:webhook-deliveries", subscription.pk)

    def validate_url(self, value):
        if refusal := destination_refusal(value):
            raise serializers.ValidationError(f"Deliveries cannot go to this address: {refusal}.")
        return value

    def validate_events(self, value):
        try:
            validate_webhook_events(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error
        return value

    def validate_secret(self, value):
        try:
            signing.secret_key(value)
        except ValueError as error:
            raise serializers.ValidationError(str(error)) from error
        return value

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if getattr(instance, "_secret_given_out", False):
            data["secret"] = instance.secret
        return data


class WebhookDeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "message_id",
            "event_type",
            "position",
            "claim_slug",
            "state",
            "attempts",
            "next_attempt_at",
            "first_attempt_at",
            "last_attempt_at",
            "last_status_code",
            "last_error",
            "delivered_at",
            "created_at",
            "payload",
        ]
        read_only_fields = fields
