"""Request-wide behaviour: one JSON log line per request, and a clean 503
when the database cannot be reached."""

import logging
import re
import time
import uuid

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

request_log = logging.getLogger("incidents.requests")
db_log = logging.getLogger("incidents.database")

# A request id set by the load balancer is kept when it looks like one.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,128}$")
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


class DatabaseUnavailableMiddleware:
    """Turns a lost database connection during a view into a 503 that says so,
    as HTML (templates/503.html) or, under /api/, as JSON; no stack trace."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        # The details go to the server log, never to the visitor.
        db_log.error(
            "database unavailable: %s",
            exception,
            exc_info=exception,
            extra={"request_id": getattr(request, "id", None), "path": request.path},
        )
        if request.path.startswith("/api/"):
            response = JsonResponse(
                {"detail": "The database is unavailable. Try again shortly."},
                status=503,
            )
        else:
            # Rendered without a request: the context processors would touch
            # the session and the user, which live in the database.
            response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
