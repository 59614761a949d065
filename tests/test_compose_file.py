import os
import runpy
import subprocess
import sys
from pathlib import Path

from django.test import SimpleTestCase
from ruamel.yaml import YAML

from tests.deploy import ROOT, production_env

BIN = Path(sys.executable).parent


class ComposeFileTests(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.compose = YAML(typ="safe").load((ROOT / "docker-compose.yml").read_text())
        cls.services = cls.compose["services"]

    def test_it_matches_the_compose_spec_schema(self):
        result = subprocess.run(
            [
                BIN / "check-jsonschema",
                "--builtin-schema",
                "vendor.compose-spec",
                ROOT / "docker-compose.yml",
            ],
            capture_output=True,
            text=True,
        )
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    def test_the_schema_check_rejects_a_broken_file(self):
        broken = ROOT / "test-output" / "broken-compose.yml"
        broken.parent.mkdir(exist_ok=True)
        broken.write_text("services:\n  web:\n    depends_on: 5\n")
        result = subprocess.run(
            [
                BIN / "check-jsonschema",
                "--builtin-schema",
                "vendor.compose-spec",
                broken,
            ],
            capture_output=True,
            text=True,
        )
        self.assertNotEqual(result.returncode, 0)

    def test_db_is_postgres_16_with_a_named_volume_and_health_check(self):
        db = self.services["db"]
        self.assertEqual(db["image"], "postgres:16")
        volume, _, target = db["volumes"][0].partition(":")
        self.assertIn(volume, self.compose["volumes"])
        self.assertEqual(target, "/var/lib/postgresql/data")
        self.assertIn("pg_isready", " ".join(db["healthcheck"]["test"]))

    def test_web_runs_gunicorn_with_its_config_after_db_and_migrate(self):
        web = self.services["web"]
        self.assertEqual(
            web["command"], ["gunicorn", "-c", "gunicorn.conf.py", "config.wsgi"]
        )
        self.assertEqual(
            web["depends_on"],
            {
                "db": {"condition": "service_healthy"},
                "migrate": {"condition": "service_completed_successfully"},
            },
        )
        self.assertIn("/healthz", " ".join(web["healthcheck"]["test"]))
        self.assertEqual(web["build"], ".")
        self.assertIn("@db:5432/", web["environment"]["DATABASE_URL"])

    def test_migrate_is_a_one_shot_step_that_waits_for_the_db(self):
        migrate = self.services["migrate"]
        self.assertIn("manage.py migrate --noinput", migrate["command"])
        self.assertIn("manage.py collectstatic --noinput", migrate["command"])
        self.assertEqual(migrate["restart"], "no")
        self.assertEqual(migrate["depends_on"]["db"]["condition"], "service_healthy")
        # It writes the static files the web replicas serve.
        self.assertEqual(migrate["volumes"], self.services["web"]["volumes"])

    def test_redis_is_optional(self):
        self.assertEqual(self.services["redis"]["profiles"], ["redis"])
        self.assertNotIn("redis", self.services["web"]["depends_on"])

    def test_dockerfile_serves_with_gunicorn_and_its_config(self):
        dockerfile = (ROOT / "Dockerfile").read_text()
        self.assertIn(
            'CMD ["gunicorn", "-c", "gunicorn.conf.py", "config.wsgi"]', dockerfile
        )
        self.assertIn("USER app", dockerfile)
        ignored = (ROOT / ".dockerignore").read_text().split()
        for path in (".env", ".venv", ".git"):
            self.assertIn(path, ignored)


class GunicornConfigTests(SimpleTestCase):
    def _load(self, **env):
        saved = dict(os.environ)
        os.environ.update(env)
        try:
            return runpy.run_path(str(ROOT / "gunicorn.conf.py"))
        finally:
            os.environ.clear()
            os.environ.update(saved)

    def test_workers_and_timeouts_come_from_the_environment(self):
        conf = self._load(GUNICORN_WORKERS="3", GUNICORN_TIMEOUT="12")
        self.assertEqual(conf["workers"], 3)
        self.assertEqual(conf["timeout"], 12)
        # The app logs each request; gunicorn's access log stays off.
        self.assertIsNone(conf["accesslog"])

    def test_a_bad_number_stops_gunicorn(self):
        with self.assertRaises(SystemExit) as raised:
            self._load(GUNICORN_WORKERS="many")
        self.assertIn("GUNICORN_WORKERS", str(raised.exception))

    def test_gunicorn_accepts_the_config_and_loads_the_app(self):
        result = subprocess.run(
            [
                BIN / "gunicorn",
                "--check-config",
                "-c",
                "gunicorn.conf.py",
                "config.wsgi",
            ],
            cwd=ROOT,
            env=production_env(DATABASE_URL="sqlite:///:memory:"),
            capture_output=True,
            text=True,
            timeout=60,
        )
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
