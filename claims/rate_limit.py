"""Fixed-window rate limits counted in the shared cache (Redis in production,
so every server process counts together; local memory in development).

    retry_after = hit("search", rate_limit_key(request), parse_rate(settings.SEARCH_RATE, "SEARCH_RATE"))

A window is `period` seconds long and starts at a multiple of it; a client's
count lives under a key naming the window, created with `cache.add` and
counted with `cache.incr` (both atomic on Redis), and expires with it.
"""

import math
import re
import time

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

# The periods DRF's throttles accept: the first letter decides.
PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
PERIOD_NAMES = {1: "second", 60: "minute", 3600: "hour", 86400: "day"}
RATE = re.compile(r"^\s*(?P<count>\d+)\s*/\s*(?P<period>[A-Za-z]+)\s*$")


def now():
    return time.time()


def parse_rate(rate, setting):
    """`"30/minute"` -> (30, 60); None (no limit) -> None. A rate that does not
    read is an error naming the setting."""
    if rate is None:
        return None
    match = RATE.match(rate)
    period = PERIODS.get(match["period"][0].lower()) if match else None
    if period is None:
        raise ImproperlyConfigured(f"{setting} must be like 30/minute (second, minute, hour, day) or off.")
    return int(match["count"]), period


def hit(scope, ident, rate):
    """Count one request of `ident` in `scope` against `rate` ((count, period));
    None while within the rate, else the whole seconds until the window ends."""
    limit, period = rate
    moment = now()
    window = int(moment // period)
    key = f"rate:{scope}:{ident}:{window}"
    if cache.add(key, 1, period):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr: a new window
            cache.set(key, 1, period)
            count = 1
    if count <= limit:
        return None
    return max(1, math.ceil((window + 1) * period - moment))
