"""Helpers for tests that run the app in a separate process with a chosen
environment, as it runs in production."""

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = "k3-" + "x7Qp9Lm2Rz8Vt4Wn6Yb1Hc5Jd0Fg3Ks" * 2


def read_env_example():
    """KEY=VALUE pairs of .env.example (comments and blanks skipped)."""
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition("=")
        values[key.strip()] = value.strip().strip('"')
    return values


def settings_variables():
    """Names of every environment variable that config/settings.py reads."""
    source = (ROOT / "config" / "settings.py").read_text()
    pattern = r'env_(?:str|bool|int|float|list)\(\s*"([A-Z0-9_]+)"'
    names = set(re.findall(pattern, source))
    return names | {"DATABASE_URL"}  # read by dj_database_url.config()


def production_env(**overrides):
    """The environment of .env.example, as in production, on top of PATH."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env.update(read_env_example())
    env["DJANGO_SECRET_KEY"] = STRONG_KEY
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    env.update(overrides)
    return env


def closed_port():
    """A loopback port on which nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_python(code, env, timeout=120):
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def manage(*args, env, timeout=300):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


POSTGRES = "postgres://postgres@127.0.0.1:5432"


def postgres_admin():
    """A connection to the local server's maintenance database (raises
    psycopg.OperationalError when no server answers)."""
    import psycopg

    return psycopg.connect(f"{POSTGRES}/postgres", autocommit=True, connect_timeout=3)


def create_database(name):
    """An empty throwaway database on the local server; its URL."""
    with postgres_admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{POSTGRES}/{name}"


def drop_database(name):
    with postgres_admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
