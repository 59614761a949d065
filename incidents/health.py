"""/healthz for the load balancer: can this process reach the database and
the cache? 200 when both answer, 503 naming the part that does not."""

import logging
import uuid

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

log = logging.getLogger("incidents.health")


def _check_database():
    """Runs `SELECT 1` (one SQL query)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _check_cache():
    key, token = "healthz:probe", uuid.uuid4().hex
    cache.set(key, token, timeout=10)
    return cache.get(key) == token


@never_cache
@require_safe
def healthz(request):
    checks = {}
    for name, check in (("database", _check_database), ("cache", _check_cache)):
        try:
            checks[name] = "ok" if check() else "failed"
        except Exception as exc:  # any failure of the part is a failed check
            log.warning("healthz: %s check failed: %s", name, exc.__class__.__name__)
            checks[name] = "failed"
            if name == "database" and isinstance(exc, DatabaseError):
                # Do not keep a broken connection for the next request.
                connection.close_if_unusable_or_obsolete()
    failed = [name for name, state in checks.items() if state != "ok"]
    return JsonResponse(
        {"status": "failed" if failed else "ok", "checks": checks, "failed": failed},
        status=503 if failed else 200,
    )
