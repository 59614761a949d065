import shutil
import socket
import subprocess
import time

import pytest
from django.core.cache import cache, caches
from django.test import TestCase, override_settings
from django.urls import reverse

from incidents.cache import record_version
from tests.deploy import closed_port
from tests.factories import make_incident, make_location

pytestmark = pytest.mark.skipif(
    not shutil.which("redis-server"), reason="redis-server not installed"
)


class RedisCacheTests(TestCase):
    """The shared cache of a scaled-out deployment, on a real Redis."""

    @classmethod
    def setUpClass(cls):
        cls.port = closed_port()
        cls.redis = subprocess.Popen(
            ["redis-server", "--port", str(cls.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", cls.port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    cls.redis.kill()
                    raise
                time.sleep(0.05)
        redis = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{cls.port}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
        # As config/settings.py sets them up when REDIS_URL is set.
        cls.override = override_settings(
            CACHES={
                "default": redis,
                "throttle": {**redis, "KEY_PREFIX": "throttle"},
                "answers": {
                    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                    "LOCATION": "redis-tests-answers",
                },
            }
        )
        cls.override.enable()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.override.disable()
        cls.redis.terminate()
        cls.redis.wait(timeout=10)

    def setUp(self):
        for each in caches.all():
            each.clear()

    def test_health_and_cached_pages_work_on_redis(self):
        self.assertEqual(self.client.get(reverse("healthz")).status_code, 200)
        url = reverse("incidents:list")
        self.assertEqual(self.client.get(url)["X-Cache"], "miss")
        self.assertEqual(self.client.get(url)["X-Cache"], "hit")

    def test_a_save_drops_the_cached_answers(self):
        url = reverse("incidents:list")
        self.assertEqual(self.client.get(url)["X-Cache"], "miss")
        self.assertEqual(self.client.get(url)["X-Cache"], "hit")
        before = record_version()
        make_incident(places=[make_location("Mozhaysk")])
        self.assertGreater(record_version(), before)
        r = self.client.get(url)
        self.assertEqual(r["X-Cache"], "miss")
        self.assertContains(r, "Mozhaysk")

    def test_each_process_keeps_near_copies_that_a_change_drops(self):
        url = reverse("incidents:list")
        first = self.client.get(url)
        self.assertEqual(first["X-Cache"], "miss")
        # Stored in Redis for every process, and near, in this one.
        self.assertEqual(len(cache._cache.get_client().keys("*public:*")), 1)
        cache.clear()
        again = self.client.get(url)
        self.assertEqual(again["X-Cache"], "hit")  # from this process's copy
        self.assertEqual(again.content, first.content)
        # A change moves the record version on: the near copy is not used.
        make_incident(places=[make_location("Zhukovsky")])
        r = self.client.get(url)
        self.assertEqual(r["X-Cache"], "miss")
        self.assertContains(r, "Zhukovsky")
