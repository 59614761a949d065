"""Load the tracker as in production and print throughput and latency figures
next to Datasette and a static file. See bench/README.md.

    .venv/bin/python bench/run.py                       # 100,000 incidents, 15 s runs
    .venv/bin/python bench/run.py --incidents 20000 --duration 5

Every target URL is a parameter; a target that answers 404 (not built yet) is
reported as missing and the run goes on.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
PYTHON = sys.executable
STATIC_NAME = "bench/incidents-50.json"

PLACE = "Kyiv"
AFTER, BEFORE = "2024-01-01", "2024-12-31"
JSON = "application/json"
DATASETTE_BASE = "/incidents/incidents.json?_shape=array&_size=50&_sort_desc=started_at"


def _arguments(argv):
    p = argparse.ArgumentParser(description="Benchmark the tracker (see README).")
    p.add_argument("--incidents", type=int, default=100_000)
    p.add_argument("--small", type=int, default=1_000, help="rows for the p50 baseline")
    p.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/incidents_bench",
        help="a PostgreSQL database this run may empty and fill",
    )
    p.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    p.add_argument("--connections", type=int, default=64)
    p.add_argument("--threads", type=int, default=2, help="wrk threads")
    p.add_argument(
        "--scaling-page-size",
        type=int,
        default=10,
        help="page size of the 1,000-vs-N check (both records must fill it)",
    )
    p.add_argument(
        "--scaling-connections",
        type=int,
        default=4,
        help="connections for the 1,000-vs-N p50 (service time, not queueing)",
    )
    p.add_argument("--duration", type=int, default=15, help="seconds per target")
    p.add_argument(
        "--readers",
        type=int,
        default=100_000,
        help="distinct client addresses the load comes from (X-Forwarded-For)",
    )
    p.add_argument("--warmup", type=int, default=2, help="seconds before each run")
    p.add_argument("--redis-url", default="", help="shared cache (default: memory)")
    p.add_argument("--no-request-log", action="store_true")
    p.add_argument("--skip-generate", action="store_true", help="reuse the data")
    p.add_argument("--datasette", default=None, help="datasette executable")
    g = p.add_argument_group("targets (paths on the app or on Datasette)")
    g.add_argument("--api-list", default="/api/v1/incidents/?page_size=50")
    g.add_argument(
        "--api-filtered",
        default=f"/api/v1/incidents/?page_size=50&location={PLACE}"
        f"&date_after={AFTER}&date_before={BEFORE}",
    )
    g.add_argument("--html-list", default="/")
    g.add_argument("--stats", default="/api/v1/stats/")
    g.add_argument("--datasette-list", default=DATASETTE_BASE)
    g.add_argument(
        "--datasette-filtered",
        default=f"{DATASETTE_BASE}&places__contains={PLACE}"
        f"&started_at__gte={AFTER}&started_at__lt=2025-01-01",
    )
    args = p.parse_args(argv)
    if args.incidents < args.small:
        p.error("--incidents must be at least --small")
    return args


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url, accept=None, timeout=30):
    request = urllib.request.Request(url, headers={"Accept": accept or "*/*"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except (TimeoutError, urllib.error.URLError) as error:
        # A server still busy with the previous target's backlog: report it,
        # do not abort the whole run.
        return None, str(error).encode()


def wait_until_up(url, process, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited early ({process.returncode}): {url}")
        status, _body = fetch(url, timeout=2)
        if status is not None:
            return
        time.sleep(0.3)
    raise SystemExit(f"server did not answer within {seconds} s: {url}")


class Server:
    """A child process in its own process group, stopped on exit."""

    def __init__(self, name, command, env, probe):
        self.name, self.command, self.env, self.probe = name, command, env, probe

    def __enter__(self):
        self.log = open(OUT / f"{self.name}.log", "ab")
        self.process = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_until_up(self.probe, self.process)
        return self

    def __exit__(self, *exc):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


def app_env(args, cache_on):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DATABASE_URL=args.database_url,
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_STATIC_ROOT=str(OUT / "static"),
        DJANGO_REQUEST_LOG="false" if args.no_request_log else "true",
        REDIS_URL=args.redis_url,
        GUNICORN_WORKERS=str(args.workers),
        # As behind the production load balancer: the client address is the
        # last X-Forwarded-For entry, which bench/report.lua sets to one of
        # --readers addresses per request. The production rate limits apply
        # to each of those readers.
        API_NUM_PROXIES="1",
    )
    if not cache_on:
        env["DJANGO_PUBLIC_CACHE_SECONDS"] = "0"
    return env


def run(command, env, what):
    print(f"-- {what}", flush=True)
    result = subprocess.run(command, cwd=ROOT, env=env)
    if result.returncode != 0:
        raise SystemExit(f"failed: {what}")


def gunicorn(args, cache_on):
    port = free_port()
    env = app_env(args, cache_on)
    env["GUNICORN_BIND"] = f"127.0.0.1:{port}"
    command = [PYTHON, "-m", "gunicorn", "-c", "gunicorn.conf.py", "config.wsgi"]
    name = "gunicorn-cache" if cache_on else "gunicorn-nocache"
    return Server(name, command, env, f"http://127.0.0.1:{port}/healthz"), port


def datasette(args, database):
    executable = args.datasette or next(
        (
            str(path)
            for path in (BENCH / ".venv-datasette" / "bin" / "datasette",)
            if path.exists()
        ),
        shutil.which("datasette"),
    )
    if not executable:
        raise SystemExit(
            "datasette not found: python3 -m venv bench/.venv-datasette && "
            "bench/.venv-datasette/bin/pip install datasette"
        )
    port = free_port()
    command = [executable, "serve", "-i", str(database), "-h", "127.0.0.1"]
    command += ["-p", str(port), "--setting", "sql_time_limit_ms", "5000"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return Server(
        "datasette", command, env, f"http://127.0.0.1:{port}/-/versions.json"
    ), port


def measure(args, base, path, accept=None, duration=None, connections=None):
    """wrk against one target; {"missing": True} when it answers 404."""
    url = base + path
    status, body = fetch(url, accept)
    if status == 404:
        return {"missing": True, "status": 404}
    if status is None or not 200 <= status < 300:
        detail = body.decode(errors="replace")[:200] if status is None else status
        return {"missing": False, "status": status, "error": f"answers {detail}"}
    headers = ["-H", f"Accept: {accept}"] if accept else []
    connections = connections or args.connections
    threads = min(args.threads, connections)
    wrk = ["wrk", "-t", str(threads), "-c", str(connections)]
    wrk += ["--timeout", "5s", "-s", str(BENCH / "report.lua"), *headers]
    env = {**os.environ, "BENCH_READERS": str(args.readers)}
    if args.warmup:
        subprocess.run(
            [*wrk, "-d", f"{args.warmup}s", url], capture_output=True, env=env
        )
    result = subprocess.run(
        [*wrk, "-d", f"{duration or args.duration}s", url],
        capture_output=True,
        text=True,
        env=env,
    )
    line = [ln for ln in result.stdout.splitlines() if ln.startswith("{")]
    if result.returncode != 0 or not line:
        return {"missing": False, "status": status, "error": result.stderr.strip()}
    figures = json.loads(line[-1])
    figures.update(missing=False, status=status)
    if figures["requests"] == 0:
        return {"missing": False, "status": status, "error": "no answer in time"}
    return figures


def ensure_database(url):
    server, _, name = url.rpartition("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not exists.fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def generate(args, count):
    env = app_env(args, cache_on=False)
    run(
        [PYTHON, "bench/generate.py", "--incidents", str(count), "--reset"],
        env,
        f"generating {count} incidents",
    )


def static_json(args, base):
    """The same 50 incidents as the API list, as a file for whitenoise."""
    status, body = fetch(base + args.api_list, "application/json")
    if status != 200:
        code = (
            "import json; from incidents.models import Incident;"
            "rows = Incident.objects.public().for_list().values("
            "'public_id','started_at','ended_at','attacker','target_country',"
            "'attribution','drones_launched','drones_intercepted','summary')[:50];"
            "print(json.dumps({'results': list(rows)}, default=str))"
        )
        env = app_env(args, cache_on=False)
        body = subprocess.run(
            [PYTHON, "manage.py", "shell", "-c", code],
            cwd=ROOT,
            env=env,
            capture_output=True,
            check=True,
        ).stdout
    target = OUT / "static" / STATIC_NAME
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(body)
    return len(body)


def _scaling_targets(args):
    """(label, path, accept) of the 1,000-vs-N comparison.

    The first is the check: the filtered list with a page that both records
    fill (the 1,000-incident record has only about 20 Kyiv incidents in
    2024), so that the two answers hold the same number of rows and only the
    size of the table differs. The second, the page of 50 as loaded with wrk
    (20 rows against 50), is printed for information.
    """
    size = args.scaling_page_size
    same = re.sub(r"page_size=\d+", f"page_size={size}", args.api_filtered)
    return [
        (f"API filtered list, page of {size}", same, JSON),
        ("API filtered list as loaded (page of 50)", args.api_filtered, JSON),
    ]


def _rows(base, path, accept):
    status, body = fetch(base + path, accept)
    if status != 200:
        return None
    return len(json.loads(body).get("results", []))


def _measure_scaling(args, base, size, scaling):
    for label, path, accept in _scaling_targets(args):
        entry = scaling.setdefault(label, {"path": path})
        figures = measure(
            args, base, path, accept, connections=args.scaling_connections
        )
        figures["rows"] = _rows(base, path, accept)
        entry[size] = figures


def main(argv=None):
    args = _arguments(argv)
    OUT.mkdir(exist_ok=True)
    for log in OUT.glob("*.log"):
        log.unlink()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    ensure_database(args.database_url)
    env = app_env(args, cache_on=False)
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env, "migrating")
    run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env, "collectstatic"
    )
    results = {"settings": {k: v for k, v in vars(args).items()}, "targets": {}}

    # 1. Filtered list p50 on a small record, cache off (the database answers).
    scaling = {}
    if not args.skip_generate:
        generate(args, args.small)
        server, port = gunicorn(args, cache_on=False)
        with server:
            _measure_scaling(args, f"http://127.0.0.1:{port}", "small", scaling)
        generate(args, args.incidents)

    # 2. The full record, cache off: the filtered p50 again, and the static file.
    run(
        [PYTHON, "bench/export_sqlite.py", str(OUT / "incidents.db")],
        app_env(args, cache_on=False),
        "exporting to SQLite for Datasette",
    )
    server, port = gunicorn(args, cache_on=False)
    with server:
        base = f"http://127.0.0.1:{port}"
        _measure_scaling(args, base, "large", scaling)
        static_bytes = static_json(args, base)
        results["targets"]["api_list_nocache"] = measure(
            args, base, args.api_list, "application/json"
        )
    results["scaling"] = scaling

    # 3. Cache on, everything side by side.
    app, app_port = gunicorn(args, cache_on=True)
    ds, ds_port = datasette(args, OUT / "incidents.db")
    with app, ds:
        base, ds_base = f"http://127.0.0.1:{app_port}", f"http://127.0.0.1:{ds_port}"
        plan = [
            ("api_list", base, args.api_list, "application/json"),
            ("api_filtered", base, args.api_filtered, "application/json"),
            ("html_list", base, args.html_list, None),
            ("stats", base, args.stats, "application/json"),
            ("static", base, f"/static/{STATIC_NAME}", None),
            ("datasette_list", ds_base, args.datasette_list, None),
            ("datasette_filtered", ds_base, args.datasette_filtered, None),
        ]
        for name, host, path, accept in plan:
            print(f"-- wrk {name}: {path}", flush=True)
            results["targets"][name] = measure(args, host, path, accept)
            results["targets"][name]["path"] = path
    results["static_bytes"] = static_bytes
    results["checks"] = checks(results)
    (OUT / "results.json").write_text(json.dumps(results, indent=2, default=str))
    print(report(results))


def _rps(results, name):
    t = results["targets"].get(name) or {}
    return None if t.get("missing") or "rps" not in t else t["rps"]


def checks(results):
    t, out = results["targets"], []

    def ratio(label, a, b, target=None):
        ra, rb = _rps(results, a), _rps(results, b)
        if ra is None or rb is None:
            missing = [n for n, r in ((a, ra), (b, rb)) if r is None]
            verdict = f"missing: {', '.join(missing)}"
            out.append((label, None, target, verdict))
        elif target is None:
            out.append((label, ra / rb, target, "for information"))
        else:
            verdict = "pass" if ra / rb >= target else "FAIL"
            out.append((label, ra / rb, target, verdict))

    ratio("API list / Datasette list (≥ 3×)", "api_list", "datasette_list", 3)
    ratio("API list / static ceiling (≥ 0.5×)", "api_list", "static", 0.5)
    ratio("HTML list / Datasette list", "html_list", "datasette_list")
    ratio("HTML list / static ceiling", "html_list", "static")
    ratio("API list, cache on / cache off", "api_list", "api_list_nocache")
    for name in ("api_list", "api_filtered", "html_list", "stats"):
        figures = t.get(name, {})
        if "p99_ms" in figures:
            p99 = figures["p99_ms"]
            out.append(
                (f"p99 {name} (< 100 ms)", p99, 100, "pass" if p99 < 100 else "FAIL")
            )
    present = {n: f for n, f in t.items() if "rps" in f}
    bad = sum(f["non_2xx"] + f["socket_errors"] for f in present.values())
    out.append(
        ("non-2xx and socket errors (= 0)", bad, 0, "pass" if bad == 0 else "FAIL")
    )
    scaling = list(results.get("scaling", {}).items())
    if not scaling:
        out.append(("filtered p50 large/small (≤ 1.5×)", None, 1.5, "not measured"))
    for n, (label, entry) in enumerate(scaling):
        small, large = entry.get("small", {}), entry.get("large", {})
        name = f"filtered p50 large/small [{label}]"
        if not (small.get("p50_ms") and large.get("p50_ms")):
            out.append((name, None, 1.5, "not measured"))
            continue
        r = large["p50_ms"] / small["p50_ms"]
        if n == 0:
            out.append((f"{name} (≤ 1.5×)", r, 1.5, "pass" if r <= 1.5 else "FAIL"))
        else:
            out.append((name, r, None, "for information"))
    return out


def report(results):
    lines = [
        "",
        f"{'target':<22}{'rps':>10}{'p50 ms':>10}{'p99 ms':>10}{'non-2xx':>9}  path",
    ]
    for name, f in results["targets"].items():
        if f.get("missing"):
            lines.append(f"{name:<22}{'missing (404)':>39}  {f.get('path', '')}")
        elif "rps" not in f:
            lines.append(f"{name:<22}  error: {f.get('error')}  {f.get('path', '')}")
        else:
            lines.append(
                f"{name:<22}{f['rps']:>10.0f}{f['p50_ms']:>10.2f}{f['p99_ms']:>10.2f}"
                f"{f['non_2xx'] + f['socket_errors']:>9}  {f.get('path', '')}"
            )
    for label, entry in results.get("scaling", {}).items():
        for size in ("small", "large"):
            f = entry.get(size, {})
            if "error" in f:
                lines.append(f"filtered p50 ({size}, cache off): {f['error']}")
            if "p50_ms" in f:
                lines.append(
                    f"filtered p50 ({size}, cache off): {f['p50_ms']:.2f} ms,"
                    f" {f['rows']} rows  [{label}]"
                )
    lines.append("")
    for label, value, _, verdict in results["checks"]:
        shown = "—" if value is None else f"{value:.2f}"
        lines.append(f"{label:<60}{shown:>10}  {verdict}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
