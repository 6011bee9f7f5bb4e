"""Page caching with exact invalidation: "touch the parents".

Every page that shows a row has a parent whose `updated_at` moves when the row
changes: claims/signals.py bumps `Claim.updated_at` for every claim whose page
shows a changed statement, statement source, source, actor, alias,
assessment, place, topic or link, and bumps `Actor.updated_at` /
`Topic.updated_at` when something on an actor's or topic's page changes. A
page's version is then one indexed lookup (slug -> updated_at), and the
rendered response is cached under a key that contains that version: after an
edit the key changes, so the next request renders afresh. Nothing is ever
deleted from the cache; old versions expire (PAGE_CACHE_TIMEOUT).

    @cached_page(claim_version)
    def claim_detail(request, slug): ...

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

import hashlib
from dataclasses import dataclass
from datetime import datetime
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from .batching import batchable, distinct_ids
from .models import Actor, Claim, Statement, Topic

# --- Touching the parents ---------------------------------------------------


@batchable
def touch_actors(actor_ids, now=None):
    if ids := distinct_ids(actor_ids):
        Actor.objects.filter(pk__in=ids).update(updated_at=now or timezone.now())


@batchable
def touch_topics(topic_ids, now=None):
    if ids := distinct_ids(topic_ids):
        Topic.objects.filter(pk__in=ids).update(updated_at=now or timezone.now())


@batchable
def touch_claims(claim_ids, now=None):
    """Bump the claims and the topic pages that list them (a topic page shows
    its claims, ordered by when they changed)."""
    if ids := distinct_ids(claim_ids):
        now = now or timezone.now()
        Claim.objects.filter(pk__in=ids).update(updated_at=now)
        touch_topics(
            Claim.topics.through.objects.filter(claim_id__in=ids).values_list("topic_id", flat=True), now
        )


@batchable
def touch_claims_and_speakers(claim_ids, now=None):
    """For a change to what every page showing the claim shows (its text,
    status, publication): the claims, their topics, the actors who spoke on
    them, and the claims linked to them."""
    ids = distinct_ids(claim_ids)
    if not ids:
        return
    now = now or timezone.now()
    touch_claims(ids + linked_claim_ids(ids), now)
    touch_actors(Statement.objects.filter(claim_id__in=ids).values("actor_id"), now)


def linked_claim_ids(claim_ids):
    from .models import ClaimLink

    out = ClaimLink.objects.filter(from_claim_id__in=claim_ids).values_list("to_claim_id", flat=True)
    into = ClaimLink.objects.filter(to_claim_id__in=claim_ids).values_list("from_claim_id", flat=True)
    return list(out) + list(into)


# --- Versions -----------------------------------------------------------------


@dataclass(frozen=True)
class Version:
    token: str
    last_modified: datetime | None


def _row_version(model, **lookup):
    row = model.objects.filter(**lookup).order_by().values_list("pk", "updated_at").first()
    if row is None:
        return None
    pk, updated_at = row
    return Version(f"{model._meta.model_name}.{pk}.{updated_at.timestamp():.6f}", updated_at)


def claim_version(request, slug, *args, **kwargs):
    """For the claim page and the API claim detail: one query on the unique slug."""
    return _row_version(Claim, slug=slug)


def actor_version(request, slug, *args, **kwargs):
    return _row_version(Actor, slug=slug)


def topic_version(request, slug, *args, **kwargs):
    return _row_version(Topic, slug=slug)


def claim_list_version(request, *args, **kwargs):
    """For the home page, claim lists and search: the newest change to any
    claim or topic, deletions included (a deletion leaves a history row). One
    query of four one-row backward index scans, answered by the database, so
    every server process agrees."""
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
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")
        stamps = cursor.fetchone()
    return Version("lists." + "|".join(str(stamp) for stamp in stamps), None)


# --- The decorator ------------------------------------------------------------


def _setting(name, default):
    return getattr(settings, name, default)


def _is_authenticated(request):
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated)


def _cacheable(request, response):
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


def cached_page(version_func, timeout=None):
    """Cache a view's anonymous GET responses under the page's version.

    `version_func(request, *args, **kwargs)` returns a `Version`, or None when
    the row does not exist (the view then runs uncached, usually to a 404)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD") or _is_authenticated(request):
                response = view(request, *args, **kwargs)
                if _is_authenticated(request):
                    patch_cache_control(response, private=True, no_store=True)
                return response
            version = version_func(request, *args, **kwargs)
            if version is None:
                return view(request, *args, **kwargs)
            raw_key = "|".join(
                [
                    str(_setting("PAGE_CACHE_KEY_VERSION", "1")),
                    view.__module__,
                    view.__qualname__,
                    request.get_full_path(),
                    request.headers.get("Accept", ""),
                    version.token,
                ]
            )
            digest = hashlib.sha256(raw_key.encode()).hexdigest()
            etag = f'"{digest[:32]}"'
            not_modified = get_conditional_response(request, etag=etag, last_modified=_lm(version))
            if not_modified is not None:
                return _public_headers(not_modified, version, etag)
            key = f"page:{digest}"
            use_cache = _setting("PAGE_CACHE", True)
            if use_cache:
                cached = cache.get(key)
                if cached is not None:
                    return cached
            response = view(request, *args, **kwargs)
            if response.status_code != 200:
                return response
            _public_headers(response, version, etag)
            if use_cache:
                store = _store(request, key, timeout or _setting("PAGE_CACHE_TIMEOUT", 3600))
                if hasattr(response, "render") and not response.is_rendered:
                    response.add_post_render_callback(store)
                else:
                    store(response)
            return response

        return wrapper

    return decorator


def _lm(version):
    return int(version.last_modified.timestamp()) if version.last_modified else None


def _store(request, key, timeout):
    def store(response):
        if _cacheable(request, response):
            cache.set(key, _snapshot(response), timeout)

    return store


def _snapshot(response):
    """The rendered bytes and headers only: a DRF Response would otherwise
    pickle its data, serializer and model instances, and unpickle them on
    every hit."""
    copy = HttpResponse(response.content, status=response.status_code)
    for header, value in response.items():
        copy[header] = value
    return copy
