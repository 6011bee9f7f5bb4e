"""Page addresses by slug, without a full `reverse()` per link.

A list page links to dozens of claims, actors and topics; `reverse()` walks
the URL resolver each time (a tenth of a list page's time). The route is
reversed once per URL name and script prefix, and the slug put in its place.
"""

from functools import lru_cache
from urllib.parse import quote

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

_PLACEHOLDER = "slug-placeholder"


@lru_cache(maxsize=64)
def _route(name, script_prefix, urlconf):
    before, after = reverse(name, kwargs={"slug": _PLACEHOLDER}, urlconf=urlconf).split(_PLACEHOLDER)
    return before, after


def slug_url(name, slug):
    """What reverse(name, kwargs={"slug": slug}) gives for a valid slug (any
    other is quoted, where reverse() would raise)."""
    before, after = _route(name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    return f"{before}{quote(slug, safe='')}{after}"
