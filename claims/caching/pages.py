"""Page caching with exact invalidation: "touch the parents".

Every page that shows a row has a parent whose `updated_at` moves when the row
changes: invalidation.py bumps `Claim.updated_at` for every claim whose page
shows a changed statement, statement source, source, actor, alias,
assessment, place, topic or link, and bumps `Actor.updated_at` /
`Topic.updated_at` when something on an actor's or topic's page changes. A
page's version is then one indexed lookup (slug -> updated_at), and the
rendered response is cached under a key that contains that version: after an
edit the key changes, so the next request renders afresh. Nothing is ever
deleted from the cache; old versions expire (PAGE_CACHE_TIMEOUT).

    @cached_page(claim_version)
    def claim_detail(request, slug): ...

Each process also remembers the pages it served lately (`page_memory`, up to
PAGE_MEMORY_BYTES): a key names a version, so that is exact too, and a hit
then costs the version lookup and no trip to the shared cache.

Anonymous GETs are served from the cache with ETag, Last-Modified, 304s and
`Cache-Control: public, max-age=..., stale-while-revalidate=...` (for a CDN).
Logged-in users never get (or fill) a cached page: `private, no-store`.

Settings (all optional): PAGE_CACHE (False turns the server-side cache off in
this process: the benchmark's cold page), PAGE_CACHE_TIMEOUT (seconds an entry
lives), PAGE_CACHE_MAX_AGE and PAGE_CACHE_STALE_WHILE_REVALIDATE (seconds, for
browsers and CDNs), PAGE_CACHE_KEY_VERSION (bump on deploy when templates
change).

Writes that bypass signals (`QuerySet.update`, `bulk_create`, raw SQL) must
call `touch_claims` / `touch_actors` / `touch_topics` themselves.
"""

import datetime as dt
import hashlib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache, wraps

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date, parse_http_date_safe

from claims.models import Actor, Claim, Topic
from claims.prepared import preparing_cursor

from . import counters

# --- Versions -----------------------------------------------------------------


@dataclass(frozen=True)
class Version:
    token: str
    last_modified: datetime | None


def version_token(model, pk, updated_at):
    """A row's version: what the page cache keys by, the API's ETag for readers
    is made from, and the admin's check against lost edits compares."""
    return f"{model._meta.model_name}.{pk}.{updated_at.timestamp():.6f}"


def _row_version(model, slug, where=""):
    # Plain SQL: on a cache hit this lookup is most of the work, and the ORM
    # would spend longer building it than the database answering it. Prepared
    # on PostgreSQL (a look-up by a unique key: one plan for every slug).
    quote = connection.ops.quote_name
    with preparing_cursor(connection) as cursor:
        cursor.execute(
            f"SELECT {quote('id')}, {quote('updated_at')} FROM {quote(model._meta.db_table)} "
            f"WHERE {quote('slug')} = %s{where}",
            [slug],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    pk, updated_at = row
    if isinstance(updated_at, str):  # SQLite answers with text, in UTC
        updated_at = parse_datetime(updated_at).replace(tzinfo=dt.UTC)
    return Version(version_token(model, pk, updated_at), updated_at)


def _counted(kind, by_slug=True):
    """Name the page's version counter (counters.py) from the view's arguments."""

    def mark(version_func):
        if by_slug:
            version_func.counter_name = lambda request, slug, *args, **kwargs: counters.counter_name(
                kind, slug
            )
        else:
            version_func.counter_name = lambda request, *args, **kwargs: kind
        return version_func

    return mark


@_counted("claim")
def claim_version(request, slug, *args, **kwargs):
    """For the claim page and the API claim detail: one query on the unique slug.

    A draft has no public version: the view then runs and answers 404 before
    any conditional header is looked at, so neither a 304 nor a validator can
    tell a reader that a draft exists or when it changed."""
    return _row_version(Claim, slug, where=f" AND {connection.ops.quote_name('is_published')}")


@_counted("actor")
def actor_version(request, slug, *args, **kwargs):
    return _row_version(Actor, slug)


@_counted("topic")
def topic_version(request, slug, *args, **kwargs):
    return _row_version(Topic, slug)


@_counted(counters.LISTS, by_slug=False)
def claim_list_version(request, *args, **kwargs):
    """For the home page, claim lists and search: the newest change to any
    claim or topic, deletions included (a deletion leaves a history row). One
    query of four one-row backward index scans, answered by the database, so
    every server process agrees."""
    with preparing_cursor(connection) as cursor:
        cursor.execute(_list_version_sql())
        stamps = cursor.fetchone()
    return Version("lists." + "|".join(str(stamp) for stamp in stamps), None)


@lru_cache(maxsize=1)
def _list_version_sql():
    # Built once: simple_history's `Model.history` builds a manager class on
    # every access, which cost more than the query itself on a cache hit.
    newest = [
        (Claim, "updated_at"),
        (Claim.history.model, "history_date"),
        (Topic, "updated_at"),
        (Topic.history.model, "history_date"),
    ]
    quote = connection.ops.quote_name
    columns = ", ".join(
        f"(SELECT MAX({quote(field)}) FROM {quote(model._meta.db_table)})" for model, field in newest
    )
    return f"SELECT {columns}"


# --- The decorator ------------------------------------------------------------


def _setting(name, default):
    return getattr(settings, name, default)


def _is_authenticated(request):
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated)


