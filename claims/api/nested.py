"""A whole claim set in one request: a claim with its statements (each with its
actor and sources), assessments and links. The shapes are checked here (types,
choices, lengths, URLs); the references and the rules by claims/claimsets/,
which writes the set. Errors name each failing item by its path:
`{"errors": {"statements[2].sources[0].url": ["Enter a valid URL."]}}`.
"""

from collections.abc import Mapping

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers

from claims.batching import batched
from claims.claimsets import ClaimSetInvalid, plan_claim_set, write_claim_set
from claims.models import Actor, Assessment, Claim, ClaimLink, Source, Statement
from claims.vocabularies import ActorKind, LinkKind

from .errors import exception_handler
from .serializers import ClaimSerializer
from .serializers.base import SlugOfField, StrictFieldsMixin, api_url, refuse_impossible_text

NESTED_KEYS = ("statements", "assessments", "links")
CLAIM_SET = "_claim_set"
MAX_ROWS = 500  # of each list in one claim set
MAX_BULK_ITEMS = 100  # claim sets in one bulk request


# --- The rows' shapes -----------------------------------------------------------


class RowIdField(serializers.IntegerField):
    def __init__(self, noun, references=None, **kwargs):
        self.references = references  # the model, for the schema (schema.py)
        super().__init__(
            required=False,
            min_value=1,
            max_value=2**63 - 1,
            help_text=f"A stored {noun}'s id: that row.",
            **kwargs,
        )


class SlugRefField(SlugOfField):
    """A slug naming a row; looked up by claimsets (all in one query)."""

    def __init__(self, references=None, **kwargs):
        super().__init__(references, max_length=200, **kwargs)

    def to_internal_value(self, data):
        refuse_impossible_text(data)
        return super().to_internal_value(data)


class InlineActorSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = Actor
        fields = ["slug", "name", "kind", "role", "country", "wikidata_id", "description"]
        extra_kwargs = {
            "slug": {"required": False, "validators": [], "help_text": "Made from the name when left out."}
        }


INLINE_ACTOR_SCHEMA = {
    "type": "object",
    "description": "A new actor: made once per claim set (same slug, or same name and kind).",
    "properties": {
        "slug": {"type": "string", "maxLength": 200, "pattern": "^[-a-zA-Z0-9_]+$"},
        "name": {"type": "string", "minLength": 1, "maxLength": 200},
        "kind": {"type": "string", "enum": ActorKind.values},
        "role": {"type": "string", "maxLength": 300},
        "country": {"type": "string", "pattern": "^[A-Z]{2}$"},
        "wikidata_id": {"type": "string", "pattern": "^Q[1-9][0-9]*$"},
        "description": {"type": "string", "maxLength": 4000},
    },
    "required": ["name"],
}


@extend_schema_field(
    {
        "oneOf": [
            {
                "type": "string",
                "format": "slug",
                "pattern": "^[-a-zA-Z0-9_]+$",
                "maxLength": 200,
                "description": "A stored actor's slug: the actor at /api/v1/actors/{slug}/.",
                "x-resource": "actors",
            },
            INLINE_ACTOR_SCHEMA,
        ]
    }
)
class ActorRefField(serializers.Field):
    """A stored actor by slug, or a new one given inline."""

    default_error_messages = {"invalid": "Give an actor's slug, or a new actor as an object with its name."}

    def to_internal_value(self, data):
        if isinstance(data, str):
            return SlugRefField().run_validation(data)
        if isinstance(data, Mapping):
            actor = InlineActorSerializer(data=data)
            if not actor.is_valid():
                raise serializers.ValidationError(actor.errors)
            return dict(actor.validated_data)
        self.fail("invalid")

    def to_representation(self, value):
        return value


class SourceInSetSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    """A source by id, or by URL: a stored source with that URL (normalised) is
    used as it is; otherwise a new one is made from these fields."""

    id = RowIdField("source", Source)
    url = serializers.URLField(max_length=2000, required=False)
    publisher = SlugRefField(
        Actor,
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text="Or the inline `slug` of this set's actor.",
    )
    how = serializers.CharField(
        max_length=300, required=False, allow_blank=True, help_text="How it carried the statement."
    )

    class Meta:
        model = Source
        fields = [
            "id",
            "url",
            "title",
            "publisher",
            "kind",
            "language",
            "published_on",
            "archive_url",
            "accessed_on",
            "how",
        ]
        extra_kwargs = {"title": {"required": False, "help_text": "Required for a URL not stored yet."}}

    def validate(self, attrs):
        if "id" not in attrs and not attrs.get("url"):
            raise serializers.ValidationError("Give the source's id, or its url (and a title if it is new).")
        return attrs


class StatementRowSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    id = RowIdField("statement (PUT)", Statement)
    actor = ActorRefField()
    sources = SourceInSetSerializer(many=True, required=False, max_length=MAX_ROWS)

    class Meta:
        model = Statement
        fields = [
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
        validators = []

    def validate(self, attrs):
        # The row's own rules (a quote names its language), as the flat serializer checks them.
        row = Statement(quote=attrs.get("quote", ""), quote_language=attrs.get("quote_language", ""))
        try:
            row.clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from error
        return attrs


class AssessmentRowSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    id = RowIdField("assessment (PUT)", Assessment)
    evidence = SourceInSetSerializer(many=True, required=False, max_length=MAX_ROWS)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "status",
            "rationale",
            "assessed_at",
            "is_published",
            "internal_notes",
            "original_rating",
            "evidence",
        ]
        extra_kwargs = {"rationale": {"allow_blank": False}}


class LinkRowSerializer(StrictFieldsMixin, serializers.Serializer):
    id = RowIdField("link (PUT)", ClaimLink)
    claim = SlugRefField(Claim, help_text="The other claim's slug: this claim `kind`s it.")
    kind = serializers.ChoiceField(choices=LinkKind.choices)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class ClaimSetRowsSerializer(StrictFieldsMixin, serializers.Serializer):
    statements = StatementRowSerializer(many=True, required=False, max_length=MAX_ROWS)
    assessments = AssessmentRowSerializer(many=True, required=False, max_length=MAX_ROWS)
    links = LinkRowSerializer(many=True, required=False, max_length=MAX_ROWS)


def error_paths(errors, prefix=""):
    """DRF's nested errors ({"statements": [{}, {"actor": ["…"]}]}) as one
    mapping of paths to messages ({"statements[1].actor": ["…"]})."""
    out = {}
    if isinstance(errors, Mapping):
        for key, value in errors.items():
            # An item's own errors are named by the item's path; a list's
            # items' errors come keyed by their index.
            if key == "non_field_errors":
                path = prefix or key
            elif isinstance(key, int):
                path = f"{prefix}[{key}]"
            else:
                path = f"{prefix}.{key}".lstrip(".")
            for found, messages in error_paths(value, path).items():
                out.setdefault(found, []).extend(messages)
    elif isinstance(errors, list | tuple):
        if all(isinstance(item, str) for item in errors):
            if errors:
                out[prefix] = list(errors)
        else:
            for index, item in enumerate(errors):
                out.update(error_paths(item, f"{prefix}[{index}]"))
    else:
        out[prefix] = [errors]
    return out


# --- The claim with its set --------------------------------------------------------


