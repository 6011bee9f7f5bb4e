"""Assessments: our verdicts."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims import services
from claims.models import Assessment, Claim, Source

from ..permissions import can_see_drafts
from .base import (
    ApiUrlField,
    RowByIdField,
    RowBySlugField,
    SourceRefSerializer,
    StaffOnlyFieldsMixin,
    WriteSerializer,
)


class AssessmentInClaimSerializer(serializers.ModelSerializer):
    api_url = ApiUrlField(Assessment)
    evidence = SourceRefSerializer(many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = ["api_url", "id", "status", "rationale", "assessed_at", "evidence", "original_rating"]


class AssessmentSerializer(StaffOnlyFieldsMixin, WriteSerializer):
    api_url = ApiUrlField(Assessment)
    claim = RowBySlugField(slug_field="slug", queryset=Claim.objects.all())
    evidence = RowByIdField(
        many=True, queryset=Source.objects.all(), required=False, help_text="In the order given."
    )
    author = serializers.SerializerMethodField()
    drafts_permission = "assessment"

    class Meta:
        model = Assessment
        fields = [
            "api_url",
            "id",
            "claim",
            "status",
            "rationale",
            "evidence",
            "author",
            "assessed_at",
            "is_published",
            "internal_notes",
            "original_rating",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {"rationale": {"allow_blank": False}}

    @extend_schema_field({"type": "string", "nullable": True, "description": "Who assessed (editors only)."})
    def get_author(self, assessment):
        request = self.context.get("request")
        if assessment.author_id and can_see_drafts(getattr(request, "user", None), "assessment"):
            return assessment.author.get_username()
        return None

    def save_related(self, instance, related):
        evidence = related.pop("evidence", None)
        if evidence is not None:
            instance.set_evidence(evidence)  # in the order given
        super().save_related(instance, related)

    def create(self, validated_data):
        published = validated_data.pop("is_published", False)
        validated_data["author"] = self.user
        assessment = super().create(validated_data)
        return services.set_assessment_published(assessment, published, self.user)

    def update(self, instance, validated_data):
        published = validated_data.pop("is_published", instance.is_published)
        assessment = super().update(instance, validated_data)
        return services.set_assessment_published(assessment, published, self.user)


class AssessmentListSerializer(serializers.ModelSerializer):
    api_url = ApiUrlField(Assessment)
    claim = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Assessment
        fields = ["api_url", "id", "claim", "status", "assessed_at", "is_published", "updated_at"]
