"""The claim list (/claims/) and the claim page (/claims/<slug>/)."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from claims.caching import cached_page, claim_list_version, claim_version
from claims.filters import ClaimListFilter
from claims.models import Claim, with_topics
from claims.search import clean_query

from .claim_page import claim_page
from .limits import limit_searches
from .paging import rows_needed, window


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
            "claims": with_topics(page.items),
            "q": q,
            "actor": cleaned.get("actor"),
            "messages_ignored": filterset.ignored() + page.messages if filterset.is_bound else page.messages,
            "is_filtered": bool(q or any(cleaned.get(k) for k in ("status", "topic", "stance", "actor"))),
        },
    )


@require_safe
@cached_page(claim_version)
def claim_detail(request, slug):
    return render(request, "claims/claim_detail.html", claim_page(slug))
