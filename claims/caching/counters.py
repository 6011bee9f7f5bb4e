"""Page versions as counters in Redis: a warm hit without the database.

Every page that can be cached has a counter named after what it shows
(`claim:<slug>`, `actor:<slug>`, `topic:<slug>`, and `lists` for the home
page, claim lists, search and the API lists). A writer increments the
counters of the pages it changed *after its transaction commits*
(`transaction.on_commit`), and its request does not return before that; a
reader reads the counter *before it reads any data*, and keys the cached page
by the counter's value. So:

- a page stored under value v was rendered from data read after v existed,
  so it holds every commit whose increment produced v or less (each
  increment follows its commit);
- a request that starts after an edit returned reads a value at least that
  edit's increment, so it never gets a page rendered before the edit.

Writers that commit out of order cannot leave a counter behind a row (as a
version *copied* from the row could be): an increment only moves forward.

A counter that is missing (Redis restarted, the key evicted or expired) is
a new epoch: the reader creates it with a random 62-bit value, never seen
before, so every page cached under the old values misses; a writer never
creates one (there is nothing cached under a counter that does not exist).
A counter is created only for a page whose row exists and is public (so
unknown slugs make no keys). See docs/performance.md, "A warm hit without
the database".

Used when the default cache is Redis (shared by every process); with an
in-process cache (development without REDIS_URL) pages are versioned by the
row's `updated_at` (pages.py), which a worker process's edits also move.
"""

import logging
import secrets
import threading
from functools import cache as memoize

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

logger = logging.getLogger(__name__)

LISTS = "lists"
# A counter nobody reads goes after a week (its pages expire long before).
COUNTER_TIMEOUT = 7 * 24 * 3600

# Increment each key that exists; leave missing ones missing (a new epoch).
_BUMP = "for _, key in ipairs(KEYS) do if redis.call('EXISTS', key) == 1 then redis.call('INCR', key) end end"


def counter_name(kind, slug=None):
    return kind if slug is None else f"{kind}:{slug}"


@memoize
def enabled():
    """Counters need a cache every process shares: Redis."""
    backend = settings.CACHES["default"]["BACKEND"]
    return backend == "django.core.cache.backends.redis.RedisCache" and getattr(
        settings, "PAGE_VERSION_COUNTERS", True
    )


@memoize
def _client():
    import redis

    return redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])


_thread = threading.local()


def _reader():
    """This thread's own connection, held between requests, for `read`: a
    pool's checkout (a readiness poll and its bookkeeping) cost half as much
    again as the GET itself, and a warm hit is little more than that GET."""
    reader = getattr(_thread, "reader", None)
    if reader is None:
        import redis

        pool = _client().connection_pool
        reader = _thread.reader = redis.Redis(connection_pool=pool, single_connection_client=True)
    return reader


@memoize
def _bump_script():
    return _client().register_script(_BUMP)


def _key(name):
    # The cache's prefix and key version: `cache.clear()` drops counters too.
    return cache.make_key(f"pagever:{name}")


def read(name):
    """The counter's value, or None when there is none (or Redis cannot be
    reached: the caller then falls back to the row's version)."""
    try:
        value = _reader().get(_key(name))
    except Exception:
        logger.warning("page version counter unreadable: %s", name, exc_info=True)
        return None
    return None if value is None else int(value)


def start(name):
    """Create a missing counter at a random value (a new epoch) and return it;
    if another process created it first, its value."""
    key = _key(name)
    try:
        pipe = _client().pipeline(transaction=True)
        pipe.set(key, secrets.randbits(62), nx=True, ex=COUNTER_TIMEOUT)
        pipe.get(key)
        _, value = pipe.execute()
    except Exception:
        logger.warning("page version counter not created: %s", name, exc_info=True)
        return None
    return int(value)


class _Bumps:
    """The counters one transaction moves, incremented in one round trip on commit."""

    def __init__(self, savepoints):
        self.savepoints = savepoints
        self.names = set()

    def __call__(self):
        if getattr(connection, "_page_bumps", None) is self:
            connection._page_bumps = None
        try:
            bump_now(self.names)
        except Exception:
            # A Redis that cannot be reached must not fail an edit already
            # committed: these pages then live PAGE_CACHE_TIMEOUT at most.
            logger.error("page version counters not moved: %s", sorted(self.names), exc_info=True)


def bump(names):
    """Move these counters once the current transaction commits (at once in
    autocommit). Names added at the same savepoint depth share one callback."""
    names = set(names)
    if not names or not enabled():
        return
    savepoints = tuple(connection.savepoint_ids)
    # Kept on the connection: each thread has its own.
    pending = getattr(connection, "_page_bumps", None)
    if (
        pending is None
        or pending.savepoints != savepoints
        or not any(func is pending for _, func, _ in connection.run_on_commit)
    ):
        pending = connection._page_bumps = _Bumps(savepoints)
        pending.names |= names
        after_commit(pending)  # in autocommit it runs now
    else:
        pending.names |= names


def after_commit(func):
    transaction.on_commit(func)


def bump_now(names):
    if names:
        _bump_script()(keys=[_key(name) for name in sorted(names)])
