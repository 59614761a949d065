import json
import tempfile
from pathlib import Path

from django.test import SimpleTestCase

from tests.deploy import (
    ROOT,
    manage,
    production_env,
    read_env_example,
    run_python,
    settings_variables,
)


class DeploySettingsTests(SimpleTestCase):
    def _env(self, **overrides):
        db = Path(tempfile.mkdtemp()) / "check.sqlite3"
        return production_env(DATABASE_URL=f"sqlite:///{db}", **overrides)

    def test_check_deploy_passes_with_the_documented_production_env(self):
        result = manage("check", "--deploy", "--fail-level", "WARNING", env=self._env())
        self.assertEqual(result.returncode, 0, result.stderr + result.stdout)
        self.assertIn("System check identified no issues", result.stdout)
        self.assertNotIn("WARNING", result.stderr)

    def test_check_deploy_fails_without_https_settings(self):
        env = self._env(
            DJANGO_SECURE_SSL_REDIRECT="false",
            DJANGO_SECURE_HSTS_SECONDS="0",
            DJANGO_SESSION_COOKIE_SECURE="false",
        )
        result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
        self.assertNotEqual(result.returncode, 0)
        for check in ("security.W004", "security.W008", "security.W012"):
            self.assertIn(check, result.stderr)

    def test_env_example_documents_every_setting(self):
        text = (ROOT / ".env.example").read_text()
        missing = [
            name for name in sorted(settings_variables()) if f"{name}=" not in text
        ]
        self.assertEqual(missing, [])
        # Sanity of the reader itself: it found the settings' variables.
        self.assertIn("DJANGO_SECURE_HSTS_SECONDS", settings_variables())
        self.assertIn("REDIS_URL", read_env_example())

    def test_production_settings_are_secure_by_default(self):
        code = (
            "import json, config.settings as s;"
            "print(json.dumps([s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
            " s.STORAGES['staticfiles']['BACKEND'], s.SESSION_ENGINE,"
            " s.CACHES['default']['BACKEND']]))"
        )
        env = self._env()
        for name in ("DJANGO_SESSION_COOKIE_SECURE", "DJANGO_CSRF_COOKIE_SECURE"):
            del env[name]
        result = run_python(code, env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(
            json.loads(result.stdout),
            [
                True,
                True,
                "whitenoise.storage.CompressedManifestStaticFilesStorage",
                "django.contrib.sessions.backends.db",
                "django.core.cache.backends.locmem.LocMemCache",
            ],
        )

    def test_redis_url_shares_cache_and_sessions(self):
        code = (
            "import json, config.settings as s;"
            "print(json.dumps([[n, c['BACKEND'], c['LOCATION'], c.get('KEY_PREFIX')]"
            " for n, c in s.CACHES.items()] + [s.SESSION_ENGINE]))"
        )
        result = run_python(code, self._env(REDIS_URL="redis://cache:6379/1"))
        self.assertEqual(result.returncode, 0, result.stderr)
        redis = "django.core.cache.backends.redis.RedisCache"
        self.assertEqual(
            json.loads(result.stdout),
            [
                # Answers, and the rate-limit counters under their own prefix.
                ["default", redis, "redis://cache:6379/1", "incidents"],
                ["throttle", redis, "redis://cache:6379/1", "incidents-throttle"],
                # Each process's copies of the answers it served.
                [
                    "answers",
                    "django.core.cache.backends.locmem.LocMemCache",
                    "incidents-answers",
                    None,
                ],
                "django.contrib.sessions.backends.cached_db",
            ],
        )

    def test_collectstatic_writes_compressed_hashed_files(self):
        static_root = Path(tempfile.mkdtemp())
        result = manage(
            "collectstatic",
            "--noinput",
            env=self._env(DJANGO_STATIC_ROOT=str(static_root)),
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        manifest = json.loads((static_root / "staticfiles.json").read_text())
        hashed = manifest["paths"]["incidents/site.css"]
        self.assertRegex(hashed, r"^incidents/site\.[0-9a-f]{12}\.css$")
        self.assertTrue((static_root / hashed).is_file())
        self.assertTrue((static_root / f"{hashed}.gz").is_file())
