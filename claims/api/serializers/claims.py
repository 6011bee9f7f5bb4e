"""Claims: the lean list row and the rich detail (statements by stance,
assessments, links, ratings elsewhere)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers

from claims import services
from claims.models import Claim, ExternalReview, Place, Topic
from claims.vocabularies import Stance

from ..permissions import can_see_drafts
from .assessments import AssessmentInClaimSerializer
from .base import (
    ApiUrlField,
    PageUrlField,
    RowBySlugField,
    SlugFromMixin,
    StaffOnlyFieldsMixin,
    WriteSerializer,
)
from .links import LinkInClaimSerializer
from .statements import StatementInClaimSerializer, StatementsByStanceSerializer


class PlaceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Place
        fields = ["slug", "name", "country", "latitude", "longitude"]


class ClaimListSerializer(serializers.ModelSerializer):
    api_url = ApiUrlField(Claim)
    page_url = PageUrlField()
    topics = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    statement_count = serializers.IntegerField(read_only=True)
    asserts_count = serializers.IntegerField(read_only=True)
    denies_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Claim
        fields = [
            "api_url",
            "slug",
            "text",
            "status",
            "status_changed_at",
            "is_published",
            "topics",
            "first_claimed_on",
            "occurred_on",
            "statement_count",
            "asserts_count",
            "denies_count",
            "page_url",
            "updated_at",
        ]


class ExternalReviewInClaimSerializer(serializers.ModelSerializer):
    """Another organisation's rating of the claim: theirs, never our verdict."""

    adopted = serializers.SerializerMethodField()

    class Meta:
        model = ExternalReview
        fields = [
            "reviewer_name",
            "reviewer_url",
            "rating",
            "rating_value",
            "review_url",
            "reviewed_on",
            "adopted",
        ]

    @extend_schema_field(
        {"type": "boolean", "description": "Whether we adopted this rating as an assessment of ours."}
    )
    def get_adopted(self, review):
        adopted = review.adopted_as
        if adopted is None:
            return False
        # A draft assessment is news to readers only once it is published.
        request = self.context.get("request")
        return adopted.is_published or can_see_drafts(getattr(request, "user", None), "assessment")


class ClaimSerializer(SlugFromMixin, StaffOnlyFieldsMixin, WriteSerializer):
    api_url = ApiUrlField(Claim)
    page_url = PageUrlField()
    topics = RowBySlugField(slug_field="slug", many=True, queryset=Topic.objects.all(), required=False)
    place = RowBySlugField(slug_field="slug", queryset=Place.objects.all(), required=False, allow_null=True)
    place_detail = PlaceSerializer(source="place", read_only=True, allow_null=True)
    statements = serializers.SerializerMethodField()
    assessments = serializers.SerializerMethodField()
    links = serializers.SerializerMethodField()
    rated_elsewhere = ExternalReviewInClaimSerializer(
        source="external_reviews",
        many=True,
        read_only=True,
        help_text="Other organisations' ratings (imported ClaimReviews), not ours.",
    )
    slug_from = "text"
    constraint_exclude = {"is_published", "published_at"}

    class Meta:
        model = Claim
        fields = [
            "api_url",
            "slug",
            "text",
            "context",
            "internal_notes",
            "status",
            "status_changed_at",
            "is_published",
            "published_at",
            "topics",
            "place",
            "place_detail",
            "occurred_on",
            "first_claimed_on",
            "statements",
            "assessments",
            "links",
            "rated_elsewhere",
            "page_url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "status_changed_at", "published_at", "created_at", "updated_at"]
        extra_kwargs = {"slug": {"required": False, "validators": []}}

    @extend_schema_field(StatementsByStanceSerializer)
    def get_statements(self, claim):
        # One list serializer for all of them, then grouped: a serializer per
        # stance would build the nested fields five times.
        statements = list(claim.statements.all())
        data = StatementInClaimSerializer(statements, many=True, context=self.context).data
        grouped = {stance: [] for stance in Stance.values}
        for statement, item in zip(statements, data, strict=True):
            grouped[statement.stance].append(item)
        return grouped

    @extend_schema_field(AssessmentInClaimSerializer(many=True))
    def get_assessments(self, claim):
        assessments = getattr(claim, "published_assessments", None)
        if assessments is None:
            assessments = claim.assessments.published().prefetch_related("evidence__publisher")
        assessments = sorted(assessments, key=lambda a: (a.assessed_at, a.pk))
        return AssessmentInClaimSerializer(assessments, many=True, context=self.context).data

    @extend_schema_field(LinkInClaimSerializer(many=True))
    def get_links(self, claim):
        request = self.context.get("request")
        drafts = can_see_drafts(getattr(request, "user", None))
        links = [("out", link, link.to_claim) for link in claim.links_out.all()]
        links += [("in", link, link.from_claim) for link in claim.links_in.all()]
        visible = [
            {"kind": link.kind, "direction": direction, "claim": other, "note": link.note}
            for direction, link, other in links
            if drafts or other.is_published
        ]
        return LinkInClaimSerializer(visible, many=True, context=self.context).data

    def validate(self, attrs):
        claim = self.instance if self.instance is not None else Claim()
        if refusal := services.publication_refusal(claim, self.user, attrs):
            raise exceptions.PermissionDenied(refusal)
        return super().validate(attrs)

    def create(self, validated_data):
        published = validated_data.pop("is_published", False)
        claim = super().create(validated_data)
        return services.set_claim_published(claim, True, self.user) if published else claim

    def update(self, instance, validated_data):
        published = validated_data.pop("is_published", instance.is_published)
        claim = super().update(instance, validated_data)
        if published != claim.is_published:
            services.set_claim_published(claim, published, self.user)
        return claim
