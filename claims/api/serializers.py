"""Serializers of the API. Lists are lean (`…ListSerializer`), details rich;
every field is listed explicitly. Related rows are given by slug (claims,
actors, topics, places) or id (sources, statements, assessments, links), with
their `api_url`.

Writes run the model's own `clean()` and constraints, so the API refuses what
the admin refuses; a duplicate slug, source URL, statement or link is a 409
naming the existing row; every write is recorded in the history with the
request's user (token users included); publishing goes through the services.
"""

import copy

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.fields import ProhibitSurrogateCharactersValidator

from claims import services
from claims.links import url_for
from claims.models import (
    Actor,
    ActorAlias,
    Assessment,
    Claim,
    ClaimLink,
    ExternalReview,
    Place,
    Source,
    Statement,
    StatementSource,
    Topic,
)
from claims.slugs import unique_slug
from claims.urls_normalise import normalise_url
from claims.vocabularies import Stance

from .errors import Conflict
from .permissions import can_see_drafts

# Model -> (URL name, lookup attribute) of its API detail endpoint.
DETAIL_ROUTES = {
    Claim: ("api:claim-detail", "slug"),
    Statement: ("api:statement-detail", "pk"),
    Actor: ("api:actor-detail", "slug"),
    Source: ("api:source-detail", "pk"),
    Topic: ("api:topic-detail", "slug"),
    Assessment: ("api:assessment-detail", "pk"),
    ClaimLink: ("api:claim-link-detail", "pk"),
}


def api_url(obj, request):
    name, attribute = DETAIL_ROUTES[type(obj)]
    path = url_for(name, attribute, getattr(obj, attribute))
    return request.build_absolute_uri(path) if request is not None else path


class ApiUrlField(serializers.HyperlinkedIdentityField):
    """The row's own API address."""

    def __init__(self, model, **kwargs):
        name, attribute = DETAIL_ROUTES[model]
        super().__init__(view_name=name, lookup_field=attribute, lookup_url_kwarg=attribute, **kwargs)

    def get_url(self, obj, view_name, request, format):
        value = getattr(obj, self.lookup_field)
        if format or value in (None, ""):
            return super().get_url(obj, view_name, request, format)
        path = url_for(view_name, self.lookup_url_kwarg, value)
        return request.build_absolute_uri(path) if request is not None else path


class PageUrlField(serializers.ReadOnlyField):
    """The row's public page on the site."""

    def __init__(self, **kwargs):
        super().__init__(source="get_absolute_url", **kwargs)

    def to_representation(self, value):
        request = self.context.get("request")
        return request.build_absolute_uri(value) if request is not None else value


PageUrlField = extend_schema_field(OpenApiTypes.URI)(PageUrlField)


@extend_schema_field(
    {
        "type": "string",
        "nullable": True,
        "pattern": r"^[0-2][0-9]:[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?(Z|[+-][0-2][0-9]:?[0-5][0-9])?$",
        "example": "14:30:00",
        "description": "The time of day in UTC (HH:MM[:SS]), only where it is known.",
    }
)
class UtcTimeField(serializers.TimeField):
    """A time of day, always UTC, written without an offset (OpenAPI's `time`
    format would demand one)."""


# --- Related rows by slug or id ---------------------------------------------


def refuse_impossible_text(value):
    """No row's slug holds a null byte or a lone surrogate: refused with the
    messages of a text field, before the database is asked (PostgreSQL
    refuses a null byte in a query with a DataError)."""
    if isinstance(value, str):
        if "\x00" in value:
            raise serializers.ValidationError("Null characters are not allowed.", code="null_characters")
        ProhibitSurrogateCharactersValidator()(value)


class RowBySlugField(serializers.SlugRelatedField):
    def to_internal_value(self, data):
        refuse_impossible_text(data)
        return super().to_internal_value(data)


