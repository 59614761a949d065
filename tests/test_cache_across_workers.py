"""The public cache under gunicorn with several workers and no Redis: each
worker keeps its own copies, yet a change made elsewhere (another worker, an
admin process, an import) reaches every worker within RECORD_VERSION_SECONDS,
and validators are the same whichever worker answers.

Runs on a throwaway PostgreSQL database when one is reachable on
127.0.0.1:5432, and on an SQLite file.
"""

import json
import os
import subprocess
import sys
import time
import urllib.request

import psycopg
import pytest

from tests.deploy import (
    ROOT,
    closed_port,
    create_database,
    drop_database,
    manage,
    production_env,
    run_python,
)

WORKERS = 3
VERSION_SECONDS = 0.5


@pytest.fixture(params=["postgresql", "sqlite"])
def served(request, tmp_path):
    if request.param == "postgresql":
        name = f"incidents_workers_{os.getpid()}"
        try:
            url = create_database(name)
        except psycopg.OperationalError:
            pytest.skip("no PostgreSQL on 127.0.0.1:5432")
        request.addfinalizer(lambda: drop_database(name))
    else:
        url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    port = closed_port()
    env = production_env(
        DATABASE_URL=url,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        DJANGO_REQUEST_LOG="false",
        DJANGO_RECORD_VERSION_SECONDS=str(VERSION_SECONDS),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS=str(WORKERS),
        GUNICORN_LOG_LEVEL="warning",
    )
    for command in (["migrate", "--noinput"], ["load_demo"]):
        result = manage(*command, env=env)
        assert result.returncode == 0, result.stderr
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if _get(base + "/healthz")[0] == 200:
                break
        except OSError:
            pass
        assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()
        assert time.monotonic() < deadline, "gunicorn did not answer"
        time.sleep(0.2)
    yield base, env
    server.terminate()
    server.wait(timeout=20)
    log.close()


def _get(url, **headers):
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    for name, value in headers.items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _summaries(body):
    return {row["summary"] for row in json.loads(body)["results"]}


def test_a_change_reaches_every_worker_and_validators_agree(served):
    base, env = served
    url = base + "/api/v1/incidents/?page_size=50"
    # Enough requests that every worker has answered and cached the list.
    answers = [_get(url) for _ in range(12 * WORKERS)]
    assert {status for status, _, _ in answers} == {200}
    assert "hit" in {headers.get("X-Cache") for _, headers, _ in answers}
    etags = {headers["ETag"] for _, headers, _ in answers}
    assert len(etags) == 1, etags  # the same on every worker
    (etag,) = etags
    assert len({body for _, _, body in answers}) == 1
    status, _, _ = _get(url, **{"If-None-Match": etag})
    assert status == 304

    # An editor's correction, saved by another process.
    result = run_python(
        "import django; django.setup()\n"
        "from incidents.models import Incident\n"
        "incident = Incident.objects.public().order_by('-started_at').first()\n"
        "incident.summary = 'Corrected after the regional governor spoke.'\n"
        "incident.save()\n",
        env,
    )
    assert result.returncode == 0, result.stderr
    time.sleep(VERSION_SECONDS + 0.5)

    answers = [_get(url) for _ in range(12 * WORKERS)]
    for status, headers, body in answers:
        assert status == 200
        assert "Corrected after the regional governor spoke." in _summaries(body)
        assert headers["ETag"] != etag
    assert len({headers["ETag"] for _, headers, _ in answers}) == 1
    # The old copy is no longer current for a client that kept it.
    assert _get(url, **{"If-None-Match": etag})[0] == 200
