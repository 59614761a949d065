"""Whole-response cache for public pages and anonymous API reads.

Every cached response is keyed by the *record version*, a number kept in one
database row (incidents.RecordVersion) and moved on, in the same transaction,
whenever an incident or anything shown with it is saved or deleted. A new
version makes every older entry unreachable at once (they expire on their
own), so a published or corrected incident shows on the next request.

Each process reads the row at most once per RECORD_VERSION_SECONDS (1 s by
default) and at once after its own changes; so with a per-process cache
every worker drops its old answers within that second, and with Redis every
replica shares both the answers and the version. Validators built from the
version are the same on every worker and survive restarts.
"""

import hashlib
import logging
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache, caches
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date, parse_http_date_safe

log = logging.getLogger("incidents.cache")

_CACHEABLE_METHODS = ("GET", "HEAD")

# (read until, version, changed_at) of this process's last read of the row.
_seen = None


def forget_record_version():
    """Make the next record_state() read the database (tests, after a bump)."""
    global _seen
    _seen = None


def record_state():
    """(version, changed_at as a timestamp) of the public record.

    One indexed read of a one-row table at most once per
    RECORD_VERSION_SECONDS in each process.
    """
    global _seen
    from incidents.models import RecordVersion

    now = time.monotonic()
    seen = _seen
    if seen is not None and seen[0] > now:
        return seen[1], seen[2]
    row = RecordVersion.objects.filter(pk=1).values_list("version", "changed_at")
    row = row.first() or _create_row()
    state = (row[0], row[1].timestamp())
    _seen = (now + settings.RECORD_VERSION_SECONDS, *state)
    return state


def record_version():
    """The current record version (see record_state)."""
    return record_state()[0]


def _create_row():
    # The migration creates the row; this only covers a table emptied by hand.
    from incidents.models import RecordVersion

    row, _ = RecordVersion.objects.get_or_create(
        pk=1, defaults={"version": time.time_ns(), "changed_at": timezone.now()}
    )
    return row.version, row.changed_at


def bump_record_version(**kwargs):
    """Move the record version on (signal receiver; bulk writers call it).

    Runs in the writer's transaction: readers see the new version exactly
    when they can see the change. The clock term keeps a version rolled back
    with its transaction from ever being handed out again.
    """
    from incidents.models import RecordVersion

    forget_record_version()
    updated = RecordVersion.objects.filter(pk=1).update(
        version=Greatest(F("version") + 1, Value(time.time_ns())),
        changed_at=timezone.now(),
    )
    if not updated:
        _create_row()


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
            version, changed_at = record_state()
            key = _cache_key(request, version)
            near = _near_cache()
            try:
                cached = near.get(key) if near else None
                if cached is None:
                    cached = cache.get(key)
                    if cached is not None and near:
                        near.set(key, cached, seconds)
            except Exception:
                log.exception("cache unavailable; serving uncached")
                return view(request, *args, **kwargs)
            if cached is not None:
                return _conditional(request, _thaw(cached))

            response = view(request, *args, **kwargs)
            response["X-Cache"] = "miss"

            def store(rendered):
                if not _storable(request, rendered):
                    del rendered["X-Cache"]
                    return
                _validators(rendered, changed_at)
                patch_vary_headers(rendered, ["Accept", "Accept-Language", "Cookie"])
                frozen = _freeze(rendered)
                try:
                    cache.set(key, frozen, seconds)
                    if near:
                        near.set(key, frozen, seconds)
                except Exception:
                    log.exception("could not store a cached response")

            if hasattr(response, "render") and callable(response.render):
                response.add_post_render_callback(store)
            else:
                store(response)
            return response

        return wrapped

    return decorator


def _near_cache():
    """This process's copies of answers kept in a shared cache (the
    "answers" cache, configured with Redis), or None."""
    return caches["answers"] if "answers" in settings.CACHES else None


def _freeze(response):
    """What a hit needs: status, headers and bytes. Not the response object,
    whose pickle would also carry a DRF answer's data, to unpickle each hit."""
    headers = [(k, v) for k, v in response.items() if k != "X-Cache"]
    return (response.status_code, headers, response.content)


def _thaw(frozen):
    status, headers, content = frozen
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response


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
