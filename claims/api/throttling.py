"""Throttles that read their rate when they run, so that settings (and
`override_settings` in tests) take effect without a restart of the class."""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class LiveRateMixin:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonThrottle(LiveRateMixin, AnonRateThrottle):
    pass


class UserThrottle(LiveRateMixin, UserRateThrottle):
    pass
