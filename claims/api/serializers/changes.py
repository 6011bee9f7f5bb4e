"""The change stream (`GET /api/v1/changes/`): one entry per row readers saw
published, changed or removed, in commit order (claims/changes/)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.links import url_for
from claims.models import Assessment, Change, Claim, ClaimLink, Statement
from claims.vocabularies import ChangeKind, ChangeSubject, Status

from .base import DETAIL_ROUTES, SlugOfField

SUBJECT_MODELS = {
    ChangeSubject.CLAIM: Claim,
    ChangeSubject.STATEMENT: Statement,
    ChangeSubject.ASSESSMENT: Assessment,
    ChangeSubject.CLAIM_LINK: ClaimLink,
}


STATUS_FIELD = serializers.ChoiceField(choices=Status.choices, allow_null=True)


class ChangeSerializer(serializers.ModelSerializer):
    claim = SlugOfField(Claim, source="claim_slug", help_text="The row's claim (a link's from-claim).")
    removed = serializers.SerializerMethodField()
    removed_at = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    previous_status = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Change
        fields = [
            "position",
            "subject",
            "key",
            "claim",
            "kind",
            "removed",
            "removed_at",
            "status",
            "previous_status",
            "occurred_at",
            "url",
        ]

    def get_removed(self, change) -> bool:
        return change.kind == ChangeKind.REMOVED

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_removed_at(self, change):
        if not self.get_removed(change):
            return None
        return serializers.DateTimeField().to_representation(change.occurred_at)

    @extend_schema_field(STATUS_FIELD)
    def get_status(self, change):
        return change.status or None

    @extend_schema_field(STATUS_FIELD)
    def get_previous_status(self, change):
        return change.previous_status or None

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_url(self, change):
        """The row's API detail, to fetch again; null for a tombstone."""
        if self.get_removed(change):
            return None
        route, name = DETAIL_ROUTES[SUBJECT_MODELS[change.subject]]
        path = url_for(route, name, change.key)
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class ChangePageSerializer(serializers.Serializer):
    results = ChangeSerializer(many=True)
    next = serializers.URLField(
        allow_null=True, help_text="The next page (since=the last position), null at the head."
    )
    position = serializers.IntegerField(help_text="The last position returned (or `since`): where to resume.")
