"""The app under gunicorn against its own PostgreSQL, which is stopped mid-load.

Starts a throwaway cluster with the installed server binaries on a spare port,
migrates it, serves the app with gunicorn, and sends a bounded stream of reads
and admin writes (an incident with its source per write). Half-way the database
is stopped: every answer must be a clean 503 (or a success), never a 500 or a
stack trace, and no incident may be left without its source. When the database
comes back the same gunicorn serves again.
"""

import contextlib
import glob
import http.cookiejar
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.faults

REQUEST_TIMEOUT = 10  # seconds, per request
PHASE_SECONDS = 3  # load before the stop, and during the outage
MAX_REQUESTS_PER_WORKER = 400


def _pg_bin(name):
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(cmd):
    """initdb and postgres refuse to run as root."""
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def _run(cmd, **kwargs):
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=120, **kwargs)
    assert result.returncode == 0, f"{cmd[:6]} failed:\n{result.stderr[-2000:]}"
    return result


class Cluster:
    def __init__(self, root):
        self.dir = Path(root)
        self.data = self.dir / "data"
        self.port = _free_port()
        self.log = self.dir / "postgres.log"

    def init(self):
        self.dir.mkdir(exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        _run(
            _as_postgres(
                [
                    _pg_bin("initdb"),
                    "-D",
                    str(self.data),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--no-sync",
                ]
            )
        )

    def start(self):
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        )
        _run(
            _as_postgres(
                [
                    _pg_bin("pg_ctl"),
                    "-D",
                    str(self.data),
                    "-l",
                    str(self.log),
                    "-o",
                    options,
                    "-w",
                    "-t",
                    "30",
                    "start",
                ]
            )
        )

    def stop(self):
        _run(
            _as_postgres(
                [_pg_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"]
            )
        )

    def url(self, name):
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"


class Browser:
    """A cookie-keeping HTTP client for one session."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data else None
        req = urllib.request.Request(self.base + path, data=body)
        try:
            with self.opener.open(req, timeout=REQUEST_TIMEOUT) as r:
                return r.status, r.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode("utf-8", "replace")

    def csrf(self):
        return next(c.value for c in self.jar if c.name == "csrftoken")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _incident_form(csrf, marker):
    data = {
        "csrfmiddlewaretoken": csrf,
        "started_at_0": "2024-11-09",
        "started_at_1": "20:00",
        "time_precision": "minute",
        "attacker": "RU",
        "target_country": "UA",
        "attribution": "attributed",
        "drones_launched": "10",
        "drones_intercepted": "4",
        "summary": marker,
        "status": "draft",
        "sources-TOTAL_FORMS": "1",
        "sources-INITIAL_FORMS": "0",
        "sources-0-claimant": "Ukrainian Air Force",
        "sources-0-publisher": "Fault test",
        "sources-0-title": marker,
    }
    for prefix in ("incident_locations", "weapon_lines"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    return data


def _wait_until(check, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if check():
                return True
        time.sleep(0.2)
    return False


@pytest.fixture
def stack(tmp_path_factory):
    if not (_pg_bin("initdb") and _pg_bin("pg_ctl")):
        pytest.skip("PostgreSQL server binaries are not installed")
    if os.geteuid() == 0 and not shutil.which("runuser"):
        pytest.skip("running as root without runuser")
    root = Path(tempfile.mkdtemp(prefix="faults-"))
    root.chmod(0o755)  # the postgres user must reach its cluster inside
    cluster = Cluster(root / "pg")
    gunicorn = None
    try:
        cluster.init()
        cluster.start()
        _run(
            _as_postgres(
                [
                    _pg_bin("createdb"),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(cluster.port),
                    "-U",
                    "postgres",
                    "faults",
                ]
            )
        )
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
            "DATABASE_URL": cluster.url("faults"),
            "DJANGO_SECRET_KEY": "faults-test-key",
            "DJANGO_DEBUG": "false",
            "DJANGO_SESSION_COOKIE_SECURE": "false",
            "DJANGO_CSRF_COOKIE_SECURE": "false",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_LOG_LEVEL": "ERROR",
            # The load measures the app, not the rate limiter (which has its
            # own tests): wrk's 64 connections share one address.
            "API_THROTTLE_ANON": "10000000/minute",
            "API_THROTTLE_USER": "10000000/minute",
        }
        manage = [sys.executable, "manage.py"]
        _run([*manage, "migrate", "--noinput"], cwd=ROOT, env=env)
        _run([*manage, "collectstatic", "--noinput"], cwd=ROOT, env=env)
        _run(
            [
                *manage,
                "shell",
                "-c",
                "from django.contrib.auth.models import Group, User;"
                "u = User.objects.create_user('editor', password='fault test pw 2024',"
                " is_staff=True); u.groups.add(Group.objects.get(name='Editor'));"
                "j = User.objects.create_user('journalist',"
                " password='fault test pw 2024', is_staff=True);"
                " j.groups.add(Group.objects.get(name='Journalist'))",
            ],
            cwd=ROOT,
            env=env,
        )
        port = _free_port()
        gunicorn = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--timeout",
                "30",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=(root / "gunicorn.log").open("w"),
        )
        base = f"http://127.0.0.1:{port}"
        assert _wait_until(lambda: Browser(base).request("/")[0] == 200, 30)
        yield {
            "base": base,
            "cluster": cluster,
            "url": cluster.url("faults"),
            "env": env,
        }
    finally:
        if gunicorn is not None:
            gunicorn.terminate()
            try:
                gunicorn.wait(timeout=20)
            except subprocess.TimeoutExpired:
                gunicorn.kill()
        with contextlib.suppress(Exception):
            cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


def _login(base, username="editor"):
    browser = Browser(base)
    browser.request("/admin/login/")
    status, _ = browser.request(
        "/admin/login/?next=/admin/",
        {
            "csrfmiddlewaretoken": browser.csrf(),
            "username": username,
            "password": "fault test pw 2024",
            "next": "/admin/",
        },
    )
    assert status == 302, "login failed"
    return browser


def _check_answer(status, body, results):
    """Record an answer; anything but a success or a clean 503 is a failure."""
    results["statuses"].append(status)
    if status >= 500 and status != 503:
        results["bad"].append((status, body[:300]))
    if status == 503 and ("Traceback" in body or "Temporarily unavailable" not in body):
        results["bad"].append((status, body[:300]))


def _reader(base, stop, results):
    browser = Browser(base)
    paths = ["/", "/corrections/", "/corrections/feed/"]
    for n in range(MAX_REQUESTS_PER_WORKER):
        if stop.is_set():
            return
        try:
            status, body = browser.request(paths[n % len(paths)])
        except OSError as e:  # a timeout or reset is a failure too
            results["bad"].append(("error", repr(e)))
            continue
        _check_answer(status, body, results)


def _writer(browser, stop, results, name):
    for n in range(MAX_REQUESTS_PER_WORKER):
        if stop.is_set():
            return
        marker = f"fault-{name}-{n}"
        try:
            status, body = browser.request(
                "/admin/incidents/incident/add/", _incident_form(browser.csrf(), marker)
            )
        except OSError as e:
            results["bad"].append(("error", repr(e)))
            continue
        _check_answer(status, body, results)
        if status == 302:
            results["acknowledged"].append(marker)
        elif status != 503:
            results["refused_writes"].append((status, body[:2000]))


def _start_load(base, writers=2, readers=4):
    results = {"statuses": [], "bad": [], "acknowledged": [], "refused_writes": []}
    stop = threading.Event()
    threads = [
        threading.Thread(target=_reader, args=(base, stop, results))
        for _ in range(readers)
    ] + [
        # Logged in before the load starts: a password hash takes a while.
        threading.Thread(target=_writer, args=(_login(base), stop, results, f"w{i}"))
        for i in range(writers)
    ]
    return results, stop, threads


def _db_rows(url, sql):
    import psycopg

    with psycopg.connect(url, connect_timeout=10) as conn:
        return conn.execute(sql).fetchall()


def test_database_outage_gives_503_and_recovers_without_restart(stack):
    base, cluster = stack["base"], stack["cluster"]
    results, stop, threads = _start_load(base)
    for thread in threads:
        thread.start()
    try:
        time.sleep(PHASE_SECONDS)
        before_stop = len(results["acknowledged"])
        cluster.stop()
        stopped_at = len(results["statuses"])
        time.sleep(PHASE_SECONDS)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=REQUEST_TIMEOUT + 5)
    assert not any(t.is_alive() for t in threads)

    during = results["statuses"][stopped_at:]
    assert before_stop > 0, results["refused_writes"][:1]
    assert results["bad"] == [], results["bad"][:5]
    assert 503 in during, f"no 503 while the database was down: {set(during)}"

    # The database comes back; the same gunicorn serves again.
    cluster.start()
    started = time.monotonic()
    assert _wait_until(lambda: Browser(base).request("/")[0] == 200, 30)
    recovery = time.monotonic() - started
    browser = _login(base)
    status, _ = browser.request(
        "/admin/incidents/incident/add/", _incident_form(browser.csrf(), "after")
    )
    assert status == 302

    # Nothing half-written: every incident has its source, and every write the
    # app acknowledged is there.
    orphans = _db_rows(
        stack["url"],
        "SELECT i.summary FROM incidents_incident i WHERE NOT EXISTS "
        "(SELECT 1 FROM incidents_source s WHERE s.incident_id = i.id)",
    )
    assert orphans == []
    saved = {
        row[0]
        for row in _db_rows(stack["url"], "SELECT summary FROM incidents_incident")
    }
    missing = [m for m in results["acknowledged"] if m not in saved]
    assert missing == []
    assert "after" in saved
    counts = {s: results["statuses"].count(s) for s in set(results["statuses"])}
    print(
        f"\nfaults: {len(results['statuses'])} answers {counts}, "
        f"{len(results['acknowledged'])} acknowledged writes, "
        f"{len(saved)} incidents saved, recovery {recovery:.1f}s"
    )


LOAD_SECONDS = int(os.environ.get("LOAD_SECONDS", "10"))
WRK_SCRIPT = """
local paths = {"/", "/corrections/", "/corrections/feed/", "/?page=1"}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
"""


def _edit_loop(browser, incident_id, source_id, stop, results):
    """A journalist saving their draft over and over, version after version."""
    version = 1
    for n in range(5000):
        if stop.is_set():
            return
        marker = f"edit-{incident_id}-{n}"
        data = _incident_form(browser.csrf(), marker)
        data.update(
            {
                "expected_version": str(version),
                "sources-INITIAL_FORMS": "1",
                "sources-0-id": str(source_id),
                "sources-0-incident": str(incident_id),
                "sources-0-title": "load",
            }
        )
        try:
            status, body = browser.request(
                f"/admin/incidents/incident/{incident_id}/change/", data
            )
        except OSError as e:
            results["bad"].append(("error", repr(e)))
            continue
        results["statuses"].append(status)
        if status == 302:
            version += 1
            results["acknowledged"].append((incident_id, marker, version))
        else:
            results["bad"].append((status, body[:500]))


@pytest.mark.skipif(not shutil.which("wrk"), reason="wrk is not installed")
def test_load_with_journalists_saving_edits(stack):
    """wrk reads for LOAD_SECONDS (64 connections) while two journalists save
    edits: no 5xx, every acknowledged edit is in the history afterwards."""
    base, url = stack["base"], stack["url"]
    writers = []
    for name in ("a", "b"):
        browser = _login(base, "journalist")
        status, _ = browser.request(
            "/admin/incidents/incident/add/",
            _incident_form(browser.csrf(), f"load-{name}"),
        )
        assert status == 302
        [(incident_id, source_id)] = _db_rows(
            url,
            "SELECT i.id, s.id FROM incidents_incident i JOIN incidents_source s "
            f"ON s.incident_id = i.id WHERE i.summary = 'load-{name}'",
        )
        writers.append((browser, incident_id, source_id))

    results = {"statuses": [], "bad": [], "acknowledged": []}
    stop = threading.Event()
    threads = [
        threading.Thread(target=_edit_loop, args=(*w, stop, results)) for w in writers
    ]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    for thread in threads:
        thread.start()
    try:
        wrk = subprocess.run(
            [
                "wrk",
                "-t4",
                "-c64",
                f"-d{LOAD_SECONDS}s",
                "--timeout",
                "10s",
                "-s",
                script.name,
                base,
            ],
            capture_output=True,
            text=True,
            timeout=LOAD_SECONDS + 60,
        )
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=REQUEST_TIMEOUT + 5)
        os.unlink(script.name)
    assert wrk.returncode == 0, wrk.stderr
    assert "Non-2xx or 3xx responses" not in wrk.stdout, wrk.stdout
    assert "Socket errors" not in wrk.stdout, wrk.stdout
    assert results["bad"] == [], results["bad"][:3]
    assert results["acknowledged"], "no edit was acknowledged"

    # Every acknowledged edit is in the history, and the last one is current.
    for _browser, incident_id, _source in writers:
        acked = [a for a in results["acknowledged"] if a[0] == incident_id]
        history = {
            row[0]
            for row in _db_rows(
                url,
                "SELECT summary FROM incidents_historicalincident "
                f"WHERE id = {int(incident_id)}",
            )
        }
        assert {marker for _, marker, _ in acked} <= history
        [(summary, version)] = _db_rows(
            url,
            "SELECT summary, version FROM incidents_incident "
            f"WHERE id = {int(incident_id)}",
        )
        if acked:
            assert (summary, version) == acked[-1][1:]
    requests = re.search(r"(\d+) requests in", wrk.stdout).group(1)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", wrk.stdout).group(1)
    print(
        f"\nload: {requests} reads in {LOAD_SECONDS}s ({rate}/s), "
        f"{len(results['acknowledged'])} acknowledged edits, all present"
    )


WRK_STATUS_SCRIPT = """
-- Alternates the public list page and the API list, and counts answers by
-- status class in every thread; done() prints the sums.
local paths = {"/", "/api/v1/incidents/"}
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end
function init(args)
  i = 0
  s2, s3, s4, s5 = 0, 0, 0, 0
end
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
function response(status, headers, body)
  if status >= 500 then s5 = s5 + 1
  elseif status >= 400 then s4 = s4 + 1
  elseif status >= 300 then s3 = s3 + 1
  else s2 = s2 + 1 end
end
function done(summary, latency, requests)
  local t2, t3, t4, t5 = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    t2 = t2 + thread:get("s2")
    t3 = t3 + thread:get("s3")
    t4 = t4 + thread:get("s4")
    t5 = t5 + thread:get("s5")
  end
  io.write(string.format("STATUSES 2xx=%d 3xx=%d 4xx=%d 5xx=%d\\n", t2, t3, t4, t5))
end
"""

API_INCIDENT = {
    "started_at": "2024-11-12T01:00:00+02:00",
    "time_precision": "hour",
    "attacker": "RU",
    "target_country": "UA",
    "attribution": "attributed",
    "drones_launched": 40,
    "drones_intercepted": 30,
    "summary": "load-api",
    "sources": [
        {
            "url": "https://example.org/load",
            "publisher": "Load test",
            "title": "Load",
            "language": "en",
            "published_on": "2024-11-12",
            "claimant": "Ukrainian Air Force",
            "claim": "40 drones, 30 downed.",
        }
    ],
}


def _api(base, method, path, token, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(
        base + path,
        data=data,
        method=method,
        headers={
            "Authorization": f"Token {token}",
            "Content-Type": "application/json",
            "Accept": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(req, timeout=REQUEST_TIMEOUT) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        text = e.read().decode("utf-8", "replace")
        try:
            return e.code, json.loads(text)
        except ValueError:
            return e.code, text


def _stale(body):
    """A refusal because the version moved on: a `version` error when the
    check caught it, a non-field one when the save itself lost the race."""
    if not isinstance(body, dict):
        return False
    return "version" in body or "version" in str(body.get("non_field_errors", ""))


def _api_edit_loop(base, token, public_id, name, stop, results):
    """A journalist saving edits through the API with the version they read;
    a stale version (the other writer got there first) is read again and
    retried."""
    path = f"/api/v1/incidents/{public_id}/"
    for n in range(100_000):
        if stop.is_set():
            return
        marker = f"api-edit-{name}-{n}"
        try:
            status, body = _api(base, "GET", path, token)
            if status != 200:
                results["bad"].append(("read", status, str(body)[:300]))
                continue
            status, body = _api(
                base,
                "PATCH",
                path,
                token,
                {"summary": marker, "version": body["version"]},
            )
        except OSError as e:
            results["bad"].append(("error", repr(e)))
            continue
        if status == 200:
            results["acknowledged"].append((marker, body["version"]))
        elif status in (400, 409) and _stale(body):
            results["retries"] += 1
        else:
            results["bad"].append(("write", status, str(body)[:300]))


@pytest.mark.skipif(not shutil.which("wrk"), reason="wrk is not installed")
def test_load_on_pages_and_api_with_api_edits(stack):
    """wrk on the list page and the API list for LOAD_SECONDS (64 connections)
    while two API clients of one journalist edit the same incident: no 5xx,
    every acknowledged edit is in the history, none silently overwritten."""
    base, url = stack["base"], stack["url"]
    _run([sys.executable, "manage.py", "load_demo"], cwd=ROOT, env=stack["env"])
    [(user_id,)] = _db_rows(
        url, "SELECT id FROM auth_user WHERE username = 'journalist'"
    )
    token = "f" * 40
    import psycopg

    with psycopg.connect(url) as conn:
        conn.execute(
            "INSERT INTO authtoken_token (key, created, user_id)"
            " VALUES (%s, now(), %s)",
            (token, user_id),
        )
    status, created = _api(base, "POST", "/api/v1/incidents/", token, API_INCIDENT)
    assert status == 201, created
    public_id = created["public_id"]

    results = {"bad": [], "acknowledged": [], "retries": 0}
    stop = threading.Event()
    threads = [
        threading.Thread(
            target=_api_edit_loop, args=(base, token, public_id, name, stop, results)
        )
        for name in ("a", "b")
    ]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_STATUS_SCRIPT)
    for thread in threads:
        thread.start()
    try:
        wrk = subprocess.run(
            ["wrk", "-t4", "-c64", f"-d{LOAD_SECONDS}s", "--timeout", "10s"]
            + ["-s", script.name, base],
            capture_output=True,
            text=True,
            timeout=LOAD_SECONDS + 60,
        )
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=REQUEST_TIMEOUT + 5)
        os.unlink(script.name)
    assert wrk.returncode == 0, wrk.stderr
    counts = dict(
        re.findall(r"(\dxx)=(\d+)", re.search(r"STATUSES.*", wrk.stdout).group(0))
    )
    counts = {k: int(v) for k, v in counts.items()}
    assert counts["5xx"] == 0, wrk.stdout
    assert counts["4xx"] == 0, wrk.stdout
    assert counts["2xx"] > 0, wrk.stdout
    assert "Socket errors" not in wrk.stdout, wrk.stdout
    assert results["bad"] == [], results["bad"][:3]
    acked = results["acknowledged"]
    assert acked, "no edit was acknowledged"

    # Each acknowledged edit is in the history with the version it was given;
    # no two edits got the same version (nothing silently overwritten), and
    # the last one is the incident's current state.
    versions = [version for _, version in acked]
    assert len(set(versions)) == len(versions)
    history = dict(
        _db_rows(
            url,
            "SELECT h.summary, h.version FROM incidents_historicalincident h "
            "JOIN incidents_incident i ON i.id = h.id "
            f"WHERE i.public_id = '{public_id}'",
        )
    )
    missing = [(m, v) for m, v in acked if history.get(m) != v]
    assert missing == []
    [(summary, version)] = _db_rows(
        url,
        "SELECT summary, version FROM incidents_incident "
        f"WHERE public_id = '{public_id}'",
    )
    assert (summary, version) == max(acked, key=lambda a: a[1])
    requests = re.search(r"(\d+) requests in", wrk.stdout).group(1)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", wrk.stdout).group(1)
    print(
        f"\nload (pages + API): {requests} reads in {LOAD_SECONDS}s ({rate}/s), "
        f"statuses {counts}, {len(acked)} acknowledged API edits "
        f"({results['retries']} stale-version retries), all present"
    )
