"""Whole-response cache for public pages and anonymous API reads.

Every cached response is keyed by the *record version*, a counter kept in the
cache and bumped whenever an incident or anything shown with it is saved or
deleted. A bump makes every older entry unreachable at once (they expire on
their own), so a published or corrected incident shows on the next request.
With Redis (REDIS_URL) the counter is shared by every process and replica.
"""

import hashlib
import logging
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils import translation
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date, parse_http_date_safe

log = logging.getLogger("incidents.cache")

VERSION_KEY = "record:version"
CHANGED_KEY = "record:changed_at"
_CACHEABLE_METHODS = ("GET", "HEAD")


def record_version():
    """The current record version (one cache read; set on first use).

    It starts from a clock value, not 1, so that a counter lost from the cache
    (eviction, Redis restart) can never come back to a version already used.
    """
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def bump_record_version(**kwargs):
    """Invalidate every cached public response (signal receiver)."""
    try:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # not set yet
            cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        cache.set(CHANGED_KEY, time.time(), timeout=None)
    except Exception:
        # A cache outage must not block an editor's save; cached copies then
        # live at most PUBLIC_CACHE_SECONDS.
        log.exception("could not bump the record version")


def connect_signals():
    from incidents.models import (
        Incident,
        IncidentLocation,
        Location,
        Source,
        WeaponLine,
        WeaponModel,
    )

    for model in (
        Incident,
        IncidentLocation,
        WeaponLine,
        Source,
        Location,
        WeaponModel,
    ):
        uid = f"record-version-{model.__name__}"
        post_save.connect(bump_record_version, sender=model, dispatch_uid=uid)
        post_delete.connect(bump_record_version, sender=model, dispatch_uid=uid)


def _bypasses_cache(request):
    """Requests that may get a personal answer never use the shared cache."""
    return (
        request.method not in _CACHEABLE_METHODS
        or "HTTP_AUTHORIZATION" in request.META
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or "messages" in request.COOKIES
    )


def _cache_key(request, version):
    parts = "\n".join(
        [
            request.build_absolute_uri(),
            translation.get_language() or "",
            request.headers.get("Accept", ""),
        ]
    )
    digest = hashlib.sha256(parts.encode()).hexdigest()
    return f"public:{version}:{digest}"


def _storable(request, response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        # The page used a CSRF token: it belongs to one visitor.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not getattr(getattr(request, "session", None), "modified", False)
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )


def _validators(response, changed_at):
    if not response.has_header("ETag"):
        response["ETag"] = f'"{hashlib.md5(response.content).hexdigest()}"'
    if not response.has_header("Last-Modified"):
        # The last change of the record, or (not known yet) this moment.
        response["Last-Modified"] = http_date(changed_at or time.time())
    # Browsers and proxies revalidate every time, so a change shows at once.
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)


def cache_public(timeout=None):
    """Cache a view's full response for anonymous GET/HEAD requests.

    Keyed by (record version, absolute URL with query, language, Accept), with
    ETag and Last-Modified set and a 304 for a matching If-None-Match or
    If-Modified-Since. Logged-in users, token clients, and responses that set
    a cookie or carry a CSRF token are never served from or stored in it.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if _bypasses_cache(request):
                return view(request, *args, **kwargs)
            seconds = settings.PUBLIC_CACHE_SECONDS if timeout is None else timeout
            try:
                state = cache.get_many([VERSION_KEY, CHANGED_KEY])
                version = state.get(VERSION_KEY) or record_version()
                changed_at = state.get(CHANGED_KEY)
                key = _cache_key(request, version)
                cached = cache.get(key)
            except Exception:
                log.exception("cache unavailable; serving uncached")
                return view(request, *args, **kwargs)
            if cached is not None:
                return _conditional(request, cached)

            response = view(request, *args, **kwargs)
            response["X-Cache"] = "miss"

            def store(rendered):
                if not _storable(request, rendered):
                    del rendered["X-Cache"]
                    return
                _validators(rendered, changed_at)
                patch_vary_headers(rendered, ["Accept", "Accept-Language", "Cookie"])
                try:
                    cache.set(key, rendered, seconds)
                except Exception:
                    log.exception("could not store a cached response")

            if hasattr(response, "render") and callable(response.render):
                response.add_post_render_callback(store)
            else:
                store(response)
            return response

        return wrapped

    return decorator


def _conditional(request, cached):
    cached["X-Cache"] = "hit"
    return get_conditional_response(
        request,
        etag=cached.get("ETag"),
        last_modified=_parse_date(cached.get("Last-Modified")),
        response=cached,
    )


def _parse_date(value):
    return parse_http_date_safe(value) if value else None


class CachePublicMixin:
    """`cache_public` for class-based views and DRF viewsets:
    `class IncidentViewSet(CachePublicMixin, ReadOnlyModelViewSet)`."""

    public_cache_timeout = None

    def dispatch(self, request, *args, **kwargs):
        view = cache_public(self.public_cache_timeout)(super().dispatch)
        return view(request, *args, **kwargs)
