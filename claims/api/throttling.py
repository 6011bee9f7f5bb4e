"""Throttles that read their rate when they run, so that settings (and
`override_settings` in tests) take effect without a restart of the class.

Anonymous clients are counted by `claims.client_address.rate_limit_key`, not
by DRF's own reading of X-Forwarded-For (which, with NUM_PROXIES unset, takes
the header as sent: a made-up one per request skipped the throttle)."""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from claims.client_address import rate_limit_key


class LiveRateMixin:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        return rate_limit_key(request)


class AnonThrottle(LiveRateMixin, AnonRateThrottle):
    pass


class UserThrottle(LiveRateMixin, UserRateThrottle):
    pass
