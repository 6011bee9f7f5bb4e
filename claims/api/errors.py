"""JSON errors, always: one shape for every status the API answers with.

    {"status": 400, "code": "invalid", "detail": "…", "errors": {"field": ["…"]}}

`errors` appears on 400s (field name to messages; `non_field_errors` for
errors of the whole object); `existing` on 409s names the row that is
already there. Database errors that input could still provoke (a race on a
unique constraint, a protected row) become 409s, never 500s. A body over
DATA_UPLOAD_MAX_MEMORY_SIZE is a 413.

Outside the API views too, anything under /api/ answers in this shape: an
address that matches no endpoint (`not_found`), and the site's 400, 403, 404
and 500 handlers (`handler400` … `handler500`, set in tracker/urls.py), which
keep the reader's HTML pages for every other path.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, JsonResponse
from django.utils.http import http_date
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from .parsers import SURROGATE


class Conflict(exceptions.APIException):
    """409: the row would duplicate one that exists; `existing` names it."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "This would duplicate an existing row."
    default_code = "conflict"

    def __init__(self, detail=None, existing=None, field=None):
        super().__init__(detail)
        self.existing = existing
        self.field = field


class PreconditionFailed(exceptions.APIException):
    """412: If-Match names no current ETag of the row. The body says which
    ETags would have matched (`etag`: the representation the writer reads;
    `public_etag`: a reader's, null for a draft) and when the row changed."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The row changed since you read it (If-Match does not match its ETag)."
    default_code = "precondition_failed"
    extra = None

    @classmethod
    def for_row(cls, row, etag, public_etag, last_modified):
        noun = row._meta.verbose_name
        when = f" (last modified {http_date(last_modified.timestamp())})" if last_modified else ""
        if public_etag is None:
            detail = (
                f"The {noun} changed since you read it{when}: If-Match names neither its current ETag "
                f"{etag} nor any other (readers cannot see it, so it has no public ETag). "
                "Re-read it, merge and retry with the new ETag."
            )
        elif public_etag == etag:
            detail = (
                f"The {noun} changed since you read it{when}: its current ETag is {etag}. "
                "Re-read it, merge and retry with the new ETag."
            )
        else:
            detail = (
                f"The {noun} changed since you read it{when}: If-Match names neither its current ETag "
                f"as you read it with your token, {etag}, nor as a reader reads it, {public_etag} "
                "(which stands for its public fields). Re-read it, merge and retry with the new ETag."
            )
        error = cls(detail)
        error.extra = {
            "etag": etag,
            "public_etag": public_etag,
            "last_modified": http_date(last_modified.timestamp()) if last_modified else None,
        }
        return error


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "payload_too_large"

    def __init__(self):
        super().__init__(f"Request body larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes.")


def _writable(value):
    """The error body with every lone surrogate as U+FFFD. Messages may quote
    the input ('"\\ud800" is not a valid choice.'), and JSON may carry a lone
    surrogate that UTF-8 cannot: the renderer failed on it, a 500."""
    if isinstance(value, str):
        return SURROGATE.sub("\ufffd", value) if SURROGATE.search(value) else value
    if isinstance(value, dict):
        return {_writable(key): _writable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_writable(item) for item in value]
    return value


def _code(exc):
    codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else None
    return codes if isinstance(codes, str) else getattr(exc, "default_code", "error")


def _translate(exc):
    """Django and database exceptions as the APIException they mean."""
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, RequestDataTooBig):
        return PayloadTooLarge()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, (ProtectedError, RestrictedError)):
        rows = list(exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects)
        names = ", ".join(f"{row._meta.verbose_name} {row.pk}" for row in rows[:5])
        return Conflict(f"Other rows still refer to this one ({names}); change or delete them first.")
    if isinstance(exc, IntegrityError):
        return Conflict("This conflicts with a row that is already stored (a unique value is taken).")
    if isinstance(exc, DataError):
        return exceptions.ValidationError({"non_field_errors": ["A value is out of range for the database."]})
    return exc


def exception_handler(exc, context):
    exc = _translate(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real bug: let it be a 500 and be logged
    body = {"status": response.status_code, "code": _code(exc)}
    if isinstance(exc, exceptions.ValidationError):
        body["code"] = "invalid"
        body["detail"] = "Invalid input: see errors."
        errors = exc.detail
        if not isinstance(errors, dict):
            errors = {"non_field_errors": errors if isinstance(errors, list) else [errors]}
        body["errors"] = errors
    elif getattr(exc, "records", None) is not None:
        body["detail"] = str(exc.detail)
        body["errors"] = {"records": exc.records}
    else:
        body["detail"] = str(exc.detail) if isinstance(exc, exceptions.APIException) else str(exc)
    if isinstance(exc, Conflict):
        if exc.field:
            body["field"] = exc.field
        if exc.existing:
            body["existing"] = exc.existing
    if getattr(exc, "extra", None):
        body.update(exc.extra)
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        body["retry_after"] = int(exc.wait) + (exc.wait % 1 > 0)
    response.data = _writable(body)
    return response


def error_response(status_code, code, detail):
    return JsonResponse({"status": status_code, "code": code, "detail": detail}, status=status_code)


@csrf_exempt
def not_found(request, *args, **kwargs):
    """Any path under /api/ that matches no endpoint."""
    return error_response(404, "not_found", "No API endpoint at this address.")


def is_api(request):
    return request.path_info.startswith("/api/")


def handler400(request, exception):
    if not is_api(request):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        error = PayloadTooLarge()
        return error_response(error.status_code, error.default_code, str(error.detail))
    return error_response(400, "bad_request", "Bad request.")


def handler403(request, exception):
    if not is_api(request):
        return defaults.permission_denied(request, exception)
    return error_response(403, "permission_denied", "You do not have permission to perform this action.")


def handler404(request, exception):
    if not is_api(request):
        return defaults.page_not_found(request, exception)
    return error_response(404, "not_found", "Not found.")


def handler500(request):
    if not is_api(request):
        return defaults.server_error(request)
    return error_response(500, "server_error", "Internal server error.")
