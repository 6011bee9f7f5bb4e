"""Sources, with where their evidence stands (capture and link state, the
latest capture), and the prefill of a source created with only its URL."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from claims.capture.prefill import prefill
from claims.capture.public import cited_sources
from claims.links import url_for
from claims.models import Actor, Source
from claims.urls_normalise import normalise_url

from .base import ApiUrlField, RowBySlugField, UtcTimeField, WriteSerializer
from .captures import LatestCaptureSerializer

# What a prefill may fill in, where the client gave no value.
PREFILLED_FIELDS = ("title", "publisher", "published_on", "language")


class SourceSerializer(WriteSerializer):
    api_url = ApiUrlField(Source)
    published_time = UtcTimeField(required=False, allow_null=True)
    publisher = RowBySlugField(
        slug_field="slug", queryset=Actor.objects.all(), required=False, allow_null=True
    )
    latest_capture = serializers.SerializerMethodField()
    captures_url = serializers.SerializerMethodField()

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
            "capture_state",
            "link_state",
            "gone_since",
            "link_checked_at",
            "latest_capture",
            "captures_url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "capture_state",
            "link_state",
            "gone_since",
            "link_checked_at",
            "created_at",
            "updated_at",
        ]
        validators = []
        extra_kwargs = {
            "title": {
                "help_text": "Required, except on create with a `url`: then read from the page when left out."
            },
            "capture_state": {"help_text": "Where the newest capture stands."},
            "link_state": {"help_text": "What the last link check found at the URL."},
            "gone_since": {"help_text": "The day the URL was first found gone (404, 410, no such host)."},
            "link_checked_at": {"help_text": "When the URL was last checked."},
        }

    def get_fields(self):
        fields = super().get_fields()
        # A URL stored already is a 409 naming the row (conflicts), in any
        # spelling: not the 400 of DRF's validator for the unique constraint,
        # which caught only the exact spelling.
        fields["url"].validators = [
            validator for validator in fields["url"].validators if not isinstance(validator, UniqueValidator)
        ]
        if self.instance is None:
            # On create the page may give it (validate); a PUT still needs it.
            fields["title"].required = False
        return fields

    @extend_schema_field(LatestCaptureSerializer(allow_null=True))
    def get_latest_capture(self, source):
        capture = source.latest_capture
        if capture is None:
            return None
        context = {**self.context, "readers_see": readers_see(source)}
        return LatestCaptureSerializer(capture, context=context).data

    @extend_schema_field(OpenApiTypes.URI)
    def get_captures_url(self, source):
        path = url_for("api:source-captures", "pk", source.pk)
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    def validate_url(self, value):
        return normalise_url(value)

    def conflicts(self, candidate):
        if not candidate.url:
            return []
        return [(Source.objects.filter(url=candidate.url), "url", "A source with this URL is already stored")]

    def validate(self, attrs):
        if self.instance is None and "title" not in attrs:
            self.refuse_duplicate(attrs)
            reason = self.fill_from_page(attrs) if attrs.get("url") else None
            if "title" not in attrs:
                if reason is None:
                    message = self.fields["title"].error_messages["required"]
                else:
                    message = f"Give a title: the page could not be read ({reason})"
                raise serializers.ValidationError({"title": [message]})
        return super().validate(attrs)

    def refuse_duplicate(self, attrs):
        """A URL stored already is the usual 409, before any fetch or 400."""
        if attrs.get("url") and Source.objects.filter(url=attrs["url"]).exists():
            super().validate(attrs)  # raises the Conflict naming the stored row

    def fill_from_page(self, attrs):
        """Fetch the page (within CAPTURE_PREFILL_TIMEOUT seconds: during the
        request) and fill in what the client left out; the reason when the
        page gave no title, else ""."""
        found = prefill(attrs["url"])
        for name in PREFILLED_FIELDS:
            if name in attrs or name not in found.values:
                continue
            value = self.checked(name, found.values[name])
            if value is not None:
                attrs[name] = value
        if "title" not in attrs:
            return found.reason or "found no title in the page"
        return ""

    def checked(self, name, value):
        """A value read from the page, as the field would take it from the
        client; None when the field would refuse it (a page is anyone's input)."""
        if name == "publisher":
            return value if isinstance(value, Actor) and value.pk else None
        field = self.fields[name]
        if name == "title":
            value = " ".join(str(value).split())[: field.max_length]
        try:
            return field.run_validation(value) or None
        except serializers.ValidationError:
            return None


def readers_see(source):
    """Whether the reader's doors serve this source's captures (published
    material cites it): the view's annotation, else asked."""
    seen = getattr(source, "readers_see", None)
    if seen is None:
        seen = cited_sources().filter(pk=source.pk).exists()
    return seen
