"""Warm pages served before the rest of the middleware: the early door.

A warm hit (pages.py) costs one Redis GET and a look-up in this process's
memory; the middleware stack around it (security headers, CSP, sessions,
CSRF, authentication, two-factor, messages, history, lockouts) and URL
resolution cost as much again. `EarlyHitMiddleware` sits first in the stack
and answers an anonymous GET for a page it has already served whole:

- on the way out of a request that `cached_page` served or stored under a
  version counter (counters.py), it keeps the *final* response (every
  middleware's headers included) under the request's address and the
  counter's value, and remembers which counter that address reads;
- on the way in, it reads that counter, and if a final response is kept
  under its current value, answers with it.

The freshness argument is the page cache's own (counters.py): the counter is
read before anything is served, and a response is kept under the value the
view read before it read its data. The door only adds that the middleware's
part of a response depends on nothing but what the key holds: the scheme,
the host and the address, for a request with no session, no messages and no
credentials. Everything else goes the whole way:

- requests with a session or messages cookie, or an Authorization header
  (editors, token readers);
- conditional requests (the page cache answers them with its 304s);
- a host that is not allowed (the 400 stays), a plain-HTTP request when
  SECURE_SSL_REDIRECT is on (the redirect stays), and every request when
  PREPEND_WWW or DISALLOWED_USER_AGENTS are set;
- pages a view wants every request of: the search limit counts each search
  (`keep_out`), and the API's throttles run inside DRF, whose requests
  `cached_page` never marks for the door.

Without Redis counters (development, the SQLite test run) it does nothing.
"""

from django.conf import settings
from django.core.exceptions import DisallowedHost

from . import counters
from .pages import Snapshot, cacheable, page_memory

# Which counter each address reads: names are short, but bounded all the same.
MAX_ADDRESSES = 100_000
_counter_of = {}

# messages' CookieStorage names its cookie "messages", with no setting.
_MESSAGES_COOKIE = "messages"
_CONDITIONAL = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE")


def keep_out(request):
    """This request's view must see every request like it (the search limit)."""
    request.early_kept_out = True


def _address(request):
    """The key of a request the door may answer, or None."""
    if request.method not in ("GET", "HEAD") or "HTTP_AUTHORIZATION" in request.META:
        return None
    if not getattr(settings, "PAGE_CACHE", True) or not counters.enabled():
        return None
    if settings.PREPEND_WWW or settings.DISALLOWED_USER_AGENTS:
        return None
    if any(name in request.META for name in _CONDITIONAL):
        return None
    cookies = request.COOKIES
    if cookies and (settings.SESSION_COOKIE_NAME in cookies or _MESSAGES_COOKIE in cookies):
        return None
    if settings.SECURE_SSL_REDIRECT and not request.is_secure():
        return None
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    return "|".join(
        ("early", request.scheme, host, request.get_full_path(), request.headers.get("Accept", ""))
    )


class EarlyHitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        address = _address(request)
        if address is None:
            return self.get_response(request)
        counter_name = _counter_of.get(address)
        if counter_name is not None:
            counter = counters.read(counter_name)
            if counter is not None:
                snapshot = page_memory.get(f"{address}|{counter}")
                if snapshot is not None:
                    return snapshot.response()
        response = self.get_response(request)
        # Set by cached_page (pages.py) for a public page under a counter.
        kept = getattr(request, "page_counter", None)
        if (
            kept
            and request.method == "GET"
            and not getattr(request, "early_kept_out", False)
            and cacheable(request, response)
            and "public" in response.get("Cache-Control", "")
        ):
            counter_name, counter = kept
            if len(_counter_of) >= MAX_ADDRESSES:
                _counter_of.clear()
            _counter_of[address] = counter_name
            page_memory.put(f"{address}|{counter}", Snapshot.of(response))
        return response