def cacheable(request, response):
    """Whether this response may be stored for every anonymous reader."""
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        # A page with a CSRF token in it belongs to one visitor.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "no-store" not in response.get("Cache-Control", "")
        and "private" not in response.get("Cache-Control", "")
    )


def _public_headers(response, version, etag):
    response["ETag"] = etag
    if version.last_modified:
        response["Last-Modified"] = http_date(version.last_modified.timestamp())
    patch_cache_control(
        response,
        public=True,
        max_age=_setting("PAGE_CACHE_MAX_AGE", 60),
        stale_while_revalidate=_setting("PAGE_CACHE_STALE_WHILE_REVALIDATE", 30),
    )
    return response


def cached_page(version_func, timeout=None, etag_from_view=False):
    """Cache a view's anonymous GET responses under the page's version.

    `version_func(request, *args, **kwargs)` returns a `Version`, or None when
    the row does not exist (the view then runs uncached, usually to a 404).

    With Redis, a page is keyed by its version counter (counters.py): a hit
    reads the counter and the page, and no row. A miss (or a cache in this
    process only) asks `version_func` (the row's `updated_at`), which also
    says whether the row is public.

    The ETag is a hash of the cache key, known before anything is rendered;
    with `etag_from_view` it is the one the view sets (the API's hash of the
    representation, the same a token reader gets), kept in the cached page.
    A 304 is answered from a cached page's own validators, or once the row is
    known to be public: never for a page that is not (a draft's)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD") or _is_authenticated(request):
                response = view(request, *args, **kwargs)
                if _is_authenticated(request):
                    patch_cache_control(response, private=True, no_store=True)
                return response
            use_cache = _setting("PAGE_CACHE", True)
            counter_name = version_func.counter_name(request, *args, **kwargs) if use_cache else None
            counter = counters.read(counter_name) if counter_name and counters.enabled() else None
            if counter is not None:
                key, digest = _page_key(request, view, f"counter.{counter}")
                snapshot = cached_snapshot(key)
                if snapshot is not None:
                    _served_under(request, counter_name, counter)
                    return _answer_from(request, snapshot)
            version = version_func(request, *args, **kwargs)
            if version is None:
                return view(request, *args, **kwargs)
            if counter is None and counter_name and counters.enabled():
                # A new epoch for this page, begun once it is known to be
                # public (unknown addresses make no keys); the view reads its
                # data after this, so the page holds what the counter says.
                counter = counters.start(counter_name)
                if counter is not None:
                    key, digest = _page_key(request, view, f"counter.{counter}")
            if counter is None:
                key, digest = _page_key(request, view, version.token)
                snapshot = cached_snapshot(key) if use_cache else None
            else:
                snapshot = None  # looked up above (the key is the one made there), or the counter is new
            if etag_from_view:
                return _served_with_view_etag(
                    request, view, args, kwargs, version, key, snapshot, use_cache, timeout
                )
            etag = f'"{digest[:32]}"'
            not_modified = get_conditional_response(request, etag=etag, last_modified=_lm(version))
            if not_modified is not None:
                return _public_headers(not_modified, version, etag)
            if snapshot is not None:
                return snapshot.response()
            request.validated_by_page_cache = True
            response = view(request, *args, **kwargs)
            if response.status_code != 200:
                return response
            _public_headers(response, version, etag)
            if use_cache:
                _remember(request, response, key, timeout)
                if counter is not None:
                    _served_under(request, counter_name, counter)
            return response

        return wrapper

    return decorator


def _served_under(request, counter_name, counter):
    """Tell the early door (early.py) which counter this public page was
    served or stored under: it may keep the whole response under that value."""
    # A DRF Request is not Django's: the API's throttles count every read,
    # hits included, so its pages are never marked for the door.
    if isinstance(request, HttpRequest):
        request.page_counter = (counter_name, counter)


def _page_key(request, view, version_token):
    raw_key = "|".join(
        [
            str(_setting("PAGE_CACHE_KEY_VERSION", "1")),
            view.__module__,
            view.__qualname__,
            request.get_full_path(),
            request.headers.get("Accept", ""),
            version_token,
        ]
    )
    digest = hashlib.sha256(raw_key.encode()).hexdigest()
    return f"page:{digest}", digest


_VALIDATORS = ("ETag", "Last-Modified", "Cache-Control")


def _answer_from(request, snapshot):
    """A cached page, or a 304 made from its own validators."""
    last_modified = parse_http_date_safe(snapshot.header("Last-Modified") or "")
    not_modified = get_conditional_response(
        request, etag=snapshot.header("ETag"), last_modified=last_modified
    )
    if not_modified is None:
        return snapshot.response()
    for name in _VALIDATORS:
        if value := snapshot.header(name):
            not_modified.headers[name] = value
    return not_modified


def _served_with_view_etag(request, view, args, kwargs, version, key, snapshot, use_cache, timeout):
    if snapshot is not None:
        etag = snapshot.header("ETag")
        not_modified = get_conditional_response(request, etag=etag, last_modified=_lm(version))
        if not_modified is not None:
            return _public_headers(not_modified, version, etag)
        return snapshot.response()
    request.validated_by_page_cache = True
    response = view(request, *args, **kwargs)
    if response.status_code != 200:
        return response
    etag = response["ETag"]
    not_modified = get_conditional_response(request, etag=etag, last_modified=_lm(version))
    if not_modified is not None:
        return _public_headers(not_modified, version, etag)
    _public_headers(response, version, etag)
    if use_cache:
        _remember(request, response, key, timeout)
    return response


def _remember(request, response, key, timeout):
    store = _store(request, key, timeout or _setting("PAGE_CACHE_TIMEOUT", 3600))
    if hasattr(response, "render") and not response.is_rendered:
        response.add_post_render_callback(store)
    else:
        store(response)


def _lm(version):
    return int(version.last_modified.timestamp()) if version.last_modified else None


def _store(request, key, timeout):
    def store(response):
        if cacheable(request, response):
            snapshot = Snapshot.of(response)
            cache.set(key, snapshot, timeout)
            page_memory.put(key, snapshot)

    return store


@dataclass(frozen=True)
class Snapshot:
    """A rendered response as bytes and headers: cheap to pickle and to turn
    back into a response (a DRF Response would pickle its data, serializer and
    model instances)."""

    status: int
    headers: tuple
    content: bytes

    @classmethod
    def of(cls, response):
        return cls(response.status_code, tuple(response.items()), response.content)

    def header(self, name):
        return next((value for header, value in self.headers if header.lower() == name.lower()), None)

    def response(self):
        response = HttpResponse(self.content, status=self.status)
        for header, value in self.headers:
            response.headers[header] = value
        return response


class PageMemory:
    """The pages this process served lately, by cache key, up to `max_bytes`
    of content; the least recently used go first. A key names the page's
    version, so an entry is never stale (an edit makes a new key): this saves
    the trip to the shared cache and the unpickling on the hottest pages.
    Entries live `max_age` seconds at most, as in the shared cache (the bound
    on a page whose counter could not be moved: counters.py)."""

    def __init__(self, max_bytes, max_age=3600):
        self.max_bytes = max_bytes
        self.max_age = max_age
        self.size = 0
        self.entries = OrderedDict()  # key -> (snapshot, expires at)
        self.lock = threading.Lock()  # gunicorn's gthread workers share it

    def get(self, key):
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            snapshot, expires = entry
            if expires < time.monotonic():
                del self.entries[key]
                self.size -= len(snapshot.content)
                return None
            self.entries.move_to_end(key)
            return snapshot

    def put(self, key, snapshot):
        size = len(snapshot.content)
        if size > self.max_bytes:
            return
        with self.lock:
            if key in self.entries:
                return
            self.entries[key] = (snapshot, time.monotonic() + self.max_age)
            self.size += size
            while self.size > self.max_bytes:
                _, (dropped, _) = self.entries.popitem(last=False)
                self.size -= len(dropped.content)

    def clear(self):
        with self.lock:
            self.entries.clear()
            self.size = 0


page_memory = PageMemory(
    _setting("PAGE_MEMORY_BYTES", 32 * 1024 * 1024), _setting("PAGE_CACHE_TIMEOUT", 3600)
)


def cached_snapshot(key):
    """The page stored under `key`: from this process's memory, else from the
    shared cache (and then remembered here)."""
    snapshot = page_memory.get(key)
    if snapshot is None:
        snapshot = cache.get(key)
        if not isinstance(snapshot, Snapshot):  # none, or left by an older release
            return None
        page_memory.put(key, snapshot)
    return snapshot
