"""API endpoints under /api/v1/. Readers (anonymous, or a token of a user in
no group) see published rows only; Editors and Reviewers also see drafts and
write as their role allows (permissions.py)."""

import datetime as dt
import json

from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Value
from django.db.models.functions import Coalesce, Length
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import exceptions, renderers, status, viewsets
from rest_framework.decorators import action
from rest_framework.fields import DictField, URLField
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.caching import actor_version, cached_page, claim_list_version, claim_version, topic_version
from claims.capture.capturing import request_capture
from claims.capture.public import cited_sources
from claims.capture.views import evidence_response
from claims.claimreview import ImportFailed, build_claim_review, import_claim_reviews
from claims.links import url_for
from claims.models import (
    Actor,
    Assessment,
    Capture,
    Change,
    Claim,
    ClaimLink,
    Place,
    Source,
    Statement,
    StatementSource,
    Topic,
)
from claims.vocabularies import CaptureTrigger

from . import filters, nested, serializers
from .conditional import ConditionalMixin
from .idempotency import IDEMPOTENCY_PARAMETER, idempotent
from .parsers import JSONParser, NDJSONParser
from .permissions import CanImportReviews, CanRequestCapture, can_see_drafts

EXPORT_CHUNK_SIZE = 200


class ApiViewSet(ConditionalMixin, viewsets.ModelViewSet):
    """Lean rows in lists, rich ones in details; conditional requests on details."""

    list_serializer_class = None
    ordering_fields = {"updated_at": "updated_at"}
    default_ordering = "-updated_at"
    lookup_value_regex = "[0-9]+"
    parser_classes = [JSONParser]

    def get_serializer_class(self):
        if self.action == "list" and self.list_serializer_class is not None:
            return self.list_serializer_class
        return self.serializer_class

    as_reader = False  # set while the reader's representation is made (conditional.py)

    def sees_drafts(self, model_name="claim"):
        return not self.as_reader and can_see_drafts(self.request.user, model_name)

    def perform_destroy(self, instance):
        instance._history_user = self.request.user
        instance.delete()


CLAIM_EXAMPLE = OpenApiExample(
    "The worked example",
    request_only=True,
    value={
        "text": "The Wagner Group captured Bakhmut's city administration building.",
        "context": "On 2-3 April 2023 the Wagner Group said it had taken Bakhmut's town hall.",
        "topics": ["battle-of-bakhmut"],
        "place": "bakhmut",
        "first_claimed_on": "2023-04-03",
    },
)


