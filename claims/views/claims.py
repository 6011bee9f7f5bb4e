"""The claim list (/claims/) and the claim page (/claims/<slug>/)."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from claims.caching import cached_page, claim_list_version, claim_version
from claims.claimreview import build_claim_review
from claims.filters import ClaimListFilter
from claims.models import Claim, ClaimLink
from claims.search import clean_query
from claims.vocabularies import LinkKind, Stance, Status

from .limits import limit_searches
from .paging import rows_needed, window

# How a linked claim relates to this one, by (kind, direction): the heading
# readers see, in the order they see them (the counterclaim first).
LINK_HEADINGS = [
    ((LinkKind.CONTRADICTS, "out"), "Counterclaims"),
    ((LinkKind.CONTRADICTS, "in"), "Counterclaims"),
    ((LinkKind.SUPPORTS, "out"), "This claim supports"),
    ((LinkKind.SUPPORTS, "in"), "Supported by"),
    ((LinkKind.SUPERSEDES, "out"), "This claim supersedes"),
    ((LinkKind.SUPERSEDES, "in"), "Superseded by"),
    ((LinkKind.DUPLICATES, "out"), "Same claim as"),
    ((LinkKind.DUPLICATES, "in"), "Same claim as"),
]

SIDE_STANCES = (Stance.ASSERTS, Stance.DENIES)

# Other organisations' ratings ("Rated elsewhere"), in one query however many:
# with the assessment adopted from each, which shows only once it is published.


@require_safe
@limit_searches  # outside the page cache: cache hits count, a 429 is never cached
@cached_page(claim_list_version)
def claim_list(request):
    raw_page = request.GET.get("page")
    filterset = ClaimListFilter(
        request.GET or None, queryset=Claim.objects.published(), rows=rows_needed(raw_page)
    )
    claims = (
        filterset.qs.for_list() if filterset.is_bound else filterset.queryset.recently_updated().for_list()
    )
    page = window(claims, raw_page)
    q = clean_query(request.GET.get("q"))
    cleaned = filterset.form.cleaned_data if filterset.is_bound else {}
    return render(
        request,
        "claims/claim_list.html",
        {
            "filterset": filterset,
            "form": filterset.form,
            "page": page,
            "claims": page.items,
            "q": q,
            "actor": cleaned.get("actor"),
            "messages_ignored": filterset.ignored() + page.messages if filterset.is_bound else page.messages,
            "is_filtered": bool(q or any(cleaned.get(k) for k in ("status", "topic", "stance", "actor"))),
        },
    )


def related_claims(claim):
    """[(heading, [(link, other claim)])] of published linked claims, counterclaims first."""
    groups = {key: [] for key, _ in LINK_HEADINGS}
    outgoing = ClaimLink.objects.filter(from_claim=claim, to_claim__is_published=True).select_related(
        "to_claim"
    )
    incoming = ClaimLink.objects.filter(to_claim=claim, from_claim__is_published=True).select_related(
        "from_claim"
    )
    for link in outgoing:
        groups[(link.kind, "out")].append((link, link.to_claim))
    for link in incoming:
        groups[(link.kind, "in")].append((link, link.from_claim))
    merged = {}
    for key, heading in LINK_HEADINGS:
        if groups[key]:
            merged.setdefault(heading, []).extend(groups[key])
    return list(merged.items())


def change_log(claim, assessments):
    """[(when, what)], oldest first: publication and every status change. Edits
    that do not change the status are not listed (the editors' history has them)."""
    entries = [(claim.published_at, "First published.")] if claim.published_at else []
    previous = None
    for assessment in assessments:
        if assessment.status != previous:
            label = assessment.get_status_display()
            what = (
                f"Status changed from {Status(previous).label} to {label}."
                if previous
                else f"Status set to {label}."
            )
            entries.append((assessment.assessed_at, what))
        previous = assessment.status
    return sorted(entries, key=lambda entry: entry[0])


@require_safe
@cached_page(claim_version)
def claim_detail(request, slug):
    claims = Claim.objects.published().with_statements().with_ratings_elsewhere()
    claim = get_object_or_404(claims, slug=slug)
    statements = list(claim.statements.all())
    timeline = claim.published_assessments
    return render(
        request,
        "claims/claim_detail.html",
        {
            "claim": claim,
            "asserting": [s for s in statements if s.stance == Stance.ASSERTS],
            "denying": [s for s in statements if s.stance == Stance.DENIES],
            "other_statements": [s for s in statements if s.stance not in SIDE_STANCES],
            "timeline": timeline,
            "latest": timeline[-1] if timeline else None,
            "change_log": change_log(claim, timeline),
            "related": related_claims(claim),
            "rated_elsewhere": list(claim.external_reviews.all()),
            "topics": list(claim.topics.all()),
            "claim_review": build_claim_review(claim),
        },
    )
