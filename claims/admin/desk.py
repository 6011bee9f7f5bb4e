"""The desk (/admin/desk/): what waits for a Reviewer, on one page. Drafts to
publish (claims and assessments), claims whose statements are newer than
their last assessment, claims disputed for long without a new look, and
sources gone or never captured. Each list is bounded (the first DESK_ROWS,
a count capped at COUNT_LIMIT); the queries live in the QuerySets and in
claims/capture/risk.py, and their number does not grow with the rows.

Reviewers and superusers (whoever may publish claims) see it; Editors do not:
every list is a Reviewer's work, and an Editor finds the same rows in the
ordinary lists."""

from dataclasses import dataclass, field

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from claims.capture import risk
from claims.models import Assessment, Claim

DESK_ROWS = 50
COUNT_LIMIT = 1000
DISPUTED_DAYS = 30
DESK_PERMISSION = "claims.publish_claim"


@dataclass
class Row:
    url: str
    label: str
    cells: list


@dataclass
class Section:
    key: str
    title: str
    why: str
    headers: list
    rows: list = field(default_factory=list)
    count: int = 0
    all_url: str = ""
    all_label: str = ""

    @property
    def count_label(self):
        return f"more than {COUNT_LIMIT:,}" if self.count > COUNT_LIMIT else f"{self.count:,}"

    @property
    def more(self):
        return self.count > len(self.rows)


def bounded_count(queryset):
    """How many rows, counting at most COUNT_LIMIT + 1 of them."""
    return queryset.order_by().values("pk")[: COUNT_LIMIT + 1].count()


def when(moment):
    if moment is None:
        return "—"
    if hasattr(moment, "hour"):
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
    return moment.strftime("%Y-%m-%d")


def claim_change(claim_id):
    return reverse("admin:claims_claim_change", args=[claim_id])


def draft_claims():
    drafts = Claim.objects.awaiting_publication()
    section = Section(
        "drafts",
        "Draft claims waiting to be published",
        "Logged by editors, not yet on the public site; the longest waiting first.",
        ["Claim", "Logged", "Last changed", "Statements"],
        count=bounded_count(drafts),
        all_url=reverse("admin:claims_claim_changelist") + "?is_published__exact=0",
        all_label="All draft claims",
    )
    section.rows = [
        Row(
            claim_change(claim.pk),
            str(claim),
            [when(claim.created_at), when(claim.updated_at), claim.statement_count],
        )
        for claim in drafts.with_stance_counts()[:DESK_ROWS]
    ]
    return section


def draft_assessments():
    drafts = Assessment.objects.awaiting_publication()
    section = Section(
        "draft-assessments",
        "Draft assessments waiting to be published",
        "A verdict written but not yet public: the claim's status moves only when it is published.",
        ["Claim", "Status", "Assessed", "Author"],
        count=bounded_count(drafts),
        all_url=reverse("admin:claims_assessment_changelist") + "?is_published__exact=0",
        all_label="All draft assessments",
    )
    rows = drafts.select_related("claim", "author").defer("claim__search_document", "claim__search_vector")
    section.rows = [
        Row(
            reverse("admin:claims_assessment_change", args=[assessment.pk]),
            str(assessment.claim),
            [assessment.get_status_display(), when(assessment.assessed_at), assessment.author or "—"],
        )
        for assessment in rows[:DESK_ROWS]
    ]
    return section


def unassessed_statements():
    claims = Claim.objects.with_unassessed_statements()
    section = Section(
        "unassessed",
        "Claims with statements newer than their last assessment",
        "Published claims where someone said something after our last verdict was made (or that "
        "were never assessed): does the status still hold? The most recently updated first.",
        ["Claim", "Status", "Newest statement logged", "Last assessment logged"],
        count=bounded_count(claims),
    )
    section.rows = [
        Row(
            claim_change(claim.pk),
            str(claim),
            [claim.get_status_display(), when(claim.newest_statement_at), when(claim.last_assessed_at)],
        )
        for claim in claims[:DESK_ROWS]
    ]
    return section


def long_disputed():
    claims = Claim.objects.disputed_without_assessment_since(DISPUTED_DAYS)
    section = Section(
        "disputed",
        f"Disputed for more than {DISPUTED_DAYS} days without a new assessment",
        "Published claims still disputed, with no assessment (draft or published) dated since: "
        "has anything been settled? Disputed the longest first.",
        ["Claim", "Disputed since", "Days"],
        count=bounded_count(claims),
        all_url=reverse("admin:claims_claim_changelist") + "?status__exact=disputed&is_published__exact=1",
        all_label="All disputed claims",
    )
    now = timezone.now()
    section.rows = [
        Row(
            claim_change(claim.pk),
            str(claim),
            [when(claim.status_changed_at), (now - claim.status_changed_at).days],
        )
        for claim in claims[:DESK_ROWS]
    ]
    return section


SOURCE_RISKS = [risk.Risk.GONE, risk.Risk.NEVER]


def sources_gone_or_never_captured():
    counts = risk.at_risk_counts()
    section = Section(
        "sources",
        "Sources gone or never captured",
        "Evidence that may be lost: pages that no longer answer, and sources we hold no copy of. "
        "Gone first, then the longest at risk.",
        ["Source", "Risk", "Why", "Since"],
        count=sum(counts[value] for value in SOURCE_RISKS),
        all_url=reverse("admin:claims_source_at_risk"),
        all_label="All sources at risk",
    )
    labels = dict(risk.Risk.choices)
    sources = risk.sources_at_risk().filter(risk__in=SOURCE_RISKS)[:DESK_ROWS]
    section.rows = [
        Row(
            reverse("admin:claims_source_change", args=[source.pk]) + "#captures",
            str(source),
            [labels[source.risk], risk.risk_reason(source), when(risk.since(source))],
        )
        for source in sources
    ]
    return section


def desk_sections():
    return [
        draft_claims(),
        draft_assessments(),
        unassessed_statements(),
        long_disputed(),
        sources_gone_or_never_captured(),
    ]


def can_see_desk(user):
    return user.is_active and user.is_staff and user.has_perm(DESK_PERMISSION)


def desk_view(request):
    if not can_see_desk(request.user):
        raise PermissionDenied
    context = {
        **admin.site.each_context(request),
        "title": "The desk: what waits for a Reviewer",
        "sections": desk_sections(),
        "rows_shown": DESK_ROWS,
    }
    return TemplateResponse(request, "admin/desk.html", context)