@method_decorator(cached_page(claim_version, etag_from_view=True), name="retrieve")
@method_decorator(cached_page(claim_list_version), name="list")
@extend_schema_view(
    list=extend_schema(
        summary="List claims",
        description="Lean rows; filter, search with `q`, sync with `updated_since` and the `next` cursor.",
    ),
    retrieve=extend_schema(
        summary="A claim with its statements by stance, assessments, links and ratings elsewhere"
    ),
    create=extend_schema(
        summary="Log a claim, or a whole claim set (Editors; publishing needs a Reviewer)",
        description="With `statements`, `assessments` and `links`, the claim and all of them in one "
        'transaction (docs/api.md, "Writing a whole claim set in one request"); a 400 names each failing '
        "item by its path. `Idempotency-Key` makes a retry safe.",
        examples=[CLAIM_EXAMPLE],
        request=nested.ClaimSetRequestSerializer,
        responses={201: serializers.ClaimSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    ),
    update=extend_schema(
        summary="Replace a claim's fields, and any nested list given",
        description="A nested list given replaces that list (rows matched by `id`, rows left out "
        "deleted); a list left out is kept as it is.",
        request=nested.ClaimSetRequestSerializer,
        responses={200: serializers.ClaimSerializer},
    ),
    partial_update=extend_schema(
        summary="Change some of a claim's fields, and any nested list given (replaced whole)",
        request=nested.ClaimSetRequestSerializer,
        responses={200: serializers.ClaimSerializer},
    ),
    destroy=extend_schema(summary="Delete a claim (Reviewers)"),
)
class ClaimViewSet(ApiViewSet):
    serializer_class = serializers.ClaimSerializer
    list_serializer_class = serializers.ClaimListSerializer
    filterset_class = filters.ClaimFilter
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    ordering_fields = {"updated_at": "updated_at", "first_claimed_on": "first_claimed_sort"}

    def get_queryset(self):
        claims = Claim.objects.all() if self.sees_drafts() else Claim.objects.published()
        if self.action == "list":
            return (
                claims.with_stance_counts()
                .prefetch_related("topics")
                .annotate(first_claimed_sort=Coalesce("first_claimed_on", Value(dt.date.min)))
            )
        return (
            claims.with_statements()
            .with_ratings_elsewhere()
            .prefetch_related(
                Prefetch("links_out", ClaimLink.objects.select_related("to_claim")),
                Prefetch("links_in", ClaimLink.objects.select_related("from_claim")),
            )
        )

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return nested.ClaimSetSerializer  # the claim's own fields, and any nested lists
        return super().get_serializer_class()

    @idempotent
    def create(self, request, *args, **kwargs):
        with transaction.atomic():  # the set's references are checked and written in one go
            return super().create(request, *args, **kwargs)

    @extend_schema(
        summary="Log many claim sets (Editors): a JSON array, or NDJSON",
        description=f"Each claim set as in a POST to the list, each in its own transaction: one "
        f"refused leaves the others stored. The report gives each item's `index` and `status` (201 "
        f"with its `slug`, or the error as a single POST would answer it). At most "
        f"{nested.MAX_BULK_ITEMS} claim sets (413 above). `Idempotency-Key` makes a retry safe.",
        request={"application/json": nested.ClaimSetRequestSerializer(many=True)},
        responses={200: nested.BulkReportSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="bulk",
        parser_classes=[JSONParser, NDJSONParser],
        filterset_class=None,
        pagination_class=None,
    )
    @idempotent
    def bulk(self, request):
        with transaction.atomic():
            return Response(nested.store_claim_sets(self, request, request.data))

    def last_modified(self, claim):
        times = [claim.updated_at]
        times += [statement.updated_at for statement in claim.statements.all()]
        times += [assessment.updated_at for assessment in getattr(claim, "published_assessments", [])]
        return max(times)

    @extend_schema(
        summary="The claim's schema.org ClaimReview (JSON-LD)",
        description="The same markup as the claim page. 404 until the claim has a published assessment.",
        responses={200: OpenApiTypes.OBJECT},
    )
    @action(detail=True, methods=["get"], url_path="claimreview", filterset_class=None, pagination_class=None)
    def claimreview(self, request, slug=None):
        review = build_claim_review(self.get_object())
        if review is None:
            raise exceptions.NotFound("This claim has no published assessment yet, so no ClaimReview.")
        return Response(review)

    @extend_schema(
        summary="The claim's evidence bundle (zip)",
        operation_id="claims_evidence_retrieve",
        description="The same file as the reader's `/claims/<slug>/evidence.zip`: the claim's published "
        "record as JSON, the WARC file of every capture of every source it cites, a manifest with each "
        "file's SHA-256 and a `SHA256SUMS` for `sha256sum -c`. Published claims only: a draft is a 404 "
        "for everyone, Editors too (the bundle is the published record).",
        responses={(200, "application/zip"): OpenApiTypes.BINARY},
    )
    def evidence(self, request, slug=None):
        # Routed in urls.py (no trailing slash, like the reader's address).
        claim = Claim.objects.published().with_statements().filter(slug=slug).first()
        if claim is None:
            raise exceptions.NotFound()
        return evidence_response(claim)

    def perform_content_negotiation(self, request, force=False):
        # The bundle is a zip whatever the Accept header; errors are JSON.
        return super().perform_content_negotiation(request, force=force or self.action == "evidence")


@extend_schema_view(
    list=extend_schema(summary="List statements"),
    retrieve=extend_schema(summary="A statement with its sources"),
    create=extend_schema(summary="Record an actor's statement on a claim (Editors)"),
)
class StatementViewSet(ApiViewSet):
    serializer_class = serializers.StatementSerializer
    list_serializer_class = serializers.StatementListSerializer
    filterset_class = filters.StatementFilter

    def get_queryset(self):
        statements = Statement.objects.select_related("claim", "actor")
        if not self.sees_drafts():
            statements = statements.public()
        if self.action != "list":
            statements = statements.prefetch_related(
                Prefetch("statement_sources", StatementSource.objects.select_related("source"))
            )
        return statements


@method_decorator(cached_page(actor_version, etag_from_view=True), name="retrieve")
@extend_schema_view(list=extend_schema(summary="List actors"), retrieve=extend_schema(summary="An actor"))
class ActorViewSet(ApiViewSet):
    serializer_class = serializers.ActorSerializer
    list_serializer_class = serializers.ActorListSerializer
    filterset_class = filters.ActorFilter
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"

    def get_queryset(self):
        if self.action == "list":
            return Actor.objects.all()
        return Actor.objects.select_related("affiliation").prefetch_related("aliases")


@extend_schema_view(
    list=extend_schema(summary="List sources"),
    retrieve=extend_schema(summary="A source, with where its evidence stands and its latest capture"),
    create=extend_schema(
        summary="Log a source (Editors)",
        description="With only `url`, the page is fetched during the request (at most "
        "CAPTURE_PREFILL_TIMEOUT seconds, 10 by default) and `title`, `publisher`, `published_on` and "
        "`language` are filled in from it where the body gives none (the body's values win). A 400 "
        "names `title` when the page gives none, with the reason. Every source with a URL is then "
        "captured in the background.",
    ),
)
class SourceViewSet(ApiViewSet):
    serializer_class = serializers.SourceSerializer
    filterset_class = filters.SourceFilter

    def get_queryset(self):
        # The latest capture rides along (its text stays behind), and whether
        # the reader's doors serve the source's captures: no query per row.
        return (
            Source.objects.select_related("publisher", "latest_capture")
            .defer("latest_capture__text")
            .annotate(readers_see=Exists(cited_sources().filter(pk=OuterRef("pk"))))
        )

    def capture_rows(self, source):
        return Capture.objects.filter(source=source).defer("text").annotate(text_length=Length("text"))

    def capture_context(self, source):
        return {**self.get_serializer_context(), "readers_see": source.readers_see}

    @extend_schema(
        summary="The source's captures, oldest first",
        description="Every capture of the source in the order asked for (`ordering=-requested_at`: "
        "newest first), pending and failed ones too, with hashes, states and failure reasons. "
        "`links` (the capture page, raw body and WARC file) only for captured ones of a source "
        "that published material cites: the reader's doors serve no other. The main text is "
        "on the capture page (`text_length` here).",
        responses=serializers.CaptureSerializer(many=True),
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="captures",
        filterset_class=None,
        ordering_fields={"requested_at": "requested_at"},
        default_ordering="requested_at",
    )
    def captures(self, request, pk=None):
        source = self.get_object()
        page = self.paginate_queryset(self.capture_rows(source))
        data = serializers.CaptureSerializer(page, many=True, context=self.capture_context(source)).data
        return self.get_paginated_response(data)

    @extend_schema(
        summary="Capture the source again (Editors and Reviewers)",
        description="Queues a capture of the source's URL and answers 202 with it, pending; follow "
        "`captures_url` (or the `Location`) to see it end as captured or failed. A source without a "
        "URL is a 400 naming `url`.",
        request=None,
        responses={202: serializers.CaptureSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="capture",
        filterset_class=None,
        permission_classes=[CanRequestCapture],
    )
    def capture(self, request, pk=None):
        source = self.get_object()
        if not source.url:
            raise exceptions.ValidationError({"url": ["This source has no URL: nothing to capture."]})
        with transaction.atomic():
            capture = request_capture(source, CaptureTrigger.REQUESTED, user=request.user)
        capture = self.capture_rows(source).get(pk=capture.pk)
        data = serializers.CaptureSerializer(capture, context=self.capture_context(source)).data
        location = request.build_absolute_uri(url_for("api:source-captures", "pk", source.pk))
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": location})


@method_decorator(cached_page(topic_version, etag_from_view=True), name="retrieve")
@extend_schema_view(list=extend_schema(summary="List topics"), retrieve=extend_schema(summary="A topic"))
class TopicViewSet(ApiViewSet):
    serializer_class = serializers.TopicSerializer
    filterset_class = filters.TopicFilter
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"

    def get_queryset(self):
        return Topic.objects.all()


@extend_schema_view(
    list=extend_schema(summary="List places"),
    retrieve=extend_schema(summary="A place"),
    create=extend_schema(summary="Add a place (Editors)"),
)
class PlaceViewSet(ApiViewSet):
    serializer_class = serializers.PlaceDetailSerializer
    filterset_class = filters.PlaceFilter
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"

    def get_queryset(self):
        return Place.objects.all()


@extend_schema_view(
    list=extend_schema(summary="List assessments"),
    retrieve=extend_schema(summary="An assessment"),
    create=extend_schema(summary="Assess a claim (Reviewers)"),
)
class AssessmentViewSet(ApiViewSet):
    serializer_class = serializers.AssessmentSerializer
    list_serializer_class = serializers.AssessmentListSerializer
    filterset_class = filters.AssessmentFilter
    ordering_fields = {"updated_at": "updated_at", "assessed_at": "assessed_at"}

    def get_queryset(self):
        assessments = Assessment.objects.select_related("claim", "author")
        if not self.sees_drafts("assessment"):
            assessments = assessments.public()
        if self.action != "list":
            assessments = assessments.prefetch_related(
                Prefetch("evidence", Source.objects.in_evidence_order())
            )
        return assessments


@extend_schema_view(
    list=extend_schema(summary="List claim links"), retrieve=extend_schema(summary="A claim link")
)
class ClaimLinkViewSet(ApiViewSet):
    serializer_class = serializers.ClaimLinkSerializer
    filterset_class = filters.ClaimLinkFilter
    ordering_fields = {"id": "pk"}
    default_ordering = "-id"

    def get_queryset(self):
        links = ClaimLink.objects.select_related("from_claim", "to_claim")
        if not self.sees_drafts():
            links = links.public()
        return links


# --- ClaimReview export and import -------------------------------------------


class JSONLinesRenderer(renderers.BaseRenderer):
    media_type = "application/x-ndjson"
    format = "jsonl"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return (json.dumps(data, ensure_ascii=False) + "\n").encode()


def claim_reviews():
    """Every published claim's ClaimReview, in a fixed order, read in chunks."""
    claims = Claim.objects.published().with_statements().order_by("pk")
    for claim in claims.iterator(chunk_size=EXPORT_CHUNK_SIZE):
        review = build_claim_review(claim)
        if review is not None:
            yield review


class ClaimReviewExportView(APIView):
    # Errors in JSON; the stream itself is JSON Lines whatever the negotiation.
    renderer_classes = [renderers.JSONRenderer, JSONLinesRenderer]

    @extend_schema(
        summary="Every published claim's ClaimReview, as JSON Lines (streamed)",
        description="One JSON-LD ClaimReview object per line; claims without a published assessment "
        "have no review and are left out.",
        responses={(200, "application/x-ndjson"): OpenApiTypes.STR},
    )
    def get(self, request):
        # HEAD gets the same headers and no body: the server would read the
        # whole export only to throw it away.
        reviews = () if request.method == "HEAD" else claim_reviews()
        lines = (json.dumps(review, ensure_ascii=False) + "\n" for review in reviews)
        response = StreamingHttpResponse(lines, content_type="application/x-ndjson; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="claimreview.jsonl"'
        return response


class ImportRefused(exceptions.APIException):
    """400 for an import that stored nothing: `errors.records` says why, per record."""

    status_code = 400
    default_code = "invalid"

    def __init__(self, failed):
        super().__init__(failed.detail)
        self.records = failed.records


class ClaimReviewImportView(APIView):
    permission_classes = [CanImportReviews]
    parser_classes = [JSONParser]

    @extend_schema(
        summary="Import ClaimReview JSON-LD (Reviewers)",
        description="One ClaimReview object, a list of them, or an object with `@graph`. A review is "
        "the other organisation's rating: it is stored as rated elsewhere (`rated_elsewhere` of the "
        "claim), never as our assessment, and no claim's status changes. The report says per record "
        "(by its index in the payload) whether it `created` a claim, `matched` an existing one, was a "
        "`duplicate` or was `refused`. All or nothing: one refused record and nothing is stored; the "
        "400's `errors.records` is then the same per-record list, each refused record with all its "
        "errors (field and message). 201 when anything was stored, else 200.",
        request=OpenApiTypes.OBJECT,
        responses={200: serializers.ImportReportSerializer, 201: serializers.ImportReportSerializer},
        examples=[
            OpenApiExample(
                "A fact-checker's review",
                request_only=True,
                value={
                    "@context": "https://schema.org",
                    "@type": "ClaimReview",
                    "claimReviewed": "Finland becomes NATO's 31st member on 4 April 2023.",
                    "datePublished": "2023-04-04",
                    "reviewRating": {"@type": "Rating", "ratingValue": 5, "alternateName": "True"},
                    "itemReviewed": {
                        "@type": "Claim",
                        "author": {"@type": "Person", "name": "Jens Stoltenberg"},
                        "datePublished": "2023-04-03",
                        "appearance": [{"@type": "CreativeWork", "url": "https://www.nato.int/example"}],
                    },
                },
            )
        ],
    )
    def post(self, request):
        try:
            report = import_claim_reviews(request.data, user=request.user)
        except ImportFailed as failed:
            raise ImportRefused(failed) from failed
        changed = any(record["changed"] for record in report["records"])
        return Response(report, status=201 if changed else 200)


# --- The change stream -------------------------------------------------------


CHANGES_DEFAULT_LIMIT, CHANGES_MAX_LIMIT = 100, 1000


def _whole_number(request, name, default, maximum=None):
    """A query parameter as a whole number (0 up to `maximum`), else a 400 naming it."""
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
        raise exceptions.ValidationError({name: ["Enter a whole number, 0 or more."]})
    value = int(raw)
    if maximum is not None and not 1 <= value <= maximum:
        raise exceptions.ValidationError({name: [f"Enter a number from 1 to {maximum}."]})
    return value


class ChangesView(APIView):
    """What a mirror follows: every row readers saw published, changed or
    removed, in commit order, from a position on (claims/changes/)."""

    permission_classes = []

    @extend_schema(
        summary="The change stream: what was published, changed or removed since a position",
        description="Entries in commit order, with no gaps: resume from the last `position` you stored "
        "(`since`), follow `next` until it is null. A `removed` entry is a tombstone (the row was "
        "unpublished or deleted): delete it from your copy. For any other entry, fetch `url` again. "
        "Drafts never appear. Tombstones are kept.",
        parameters=[
            OpenApiParameter("since", int, description="The last position you have (0 to start)."),
            OpenApiParameter(
                "limit",
                int,
                description=f"At most this many entries ({CHANGES_DEFAULT_LIMIT} unless given; "
                f"at most {CHANGES_MAX_LIMIT}).",
            ),
        ],
        responses={200: serializers.ChangePageSerializer},
    )
    def get(self, request):
        since = _whole_number(request, "since", 0)
        limit = _whole_number(request, "limit", CHANGES_DEFAULT_LIMIT, CHANGES_MAX_LIMIT)
        changes = list(Change.objects.filter(position__gt=since).order_by("position")[: limit + 1])
        more, changes = len(changes) > limit, changes[:limit]
        position = changes[-1].position if changes else since
        following = None
        if more:
            query = request.query_params.copy()
            query["since"] = str(position)
            following = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        results = serializers.ChangeSerializer(changes, many=True, context={"request": request}).data
        return Response({"results": results, "next": following, "position": position})


class ApiRootView(APIView):
    """What a client starts from: each resource's list, the schema and the docs."""

    permission_classes = []
    RESOURCES = [
        "claims",
        "statements",
        "actors",
        "sources",
        "topics",
        "places",
        "assessments",
        "claim-links",
        "changes",
    ]

    @extend_schema(
        summary="The API's index: each resource's list, the OpenAPI schema and the docs",
        responses={
            200: inline_serializer(
                "ApiRoot",
                {
                    "resources": DictField(child=URLField()),
                    "schema": URLField(),
                    "docs": URLField(),
                    "webhooks": URLField(help_text="Your webhook subscriptions (signed in)."),
                },
            )
        },
    )
    def get(self, request):
        return Response(
            {
                "resources": {
                    name: request.build_absolute_uri(reverse(f"api:{name.removesuffix('s')}-list"))
                    for name in self.RESOURCES
                },
                "schema": request.build_absolute_uri(reverse("api:schema")),
                "docs": request.build_absolute_uri(reverse("api:docs")),
                "webhooks": request.build_absolute_uri(reverse("api:webhook-list")),
            }
        )
