"""The ClaimReview import's report."""

from rest_framework import serializers

from claims.models import Claim

from .base import SlugOfField


class ImportErrorSerializer(serializers.Serializer):
    field = serializers.CharField(
        help_text='The record\'s field, like reviewRating.ratingValue ("" for the record).'
    )
    message = serializers.CharField()


class ImportRecordSerializer(serializers.Serializer):
    """What happened to one record of the payload."""

    index = serializers.IntegerField(
        allow_null=True, help_text="Its position in the payload (null: the payload as a whole)."
    )
    outcome = serializers.ChoiceField(
        choices=["created", "matched", "duplicate", "refused"],
        help_text="created: a new claim; matched: an existing claim, their rating (or a statement or "
        "source) added to it, or one of our own pages, nothing added; duplicate: all of it was stored "
        "already, nothing changed; refused: see errors (nothing of the import is stored).",
    )
    claim = SlugOfField(Claim, allow_null=True, help_text="The record's claim.")
    rating_added = serializers.BooleanField(help_text="Their rating was stored as rated elsewhere.")
    changed = serializers.BooleanField(help_text="Anything was stored for this record.")
    errors = ImportErrorSerializer(many=True, help_text="Every error of a refused record.")


class ImportReportSerializer(serializers.Serializer):
    """What a ClaimReview import stored: what happened to each record, how many
    of each outcome, counts of new rows, and each record's claim slug."""

    records = ImportRecordSerializer(many=True)
    outcomes = serializers.DictField(child=serializers.IntegerField())
    created = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="New rows: claims, actors, statements, sources, external_reviews.",
    )
    claims = serializers.ListField(child=serializers.CharField())
