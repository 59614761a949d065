import json

from django.test import TestCase, override_settings
from django.urls import reverse

from tests.deploy import closed_port, production_env, run_python


class HealthzTests(TestCase):
    url = reverse("healthz")

    def test_it_answers_200_when_database_and_cache_answer(self):
        r = self.client.get(self.url)
        self.assertEqual(r.status_code, 200)
        self.assertEqual(
            r.json(),
            {"status": "ok", "checks": {"database": "ok", "cache": "ok"}, "failed": []},
        )
        self.assertIn("no-cache", r["Cache-Control"])

    def test_it_answers_503_naming_the_cache_when_the_cache_is_down(self):
        down = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
                "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
            }
        }
        with override_settings(CACHES=down):
            r = self.client.get(self.url)
        self.assertEqual(r.status_code, 503)
        self.assertEqual(r.json()["failed"], ["cache"])
        self.assertEqual(r.json()["checks"]["database"], "ok")

    def test_it_is_never_served_from_the_cache(self):
        first = self.client.get(self.url)
        second = self.client.get(self.url)
        self.assertNotIn("X-Cache", second)
        self.assertEqual(first.status_code, second.status_code)

    def test_it_answers_503_naming_the_database_when_the_database_is_down(self):
        # The app in its own process, its DATABASE_URL on a port nobody serves.
        env = production_env(
            DATABASE_URL=f"postgres://postgres@127.0.0.1:{closed_port()}/nothing",
            DJANGO_ALLOWED_HOSTS="testserver",
            DJANGO_SECURE_SSL_REDIRECT="false",
            DJANGO_REQUEST_LOG="false",
        )
        code = (
            "import django, json; django.setup();"
            "from django.test import Client;"
            "r = Client().get('/healthz');"
            "print(json.dumps([r.status_code, json.loads(r.content)]))"
        )
        result = run_python(code, env)
        self.assertEqual(result.returncode, 0, result.stderr)
        status, body = json.loads(result.stdout.strip().splitlines()[-1])
        self.assertEqual(status, 503)
        self.assertEqual(body["failed"], ["database"])
        self.assertEqual(body["checks"], {"database": "failed", "cache": "ok"})
