"""Request-wide behaviour: one JSON log line per request, and clean answers
when the database is down or a request body is too big.

A database outage gives a plain 503 page (JSON under /api/) with Retry-After,
never a stack trace; the next request after the database returns is served
normally (connections are health-checked, see CONN_HEALTH_CHECKS).
"""

import logging
import re
import sys
import time
import uuid

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views import defaults

logger = logging.getLogger(__name__)
request_log = logging.getLogger("incidents.requests")

# A request id set by the load balancer is kept when it looks like one.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,128}$")

_DB_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


class RequestLogMiddleware:
    """Gives each request an id (X-Request-ID, kept from the proxy when sane)
    and logs method, path, status and duration_ms as one JSON line."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        given = request.headers.get("X-Request-ID", "")
        request.id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        response = self.get_response(request)
        response["X-Request-ID"] = request.id
        if settings.REQUEST_LOG:
            request_log.info(
                "request",
                extra={
                    "request_id": request.id,
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - start) * 1000, 2),
                },
            )
        return response


def _wants_json(request):
    return request.path.startswith("/api/") or (
        "application/json" in request.headers.get("Accept", "")
        and "text/html" not in request.headers.get("Accept", "")
    )


def database_unavailable_response(request):
    """The 503 answer; renders without touching the database or the session."""
    if _wants_json(request):
        response = JsonResponse(
            {"detail": "The database is unavailable. Try again shortly."},
            status=503,
        )
    else:
        # No request context: context processors would read the session.
        response = HttpResponse(
            render_to_string("503.html"),
            status=503,
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turns a database connection failure in a view into a 503."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, _DB_ERRORS):
            # The details go to the server log, never to the visitor.
            logger.error(
                "database unavailable: %s",
                exception,
                exc_info=exception,
                extra={
                    "request_id": getattr(request, "id", None),
                    "path": request.path,
                },
            )
            return database_unavailable_response(request)
        return None


def server_error(request, template_name="500.html"):
    """handler500: a database failure outside views (session save, login
    lockout checks) is still a 503, anything else the usual 500 page."""
    exception = sys.exc_info()[1]
    if isinstance(exception, _DB_ERRORS):
        return database_unavailable_response(request)
    return defaults.server_error(request, template_name)


class RequestSizeLimitMiddleware:
    """Refuses bodies over MAX_REQUEST_BODY_SIZE with 413 before reading them.

    DATA_UPLOAD_MAX_MEMORY_SIZE limits form fields (Django answers 400), but
    uploaded files spill to disk without limit; this bounds the whole body.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = getattr(settings, "MAX_REQUEST_BODY_SIZE", None)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponse(
                "Bad Content-Length.", status=400, content_type="text/plain"
            )
        if limit is not None and length > limit:
            return HttpResponse(
                f"Request body too large (limit {limit} bytes).",
                status=413,
                content_type="text/plain",
            )
        return self.get_response(request)
