"""Sources."""

from claims.models import Actor, Source
from claims.urls_normalise import normalise_url

from .base import ApiUrlField, RowBySlugField, UtcTimeField, WriteSerializer


class SourceSerializer(WriteSerializer):
    api_url = ApiUrlField(Source)
    published_time = UtcTimeField(required=False, allow_null=True)
    publisher = RowBySlugField(
        slug_field="slug", queryset=Actor.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Source
        fields = [
            "api_url",
            "id",
            "url",
            "title",
            "publisher",
            "kind",
            "language",
            "published_on",
            "published_time",
            "archive_url",
            "accessed_on",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        validators = []

    def validate_url(self, value):
        return normalise_url(value)

    def conflicts(self, candidate):
        if not candidate.url:
            return []
        return [(Source.objects.filter(url=candidate.url), "url", "A source with this URL is already stored")]
