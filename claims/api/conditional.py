"""Conditional requests on detail endpoints.

The ETag is a hash of the representation the client would get (so it changes
when anything shown changes: a statement, an assessment, a topic), and only
of it: an anonymous reader and a token reader get the same ETag for the same
row (the page cache keeps the view's ETag, `cached_page(etag_from_view=True)`).
An editor's representation has more (internal notes, draft assessments), so
its ETag differs; If-Match then takes the reader's ETag too (a tool that
reads publicly and writes with a token), which stands for the public fields.
Last-Modified is the newest `updated_at` among the row and the rows it shows.
GET answers 304 to a matching If-None-Match (or an unchanged
If-Modified-Since); PUT, PATCH and DELETE answer 412 when If-Match names a
version that is not the current one. The check and the write happen in one
transaction with the row locked, so two editors cannot both win; only the
writing actions lock (OPTIONS, whose metadata looks at the row as a PUT would,
does not).
"""

import hashlib
import json

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils.http import http_date, parse_etags, parse_http_date_safe
from rest_framework import status
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from .errors import PreconditionFailed

# The actions that write a row; they run get_object inside their transaction.
# Anything else (a GET, an OPTIONS whose metadata asks "could you PUT?") reads
# without a lock and without checking If-Match.
WRITE_ACTIONS = {"update", "partial_update", "destroy"}


def etag_for(data):
    body = json.dumps(data, cls=JSONEncoder, sort_keys=True, ensure_ascii=False)
    return f'"{hashlib.sha256(body.encode()).hexdigest()[:32]}"'


def _strip_weak(tag):
    return tag.removeprefix("W/")


class _AsReader:
    """The request as an anonymous reader would send it: for the reader's
    representation of a row an editor is writing."""

    user = AnonymousUser()
    auth = None

    def __init__(self, request):
        self._wrapped = request

    def __getattr__(self, name):
        return getattr(self._wrapped, name)


class ConditionalMixin:
    """For ModelViewSets: validators on retrieve, preconditions on writes."""

    def last_modified(self, instance):
        """The newest change among what the representation shows (override to widen)."""
        return getattr(instance, "updated_at", None)

    def validator_headers(self, instance, data):
        headers = {"ETag": etag_for(data)}
        modified = self.last_modified(instance)
        if modified is not None:
            headers["Last-Modified"] = http_date(modified.timestamp())
        return headers

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        data = self.get_serializer(instance).data
        if getattr(request, "validated_by_page_cache", False):
            # An anonymous GET under cached_page: it keeps this ETag with the
            # page, sets Last-Modified (from the page's version) and answers
            # the 304s.
            return Response(data, headers={"ETag": etag_for(data)})
        headers = self.validator_headers(instance, data)
        if self._not_modified(request, headers):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers=headers)
        return Response(data, headers=headers)

    def _not_modified(self, request, headers):
        if_none_match = request.headers.get("If-None-Match")
        if if_none_match:
            tags = {_strip_weak(tag) for tag in parse_etags(if_none_match)}
            return "*" in tags or headers["ETag"] in tags
        since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
        modified = headers.get("Last-Modified")
        return bool(since and modified and parse_http_date_safe(modified) <= since)

    def get_object(self):
        if self.action not in WRITE_ACTIONS:
            return super().get_object()
        # Lock the row first, then read it: the precondition and the write see
        # the same version.
        lookup = self.lookup_url_kwarg or self.lookup_field
        model = self.get_queryset().model
        list(
            model.objects.select_for_update().filter(**{self.lookup_field: self.kwargs[lookup]}).values("pk")
        )
        instance = super().get_object()
        if_match = self.request.headers.get("If-Match")
        if if_match:
            tags = set(parse_etags(if_match))
            current = etag_for(self.get_serializer(instance).data)
            if "*" not in tags and current not in tags:
                public = self.public_etag(instance)
                if public is None or public not in tags:
                    raise PreconditionFailed.for_row(instance, current, public, self.last_modified(instance))
        return instance

    def public_etag(self, instance):
        """The ETag a reader (anonymous, or a token of no role) gets for this
        row, or None when readers cannot see it (a draft) or see the same."""
        self.as_reader = True
        try:
            row = self.get_queryset().filter(pk=instance.pk).first()
            if row is None:
                return None
            context = self.get_serializer_context() | {"request": _AsReader(self.request)}
            return etag_for(self.serializer_class(row, context=context).data)
        finally:
            self.as_reader = False

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        with transaction.atomic():
            instance = self.get_object()
            serializer = self.get_serializer(instance, data=request.data, partial=partial)
            serializer.is_valid(raise_exception=True)
            self.perform_update(serializer)
        fresh = self.get_queryset().get(pk=instance.pk)
        data = self.get_serializer(fresh).data
        return Response(data, headers=self.validator_headers(fresh, data))

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            self.perform_create(serializer)
        fresh = self.get_queryset().get(pk=serializer.instance.pk)
        data = self.get_serializer(fresh).data
        headers = self.validator_headers(fresh, data)
        # The new row's API address (a source's `url` is the page it cites).
        headers["Location"] = str(data.get("api_url") or data.get("url", ""))  # a plain str for WSGI
        return Response(data, status=status.HTTP_201_CREATED, headers=headers)

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            instance = self.get_object()
            self.perform_destroy(instance)
        return Response(status=status.HTTP_204_NO_CONTENT)
