"""OpenAPI: every operation documents the JSON errors it can answer with."""

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from .parsers import MAX_JSON_DEPTH


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


ERROR_DESCRIPTIONS = {
    "400": "Invalid input or query parameter (`errors` names each field), or a body that is not valid "
    f"JSON or nests deeper than {MAX_JSON_DEPTH} levels.",
    "401": "Not authenticated (writes need a token or a session), or a bad token.",
    "403": "Authenticated, but your role may not do this (`two_factor_required`: a session write by an "
    "account that has not given its second factor yet).",
    "404": "No such row visible to you (drafts are invisible to readers), or an invalid cursor.",
    "405": "The endpoint does not take this method.",
    "409": "Duplicate slug, source URL, statement or link (`existing` names the row), or a row still in use.",
    "412": "If-Match does not match the row's current ETag: someone changed it since you read it.",
    "413": "The body is larger than the limit (DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB by default).",
    "415": "The body is not JSON.",
    "422": "The Idempotency-Key was sent with another request in the last 24 hours.",
    "429": "Too many requests: wait `Retry-After` seconds.",
}


class ApiSchema(AutoSchema):
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
