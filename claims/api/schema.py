"""OpenAPI: every operation documents the JSON errors it can answer with."""

from django.core.exceptions import FieldDoesNotExist
from django.urls import reverse
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from .parsers import MAX_JSON_DEPTH
from .serializers.base import DETAIL_ROUTES


class ErrorSerializer(serializers.Serializer):
    """Every error, whatever its status."""

    status = serializers.IntegerField(help_text="The HTTP status, again.")
    code = serializers.CharField(help_text="A stable code: invalid, not_found, conflict, throttled…")
    detail = serializers.CharField(help_text="A message for people.")
    errors = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text="400 only: field name to its messages (`non_field_errors` for the whole object; "
        "nested lists for nested fields).",
    )
    field = serializers.CharField(required=False, help_text="409 only: the field whose value is taken.")
    existing = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text="409 only: the row already stored (id, api_url).",
    )
    retry_after = serializers.IntegerField(required=False, help_text="429 only: seconds to wait.")
    etag = serializers.CharField(required=False, help_text="412 only: the row's ETag as you read it.")
    public_etag = serializers.CharField(
        required=False, allow_null=True, help_text="412 only: its ETag as a reader reads it (null: a draft)."
    )
    last_modified = serializers.CharField(
        required=False, allow_null=True, help_text="412 only: an HTTP date."
    )


ERROR_DESCRIPTIONS = {
    "400": "Invalid input or query parameter (`errors` names each field), or a body that is not valid "
    f"JSON or nests deeper than {MAX_JSON_DEPTH} levels.",
    "401": "Not authenticated (writes need a token or a session), or a bad token.",
    "403": "Authenticated, but your role may not do this (`two_factor_required`: a session write by an "
    "account that has not given its second factor yet).",
    "404": "No such row visible to you (drafts are invisible to readers), or an invalid cursor.",
    "405": "The endpoint does not take this method.",
    "409": "Duplicate slug, source URL, statement or link (`existing` names the row), or a row still in use.",
    "412": "If-Match names neither the row's current ETag nor its public one (a reader's): someone "
    "changed it since you read it; `etag` and `public_etag` say what would match.",
    "413": "The body is larger than the limit (DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB by default).",
    "415": "The body is not JSON.",
    "422": "The Idempotency-Key was sent with another request in the last 24 hours.",
    "429": "Too many requests: wait `Retry-After` seconds.",
}


SLUG_PATTERN = "^[-a-zA-Z0-9_]+$"


def _noun(model):
    name = model._meta.verbose_name
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"


def reference_schema(model, by):
    """What a field naming another row holds: the row's slug or id, of which
    resource (`x-resource`: its list's path under /api/v1/), where it lives."""
    name, attribute = DETAIL_ROUTES[model]
    resource = reverse(name.replace("-detail", "-list")).removeprefix("/api/v1/").strip("/")
    where = f"/api/v1/{resource}/{{{'slug' if by == 'slug' else 'id'}}}/"
    if by == "slug":
        return {
            "format": "slug",
            "pattern": SLUG_PATTERN,
            "description": f"{_noun(model).capitalize()}'s slug: the {model._meta.verbose_name} at {where}.",
            "x-resource": resource,
        }
    return {
        "description": f"{_noun(model).capitalize()}'s id: the {model._meta.verbose_name} at {where}.",
        "x-resource": resource,
    }


def _referenced_model(field):
    """The model a related field (or a nested ref field) names, if any."""
    model = getattr(field, "references", None)
    if model is not None:
        return model
    if not isinstance(field, serializers.RelatedField):
        return None
    if getattr(field, "queryset", None) is not None:
        return field.queryset.model
    owner = field.parent if isinstance(field.parent, serializers.ManyRelatedField) else field
    meta = getattr(owner.parent, "Meta", None)
    try:
        return meta.model._meta.get_field(owner.source).related_model
    except (AttributeError, FieldDoesNotExist):
        return None


class ApiSchema(AutoSchema):
    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        model = _referenced_model(field)
        if model is None and field.field_name == "slug":
            return self._own_slug(field, schema)
        if model is None or model not in DETAIL_ROUTES or not isinstance(schema, dict) or "$ref" in schema:
            return schema
        by = "slug" if isinstance(field, serializers.SlugRelatedField | serializers.CharField) else "id"
        reference = reference_schema(model, by)
        if schema.get("description") and schema["description"] != reference["description"]:
            reference["description"] += " " + schema["description"]
        return schema | reference

    def _get_filter_parameters(self):
        """A filter on a related row's slug (`?actor=`, `?publisher=`) says whose."""
        parameters = super()._get_filter_parameters()
        filterset = getattr(self.view, "filterset_class", None)
        for parameter in parameters:
            found = filterset.base_filters.get(parameter["name"]) if filterset else None
            path = getattr(found, "field_name", "") or ""
            if not path.endswith("__slug") or "__" in path.removesuffix("__slug"):
                continue
            try:
                model = filterset._meta.model._meta.get_field(path.removesuffix("__slug")).related_model
            except FieldDoesNotExist:
                continue
            if model in DETAIL_ROUTES:
                reference = reference_schema(model, "slug")
                parameter["schema"] |= {k: reference[k] for k in ("format", "pattern", "x-resource")}
        return parameters

    def _own_slug(self, field, schema):
        model = getattr(getattr(field.parent, "Meta", None), "model", None)
        if model not in DETAIL_ROUTES or not isinstance(schema, dict):
            return schema
        reference = reference_schema(model, "slug")
        noun = model._meta.verbose_name
        reference["description"] = (
            f"This {noun}'s own slug: its address is /api/v1/{reference['x-resource']}/{{slug}}/."
        )
        if schema.get("description"):
            reference["description"] += " " + schema["description"]
        return schema | reference

    def error_codes(self):
        codes = ["400", "401", "404", "429"]
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            codes += ["403", "409"]
        if self.method in ("POST", "PUT", "PATCH"):
            codes += ["413", "415"]
        if self.method in ("PUT", "PATCH", "DELETE") and self.path.rstrip("/").endswith("}"):
            codes += ["412"]
        action = getattr(self.view, "action", None)
        if action and getattr(getattr(self.view, action, None), "idempotent", False):
            codes += ["422"]
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self.method == "GET" and self.path.rstrip("/").endswith("}"):
            responses.setdefault("304", {"description": "Not modified: your If-None-Match is current."})
        for code in self.error_codes():
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                response["description"] = ERROR_DESCRIPTIONS[code]
                responses[code] = response
        return responses
