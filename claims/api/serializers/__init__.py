"""Serializers of the API, one module per resource (base.py holds what they
share). Lists are lean (`…ListSerializer`), details rich; every field is
listed explicitly. Related rows are given by slug (claims, actors, topics,
places) or id (sources, statements, assessments, links), with their `api_url`.

Writes run the model's own `clean()` and constraints, so the API refuses what
the admin refuses; a duplicate slug, source URL, statement or link is a 409
naming the existing row; every write is recorded in the history with the
request's user (token users included); publishing goes through the services.
"""

from .actors import ActorAliasSerializer, ActorListSerializer, ActorSerializer
from .assessments import AssessmentInClaimSerializer, AssessmentListSerializer, AssessmentSerializer
from .captures import CaptureLinksSerializer, CaptureSerializer, LatestCaptureSerializer
from .changes import ChangePageSerializer, ChangeSerializer
from .claims import ClaimListSerializer, ClaimSerializer, ExternalReviewInClaimSerializer, PlaceSerializer
from .imports import ImportErrorSerializer, ImportRecordSerializer, ImportReportSerializer
from .links import ClaimLinkSerializer, LinkInClaimSerializer
from .places import PlaceDetailSerializer
from .sources import SourceSerializer
from .statements import (
    StatementInClaimSerializer,
    StatementListSerializer,
    StatementsByStanceSerializer,
    StatementSerializer,
    StatementSourceDetailSerializer,
    StatementSourceSerializer,
)
from .topics import TopicSerializer

__all__ = [
    "ChangePageSerializer",
    "ChangeSerializer",
    "ActorAliasSerializer",
    "ActorListSerializer",
    "ActorSerializer",
    "AssessmentInClaimSerializer",
    "AssessmentListSerializer",
    "AssessmentSerializer",
    "CaptureLinksSerializer",
    "CaptureSerializer",
    "ClaimLinkSerializer",
    "ClaimListSerializer",
    "ClaimSerializer",
    "ExternalReviewInClaimSerializer",
    "ImportErrorSerializer",
    "ImportRecordSerializer",
    "ImportReportSerializer",
    "LatestCaptureSerializer",
    "LinkInClaimSerializer",
    "PlaceDetailSerializer",
    "PlaceSerializer",
    "SourceSerializer",
    "StatementInClaimSerializer",
    "StatementListSerializer",
    "StatementSerializer",
    "StatementSourceDetailSerializer",
    "StatementSourceSerializer",
    "StatementsByStanceSerializer",
    "TopicSerializer",
]
