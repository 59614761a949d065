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

from tests.deploy import (
    POSTGRES,
    create_database,
    drop_database,
    manage,
    postgres_admin,
    production_env,
)

TABLES = [
    ("incidents_incident", "public_id"),
    ("incidents_location", "slug"),
    ("incidents_weaponmodel", "name"),
    ("incidents_incidentlocation", "id"),
    ("incidents_weaponline", "id"),
    ("incidents_source", "id"),
]


def _rows(dbname):
    with psycopg.connect(f"{POSTGRES}/{dbname}") as conn:
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
            postgres_admin().close()
        except psycopg.OperationalError:
            self.skipTest("no PostgreSQL on 127.0.0.1:5432")
        base = os.environ.get("DATABASE_URL", "").rsplit("/", 1)[-1] or "incidents"
        base = "".join(c for c in base if c.isalnum() or c == "_")[:30]
        self.source = f"{base}_backup_{os.getpid()}"
        self.target = f"{base}_restore_{os.getpid()}"
        for name in (self.source, self.target):
            create_database(name)
        self.addCleanup(self._drop)

    def _drop(self):
        for name in (self.source, self.target):
            drop_database(name)

    def test_a_dump_restores_into_an_empty_database_with_the_same_rows(self):
        env = production_env(DATABASE_URL=f"{POSTGRES}/{self.source}")
        for command in (["migrate", "--noinput"], ["load_demo"]):
            result = manage(*command, env=env)
            self.assertEqual(result.returncode, 0, result.stderr)
        dump = Path(tempfile.mkdtemp()) / "incidents.dump"
        subprocess.run(
            ["pg_dump", "-Fc", "-f", dump, f"{POSTGRES}/{self.source}"], check=True
        )
        subprocess.run(
            ["pg_restore", "--no-owner", "-d", f"{POSTGRES}/{self.target}", dump],
            check=True,
        )
        before, after = _rows(self.source), _rows(self.target)
        self.assertEqual(len(before["incidents_incident"]), 2)
        self.assertGreater(len(before["incidents_source"]), 0)
        self.assertEqual(after, before)
        # The restored database is a working one: the app sees nothing to migrate.
        env["DATABASE_URL"] = f"{POSTGRES}/{self.target}"
        result = manage("migrate", "--check", env=env)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
