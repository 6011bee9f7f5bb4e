"""Statements and the sources that carry them."""

from rest_framework import serializers

from claims.models import Actor, Claim, Source, Statement, StatementSource

from .base import (
    ActorRefSerializer,
    ApiUrlField,
    ChildRowSerializer,
    RowByIdField,
    RowBySlugField,
    SourceRefSerializer,
    WriteSerializer,
)


class StatementSourceSerializer(ChildRowSerializer):
    source = RowByIdField(queryset=Source.objects.all())

    class Meta:
        model = StatementSource
        fields = ["source", "how"]


class StatementSourceDetailSerializer(serializers.ModelSerializer):
    source = SourceRefSerializer(read_only=True)

    class Meta:
        model = StatementSource
        fields = ["source", "how"]


class StatementSerializer(WriteSerializer):
    api_url = ApiUrlField(Statement)
    claim = RowBySlugField(slug_field="slug", queryset=Claim.objects.all())
    actor = RowBySlugField(slug_field="slug", queryset=Actor.objects.all())
    sources = StatementSourceSerializer(
        many=True, source="statement_sources", required=False, help_text="Replaces all sources when given."
    )

    class Meta:
        model = Statement
        fields = [
            "api_url",
            "id",
            "claim",
            "actor",
            "stance",
            "summary",
            "quote",
            "quote_language",
            "translation",
            "stated_on",
            "sources",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        validators = []

    def validate_sources(self, items):
        ids = [item["source"].pk for item in items]
        if len(ids) != len(set(ids)):
            raise serializers.ValidationError("Each source may be given once.")
        return items

    def conflicts(self, candidate):
        return [
            (
                Statement.objects.filter(
                    claim_id=candidate.claim_id,
                    actor_id=candidate.actor_id,
                    stance=candidate.stance,
                    stated_on=candidate.stated_on,
                ),
                "stance",
                "This actor already has a statement with this stance on this day",
            )
        ]

    def save_related(self, instance, related):
        items = related.pop("statement_sources", None)
        if items is not None:
            self.replace_children(
                instance.statement_sources.all(),
                {item["source"].pk: item.get("how", "") for item in items},
                key="source_id",
                field="how",
                make=lambda source_id, how: StatementSource(statement=instance, source_id=source_id, how=how),
                ordered=True,
            )
        super().save_related(instance, related)


class StatementListSerializer(serializers.ModelSerializer):
    api_url = ApiUrlField(Statement)
    claim = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    actor = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Statement
        fields = ["api_url", "id", "claim", "actor", "stance", "stated_on", "updated_at"]


class StatementInClaimSerializer(serializers.ModelSerializer):
    api_url = ApiUrlField(Statement)
    actor = ActorRefSerializer(read_only=True)
    sources = StatementSourceDetailSerializer(many=True, read_only=True, source="statement_sources")

    class Meta:
        model = Statement
        fields = [
            "api_url",
            "id",
            "actor",
            "stance",
            "summary",
            "quote",
            "quote_language",
            "translation",
            "stated_on",
            "sources",
        ]


class StatementsByStanceSerializer(serializers.Serializer):
    """A claim's statements, one list per stance, each in the order said."""

    asserts = StatementInClaimSerializer(many=True)
    denies = StatementInClaimSerializer(many=True)
    qualifies = StatementInClaimSerializer(many=True)
    declines = StatementInClaimSerializer(many=True)
    retracts = StatementInClaimSerializer(many=True)