class RowByIdField(serializers.PrimaryKeyRelatedField):
    """A row by id: true/false, fractions and infinities are no ids (a float
    infinity was an OverflowError in the lookup, a 500)."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or (isinstance(data, float) and not data.is_integer()):
            self.fail("incorrect_type", data_type=type(data).__name__)
        refuse_impossible_text(data)
        return super().to_internal_value(data)


# --- Small references to related rows --------------------------------------


class ActorRefSerializer(serializers.ModelSerializer):
    api_url = ApiUrlField(Actor)

    class Meta:
        model = Actor
        fields = ["api_url", "slug", "name", "role"]


class SourceRefSerializer(serializers.ModelSerializer):
    api_url = ApiUrlField(Source)
    publisher = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Source
        fields = ["api_url", "id", "url", "title", "publisher", "published_on"]


class ClaimRefSerializer(serializers.ModelSerializer):
    api_url = ApiUrlField(Claim)

    class Meta:
        model = Claim
        fields = ["api_url", "slug", "text", "status"]


# --- Write support ---------------------------------------------------------


class WriteSerializer(serializers.ModelSerializer):
    """Model validation, 409s for duplicates, and history with the request's user."""

    # Fields whose constraints the API does not check here (set by services).
    constraint_exclude = set()

    @property
    def user(self):
        request = self.context.get("request")
        return getattr(request, "user", None)

    def conflicts(self, candidate):
        """(queryset of rows `candidate` would duplicate, field, message) to check."""
        return []

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        candidate = copy.copy(self.instance) if self.instance is not None else model()
        for name, value in attrs.items():
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if field.concrete and not field.many_to_many:
                setattr(candidate, field.attname if value is None else name, value)
        for queryset, field, message in self.conflicts(candidate):
            if candidate.pk is not None:
                queryset = queryset.exclude(pk=candidate.pk)
            existing = queryset.first()
            if existing is not None:
                raise Conflict(
                    f"{message}: {existing}",
                    field=field,
                    existing={"id": existing.pk, "api_url": api_url(existing, self.context.get("request"))}
                    | ({"slug": existing.slug} if hasattr(existing, "slug") else {}),
                )
        try:
            candidate.clean()
            candidate.validate_constraints(exclude=self.constraint_exclude)
        except DjangoValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from error
        return attrs

    def split(self, validated_data):
        """Pop many-to-many and nested values: they are set after the row is saved."""
        later = {}
        for name in list(validated_data):
            try:
                field = self.Meta.model._meta.get_field(name)
            except FieldDoesNotExist:
                later[name] = validated_data.pop(name)
                continue
            if field.many_to_many or not field.concrete:
                later[name] = validated_data.pop(name)
        return later

    def save_row(self, instance):
        instance._history_user = self.user
        instance.save()

    def save_related(self, instance, related):
        for name, value in related.items():
            getattr(instance, name).set(value)

    def replace_children(self, rows, wanted, *, key, field, make):
        """Make a parent's child rows match `wanted` ({key: value of `field`}),
        each change recorded in the history."""
        wanted = dict(wanted)
        for row in rows:
            if getattr(row, key) not in wanted:
                row._history_user = self.user
                row.delete()
                continue
            value = wanted.pop(getattr(row, key))
            if getattr(row, field) != value:
                setattr(row, field, value)
                self.save_row(row)
        for key_value, value in wanted.items():
            self.save_row(make(key_value, value))

    def create(self, validated_data):
        related = self.split(validated_data)
        instance = self.Meta.model(**validated_data)
        self.save_row(instance)
        self.save_related(instance, related)
        return instance

    def update(self, instance, validated_data):
        related = self.split(validated_data)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        self.save_row(instance)
        self.save_related(instance, related)
        return instance


class SlugFromMixin:
    """`slug` is optional on create: it is made from `slug_from` when left out."""

    slug_from = "name"

    def validate(self, attrs):
        if self.instance is None and not attrs.get("slug"):
            attrs["slug"] = unique_slug(self.Meta.model, attrs.get(self.slug_from, ""))
        return super().validate(attrs)

    def conflicts(self, candidate):
        model = self.Meta.model
        return [
            (model.objects.filter(slug=candidate.slug), "slug", f"A {model._meta.verbose_name} has this slug")
        ]


class StaffOnlyFieldsMixin:
    """Internal notes are for editors: readers never get the key."""

    staff_only_fields = ("internal_notes",)
    drafts_permission = "claim"

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if not can_see_drafts(getattr(request, "user", None), self.drafts_permission):
            for name in self.staff_only_fields:
                data.pop(name, None)
        return data


# --- Topics ----------------------------------------------------------------