class ClaimSetSerializer(ClaimSerializer):
    """ClaimSerializer for writes: the claim's fields as ever, and any of
    `statements`, `assessments`, `links` given (each replaces that list)."""

    claim_set = None

    def to_internal_value(self, data):
        if not isinstance(data, Mapping) or not any(key in data for key in NESTED_KEYS):
            return super().to_internal_value(data)
        errors, attrs = {}, {}
        try:
            attrs = super().to_internal_value({k: v for k, v in data.items() if k not in NESTED_KEYS})
        except serializers.ValidationError as error:
            errors.update(error.detail)
        rows = ClaimSetRowsSerializer(data={key: data[key] for key in NESTED_KEYS if key in data})
        if not rows.is_valid():
            errors.update(error_paths(rows.errors))
        if errors:
            raise serializers.ValidationError(errors)
        attrs[CLAIM_SET] = rows.validated_data
        return attrs

    def validate(self, attrs):
        rows = attrs.pop(CLAIM_SET, None)
        attrs = super().validate(attrs)
        if rows is not None:
            slug = attrs.get("slug") or getattr(self.instance, "slug", "")
            try:
                self.claim_set = plan_claim_set(rows, self.user, claim=self.instance, slug=slug)
            except ClaimSetInvalid as invalid:
                raise serializers.ValidationError(invalid.errors) from invalid
        return attrs

    def create(self, validated_data):
        # Side effects (search text, page versions) once, at the end.
        with transaction.atomic(), batched():
            claim = super().create(validated_data)
            if self.claim_set is not None:
                write_claim_set(self.claim_set, claim)
        return claim

    def update(self, instance, validated_data):
        with transaction.atomic(), batched():
            claim = super().update(instance, validated_data)
            if self.claim_set is not None:
                write_claim_set(self.claim_set, claim)
        return claim


class ClaimSetRequestSerializer(ClaimSerializer):
    """The request body's shape, for the schema only (ClaimSetSerializer reads it)."""

    statements = StatementRowSerializer(
        many=True, required=False, help_text="Replaces the claim's statements."
    )
    assessments = AssessmentRowSerializer(many=True, required=False, help_text="Replaces its assessments.")
    links = LinkRowSerializer(many=True, required=False, help_text="Replaces its links to other claims.")


# --- Many claim sets ----------------------------------------------------------------


class TooManyClaimSets(exceptions.APIException):
    status_code = 413
    default_code = "too_many_items"


class BulkItemSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="The claim set's position in the request, from 0.")
    status = serializers.IntegerField(help_text="201 when stored, else the error's status (400, 403, 409).")
    slug = SlugOfField(Claim, required=False, help_text="201 only: the new claim.")
    api_url = serializers.URLField(required=False, help_text="201 only.")
    code = serializers.CharField(required=False, help_text="Errors only, as in every error body.")
    detail = serializers.CharField(required=False)
    errors = serializers.DictField(
        child=serializers.JSONField(), required=False, help_text="400 only: path to messages."
    )


class BulkReportSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    failed = serializers.IntegerField()
    items = BulkItemSerializer(many=True)


def store_claim_sets(view, request, items):
    """Each claim set in its own transaction: one refused leaves the others stored."""
    if not isinstance(items, list):
        raise serializers.ValidationError(
            {"non_field_errors": ["Send a JSON array of claim sets, or NDJSON: one claim set a line."]}
        )
    if not items:
        raise serializers.ValidationError({"non_field_errors": ["No claim set given."]})
    if len(items) > MAX_BULK_ITEMS:
        raise TooManyClaimSets(f"At most {MAX_BULK_ITEMS} claim sets a request; this one has {len(items)}.")
    report = []
    for index, item in enumerate(items):
        serializer = ClaimSetSerializer(data=item, context=view.get_serializer_context())
        try:
            with transaction.atomic():
                serializer.is_valid(raise_exception=True)
                claim = serializer.save()
        except Exception as error:  # each item's error as the API would answer it
            response = exception_handler(error, {"view": view, "request": request})
            if response is None:
                raise
            report.append({"index": index, **response.data})
            continue
        report.append({"index": index, "status": 201, "slug": claim.slug, "api_url": api_url(claim, request)})
    created = sum(item["status"] == 201 for item in report)
    return {"created": created, "failed": len(report) - created, "items": report}
