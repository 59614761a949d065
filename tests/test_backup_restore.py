"""The backup path of README "Deploying": pg_dump -Fc, then pg_restore into
an empty database, gives back the same record."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg
import pytest
from django.test import SimpleTestCase

from tests.deploy import manage, production_env

SERVER = "postgres://postgres@127.0.0.1:5432"
TABLES = [
    ("incidents_incident", "public_id"),
    ("incidents_location", "slug"),
    ("incidents_weaponmodel", "name"),
    ("incidents_incidentlocation", "id"),
    ("incidents_weaponline", "id"),
    ("incidents_source", "id"),
]


def _admin():
    return psycopg.connect(f"{SERVER}/postgres", autocommit=True, connect_timeout=3)


def _rows(dbname):
    with psycopg.connect(f"{SERVER}/{dbname}") as conn:
        return {
            table: conn.execute(f"SELECT * FROM {table} ORDER BY {key}").fetchall()
            for table, key in TABLES
        }


@pytest.mark.skipif(
    not (shutil.which("pg_dump") and shutil.which("pg_restore")),
    reason="pg_dump/pg_restore not installed",
)
class BackupRestoreTests(SimpleTestCase):
    def setUp(self):
        try:
            _admin().close()
        except psycopg.OperationalError:
            self.skipTest("no PostgreSQL on 127.0.0.1:5432")
        base = os.environ.get("DATABASE_URL", "").rsplit("/", 1)[-1] or "incidents"
        base = "".join(c for c in base if c.isalnum() or c == "_")[:30]
        self.source = f"{base}_backup_{os.getpid()}"
        self.target = f"{base}_restore_{os.getpid()}"
        with _admin() as conn:
            for name in (self.source, self.target):
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{name}"')
        self.addCleanup(self._drop)

    def _drop(self):
        with _admin() as conn:
            for name in (self.source, self.target):
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def test_a_dump_restores_into_an_empty_database_with_the_same_rows(self):
        env = production_env(DATABASE_URL=f"{SERVER}/{self.source}")
        for command in (["migrate", "--noinput"], ["load_demo"]):
            result = manage(*command, env=env)
            self.assertEqual(result.returncode, 0, result.stderr)
        dump = Path(tempfile.mkdtemp()) / "incidents.dump"
        subprocess.run(
            ["pg_dump", "-Fc", "-f", dump, f"{SERVER}/{self.source}"], check=True
        )
        subprocess.run(
            ["pg_restore", "--no-owner", "-d", f"{SERVER}/{self.target}", dump],
            check=True,
        )
        before, after = _rows(self.source), _rows(self.target)
        self.assertEqual(len(before["incidents_incident"]), 2)
        self.assertGreater(len(before["incidents_source"]), 0)
        self.assertEqual(after, before)
        # The restored database is a working one: the app sees nothing to migrate.
        env["DATABASE_URL"] = f"{SERVER}/{self.target}"
        result = manage("migrate", "--check", env=env)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
