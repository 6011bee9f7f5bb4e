"""What every serializer here shares: API and page URLs, related rows by
slug or id, small references, and writes that run the model's own rules."""

import copy
from collections.abc import Mapping

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import ProhibitSurrogateCharactersValidator

from claims.links import url_for
from claims.models import Actor, Assessment, Claim, ClaimLink, Place, Source, Statement, Topic, kept_in_order
from claims.slugs import unique_slug

from ..errors import Conflict
from ..permissions import can_see_drafts

# Model -> (URL name, lookup attribute) of its API detail endpoint.
DETAIL_ROUTES = {
    Claim: ("api:claim-detail", "slug"),
    Statement: ("api:statement-detail", "pk"),
    Actor: ("api:actor-detail", "slug"),
    Source: ("api:source-detail", "pk"),
    Topic: ("api:topic-detail", "slug"),
    Assessment: ("api:assessment-detail", "pk"),
    ClaimLink: ("api:claim-link-detail", "pk"),
    Place: ("api:place-detail", "slug"),
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


class SlugOfField(serializers.CharField):
    """A plain field holding a slug of `references` (a model): the schema
    says so, as it does for related fields (api/schema.py)."""

    def __init__(self, references, **kwargs):
        self.references = references
        super().__init__(**kwargs)


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


class AffiliationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Actor
        fields = ["slug", "name"]


class ActorRefSerializer(serializers.ModelSerializer):
    """An actor where a statement names it: enough to say "Lt Gen Kartapolov,
    Russian MoD (RU)" without another request (the claim's query selects the
    affiliation with the actor)."""

    api_url = ApiUrlField(Actor)
    affiliation = AffiliationRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Actor
        fields = ["api_url", "slug", "name", "kind", "role", "affiliation", "country"]


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

UNKNOWN_FIELD = "Unknown field."
READ_ONLY_FIELD = "This field is read-only."


class StrictFieldsMixin:
    """A write names only fields it may set: a key the serializer does not
    have, or a read-only one (`status`, `id`, `api_url`…), is a 400 naming it,
    beside the other fields' errors, never silently dropped. A client sending
    back a GET body must leave the read-only fields out (docs/api.md)."""

    def to_internal_value(self, data):
        refused = {}
        if isinstance(data, Mapping):
            for name in data:
                field = self.fields.get(name)
                if field is None:
                    refused[name] = [UNKNOWN_FIELD]
                elif field.read_only:
                    refused[name] = [READ_ONLY_FIELD]
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            if refused and isinstance(error.detail, dict):
                raise serializers.ValidationError(error.detail | refused) from error
            raise
        if refused:
            raise serializers.ValidationError(refused)
        return value


class WriteSerializer(StrictFieldsMixin, serializers.ModelSerializer):
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

    def replace_children(self, rows, wanted, *, key, field, make, ordered=False):
        """Make a parent's child rows match `wanted` ({key: value of `field`}),
        each change recorded in the history. `ordered`: the rows (read in id
        order) also come out in the order of `wanted`."""
        wanted = dict(wanted)
        rows = list(rows)
        kept = kept_in_order([getattr(row, key) for row in rows], list(wanted)) if ordered else len(rows)
        for index, row in enumerate(rows):
            if index >= kept or getattr(row, key) not in wanted:
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


class ChildRowSerializer(StrictFieldsMixin, serializers.ModelSerializer):
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
