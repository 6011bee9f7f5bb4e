"""Captures: what was fetched from a source's URL, its hashes, and where the
stored copy is. Read only: captures are taken by the capture package
(claims/capture/), never written through the API.

`links` points at the reader's doors to the stored copy (the capture page, its
raw body and its WARC file); they serve only finished captures of sources
that published material cites (claims/capture/public.py), so `links` is null
for any other. The main text is not in the API (`text_length` says how much
there is): the capture page shows it."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.links import url_for
from claims.models import Capture
from claims.vocabularies import CaptureState


class CaptureLinksSerializer(serializers.Serializer):
    html_url = serializers.URLField(help_text="The capture's page: what was fetched, its hashes, its text.")
    raw_url = serializers.URLField(
        help_text="The body as received (sandboxed; HTML and text inline, else a download)."
    )
    warc_url = serializers.URLField(help_text="The raw exchange as a WARC file (ISO 28500, gzipped).")


def capture_links(capture, request, readers_see):
    """Absolute addresses of the reader's doors to `capture`, or None where
    they would answer 404 (not captured, or its source cited by nothing
    published)."""
    if capture.state != CaptureState.CAPTURED or not readers_see:
        return None

    def absolute(name):
        path = url_for(name, "pk", capture.pk)
        return request.build_absolute_uri(path) if request is not None else path

    return {
        "html_url": absolute("claims:capture-detail"),
        "raw_url": absolute("claims:capture-raw"),
        "warc_url": absolute("claims:capture-warc"),
    }


class CaptureLinksMixin:
    """`links`, where the context says readers may see this capture's source's
    captures (`readers_see`: the view or the source serializer knows)."""

    @extend_schema_field(CaptureLinksSerializer(allow_null=True))
    def get_links(self, capture):
        return capture_links(capture, self.context.get("request"), self.context.get("readers_see", False))


class CaptureSerializer(CaptureLinksMixin, serializers.ModelSerializer):
    text_length = serializers.SerializerMethodField()
    links = serializers.SerializerMethodField()

    class Meta:
        model = Capture
        fields = [
            "id",
            "state",
            "trigger",
            "requested_at",
            "requested_url",
            "final_url",
            "http_status",
            "content_type",
            "size",
            "fetched_at",
            "duration",
            "sha256",
            "title",
            "published_on",
            "language",
            "text_length",
            "failure_reason",
            "attempts",
            "warc_sha256",
            "warc_size",
            "links",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "size": {"help_text": "Body bytes as received."},
            "duration": {"help_text": "Seconds the fetch took."},
            "sha256": {"help_text": "Hex SHA-256 of the body bytes as received (empty until captured)."},
            "warc_sha256": {"help_text": "Hex SHA-256 of the WARC file as stored."},
            "warc_size": {"help_text": "Bytes of the WARC file."},
            "failure_reason": {
                "help_text": "Why the capture failed, or why it is being tried again "
                "(`… (trying again)` while pending)."
            },
            "attempts": {"help_text": "Fetches tried so far."},
        }

    @extend_schema_field(OpenApiTypes.INT)
    def get_text_length(self, capture):
        """Characters of main text read from the page (the text is on the capture page)."""
        length = getattr(capture, "text_length", None)
        if length is None:
            length = len(capture.text)
        return length


class LatestCaptureSerializer(CaptureLinksMixin, serializers.ModelSerializer):
    """A source's latest successful capture, in brief."""

    links = serializers.SerializerMethodField()

    class Meta:
        model = Capture
        fields = ["id", "state", "fetched_at", "http_status", "sha256", "warc_sha256", "links"]
        read_only_fields = fields
