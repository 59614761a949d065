"""Rate limits for anonymous and authenticated clients (429 with Retry-After).

DRF's throttles copy the rates when the module is imported; these read them
on every request, so changing REST_FRAMEWORK (tests, reloads) takes effect.
Their counters live in the "throttle" cache, apart from cached answers.
"""

from django.core.cache import caches
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class _LiveRateMixin:
    @property
    def cache(self):
        return caches["throttle"]

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonThrottle(_LiveRateMixin, AnonRateThrottle):
    """Per client address, for requests without a token."""


class UserThrottle(_LiveRateMixin, UserRateThrottle):
    """Per user, for requests with a token or a session.

    DRF's UserRateThrottle also counts anonymous requests, by address, at the
    user rate; AnonThrottle already limits those at the (lower) anonymous
    rate, so a second counter per address would only cost a cache round trip.
    """

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)
