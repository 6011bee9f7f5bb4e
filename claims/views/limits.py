"""The reader search limit: SEARCH_RATE searches per client address.

    @require_safe
    @limit_searches
    @cached_page(claim_list_version)
    def claim_list(request): ...

It sits outside the page cache on purpose (and keeps searches from the early
door, claims/caching/early.py): every search counts, cache hits
and 304s included (a client cycling through many queries is what the limit
is for, and a hit still costs the version lookup), and the 429 never reaches
the page cache, so it can never be stored or served to anyone else.
Only requests that search (a non-empty `q` once normalised) count; browsing
and filtering without `q` never do. Logged-in users (staff) are not limited.
"""

import datetime as dt
from functools import wraps

from django.conf import settings
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from claims import rate_limit
from claims.caching import early
from claims.client_address import rate_limit_key
from claims.search import clean_query


def search_retry_after(request):
    """None if this request may search; else seconds until it may again."""
    rate = rate_limit.parse_rate(getattr(settings, "SEARCH_RATE", None), "SEARCH_RATE")
    if rate is None or not clean_query(request.GET.get("q")):
        return None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return None
    early.keep_out(request)  # every search counts: none may be answered before this
    return rate_limit.hit("search", rate_limit_key(request), rate)


def too_many_searches(request, retry_after):
    limit, period = rate_limit.parse_rate(settings.SEARCH_RATE, "SEARCH_RATE")
    response = render(
        request,
        "429.html",
        {
            "q": clean_query(request.GET.get("q")),
            "limit": limit,
            "period": rate_limit.PERIOD_NAMES[period],
            "retry_after": retry_after,
            "retry_at": dt.datetime.fromtimestamp(rate_limit.now() + retry_after, tz=dt.UTC),
        },
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    add_never_cache_headers(response)
    return response


def limit_searches(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        retry_after = search_retry_after(request)
        if retry_after is not None:
            return too_many_searches(request, retry_after)
        return view(request, *args, **kwargs)

    return wrapper
