"""gunicorn settings, read from the environment (see .env.example).

Run: gunicorn -c gunicorn.conf.py config.wsgi
"""

import os


def _int(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"{name}={value!r} is not an integer.") from None


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Sync workers: each request is short and database-bound. 2 × cores + 1 is
# gunicorn's own starting point; scale out with more `web` replicas.
workers = _int("GUNICORN_WORKERS", 2 * (os.cpu_count() or 1) + 1)
threads = _int("GUNICORN_THREADS", 1)
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Workers are not recycled by default: a new worker's first requests import
# the views and refill its cache, which under load showed as p99 latencies of
# a second or more (bench/README.md). Set GUNICORN_MAX_REQUESTS (with some
# jitter) if a worker's memory ever grows without bound.
max_requests = _int("GUNICORN_MAX_REQUESTS", 0)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 0)
# The load balancer's address, whose X-Forwarded-* headers are trusted.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

# No access log: the app writes one JSON line per request with its id, status
# and duration (incidents.middleware.RequestLogMiddleware).
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# Heartbeat files in memory, not on the container's overlay file system.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"