class TopicSerializer(SlugFromMixin, WriteSerializer):
    api_url = ApiUrlField(Topic)
    page_url = PageUrlField()

    class Meta:
        model = Topic
        fields = ["api_url", "slug", "name", "description", "page_url", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {"slug": {"required": False, "validators": []}, "name": {"validators": []}}

    def conflicts(self, candidate):
        return [
            *super().conflicts(candidate),
            (Topic.objects.filter(name=candidate.name), "name", "A topic has this name"),
        ]


# --- Actors ----------------------------------------------------------------


class ChildRowSerializer(serializers.ModelSerializer):
    """A row of a nested list that replaces the whole list (an actor's aliases,
    a statement's sources): its required fields are required on a PATCH of the
    parent too (DRF skips missing fields anywhere under a partial update), with
    the same error as on a POST."""

    def validate(self, attrs):
        missing = {
            name: [field.error_messages["required"]]
            for name, field in self.fields.items()
            if field.required and not field.read_only and name not in attrs
        }
        if missing:
            raise serializers.ValidationError(missing)
        return super().validate(attrs)


class ActorAliasSerializer(ChildRowSerializer):
    class Meta:
        model = ActorAlias
        fields = ["name", "language"]


class ActorListSerializer(serializers.ModelSerializer):
    api_url = ApiUrlField(Actor)

    class Meta:
        model = Actor
        fields = ["api_url", "slug", "name", "kind", "role", "country", "updated_at"]


class ActorSerializer(SlugFromMixin, WriteSerializer):
    api_url = ApiUrlField(Actor)
    page_url = PageUrlField()
    affiliation = RowBySlugField(
        slug_field="slug", queryset=Actor.objects.all(), required=False, allow_null=True
    )
    aliases = ActorAliasSerializer(many=True, required=False, help_text="Replaces all aliases when given.")

    class Meta:
        model = Actor
        fields = [
            "api_url",
            "slug",
            "name",
            "kind",
            "role",
            "affiliation",
            "country",
            "wikidata_id",
            "description",
            "aliases",
            "page_url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {"slug": {"required": False, "validators": []}}

    def validate_aliases(self, aliases):
        names = [alias["name"] for alias in aliases]
        if len(names) != len(set(names)):
            raise serializers.ValidationError("Each alias may be given once.")
        return aliases

    def save_related(self, instance, related):
        aliases = related.pop("aliases", None)
        if aliases is not None:
            self.replace_children(
                instance.aliases.all(),
                {alias["name"]: alias.get("language", "") for alias in aliases},
                key="name",
                field="language",
                make=lambda name, language: ActorAlias(actor=instance, name=name, language=language),
            )
        super().save_related(instance, related)


# --- Sources ---------------------------------------------------------------


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


# --- Statements ------------------------------------------------------------


class StatementSourceSerializer(ChildRowSerializer):
    source = RowByIdField(queryset=Source.objects.all(), help_text="Source id.")

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


# --- Assessments -----------------------------------------------------------


class AssessmentInClaimSerializer(serializers.ModelSerializer):
    api_url = ApiUrlField(Assessment)
    evidence = SourceRefSerializer(many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = ["api_url", "id", "status", "rationale", "assessed_at", "evidence", "original_rating"]


class AssessmentSerializer(StaffOnlyFieldsMixin, WriteSerializer):
    api_url = ApiUrlField(Assessment)
    claim = RowBySlugField(slug_field="slug", queryset=Claim.objects.all())
    evidence = RowByIdField(many=True, queryset=Source.objects.all(), required=False, help_text="Source ids.")
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


# --- Claim links -----------------------------------------------------------


class ClaimLinkSerializer(WriteSerializer):
    api_url = ApiUrlField(ClaimLink)
    from_claim = RowBySlugField(slug_field="slug", queryset=Claim.objects.all())
    to_claim = RowBySlugField(slug_field="slug", queryset=Claim.objects.all())

    class Meta:
        model = ClaimLink
        fields = ["api_url", "id", "from_claim", "to_claim", "kind", "note"]
        validators = []

    def conflicts(self, candidate):
        same = ClaimLink.objects.filter(
            from_claim_id=candidate.from_claim_id, to_claim_id=candidate.to_claim_id, kind=candidate.kind
        )
        return [(same, "kind", "These claims are already linked so")]


class LinkInClaimSerializer(serializers.Serializer):
    """A link seen from one claim: `out` means this claim `kind`s the other."""

    kind = serializers.CharField()
    direction = serializers.ChoiceField(choices=["out", "in"])
    claim = ClaimRefSerializer()
    note = serializers.CharField()


# --- Claims ----------------------------------------------------------------


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
    claim = serializers.CharField(allow_null=True, help_text="The claim's slug.")
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
