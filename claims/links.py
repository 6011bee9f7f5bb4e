"""Addresses of pages and API rows by one URL argument, without a full
`reverse()` per link.

A list page links to dozens of claims, actors and topics, and an API claim
carries an address for every statement and source; `reverse()` walks the URL
resolver each time (a tenth of a list page's time). The route is reversed once
per URL name, argument, script prefix and urlconf, and the value put in place.
"""

from functools import lru_cache
from urllib.parse import quote

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

# Values no real route contains, one for slug routes and one for number routes.
_PLACEHOLDERS = ("url-placeholder-7f3a", "987654321987654321")


@lru_cache(maxsize=64)
def _route(name, kwarg, script_prefix, urlconf):
    for placeholder in _PLACEHOLDERS:
        try:
            path = reverse(name, kwargs={kwarg: placeholder}, urlconf=urlconf)
        except NoReverseMatch:
            continue
        before, after = path.split(placeholder)
        return before, after
    raise NoReverseMatch(f"{name} takes no {kwarg} that claims.links can place")


@lru_cache(maxsize=64)
def _fixed_path(name, script_prefix, urlconf):
    return reverse(name, urlconf=urlconf)


def fixed_path(name):
    """reverse(name) for a route that takes no argument (the site's menus and
    footers link to a dozen on every page), looked up once per script prefix
    and urlconf."""
    return _fixed_path(name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


def url_for(name, kwarg, value):
    """What reverse(name, kwargs={kwarg: value}) gives for a valid value (any
    other is quoted, where reverse() would raise)."""
    return url_maker(name, kwarg)(value)


def url_maker(name, kwarg):
    """url_for(name, kwarg, value) as a function of the value, the route looked
    up once (the script prefix and urlconf are thread-locals: a list of rows
    reads them once, not once per link)."""
    before, after = _route(name, kwarg, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    return lambda value: f"{before}{quote(str(value), safe='')}{after}"


def slug_url(name, slug):
    return url_for(name, "slug", slug)
