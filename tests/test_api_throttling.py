import os
from unittest import mock

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from rest_framework import status

from tests.api_base import ApiTestCase


class ThrottlingTests(ApiTestCase):
    url = reverse("api:incident-list")

    def _rates(self, anon, user):
        return self.settings(
            REST_FRAMEWORK={
                **settings.REST_FRAMEWORK,
                "DEFAULT_THROTTLE_RATES": {"anon": anon, "user": user},
            }
        )

    def setUp(self):
        caches["throttle"].clear()
        self.addCleanup(caches["throttle"].clear)

    def test_anonymous_clients_get_429_with_retry_after(self):
        with self._rates("2/minute", "100/minute"):
            codes = [self.client.get(self.url).status_code for _ in range(2)]
            r = self.client.get(self.url)
        self.assertEqual(codes, [200, 200])
        self.assertEqual(r.status_code, status.HTTP_429_TOO_MANY_REQUESTS)
        self.assertGreater(int(r["Retry-After"]), 0)
        self.assertLessEqual(int(r["Retry-After"]), 60)
        self.assertIn("detail", r.json())

    def test_anonymous_clients_are_held_to_the_anonymous_rate_only(self):
        # The user rate is for tokens and sessions; it does not also count
        # anonymous requests by address.
        with self._rates("3/minute", "1/minute"):
            codes = [self.client.get(self.url).status_code for _ in range(4)]
        self.assertEqual(codes, [200, 200, 200, 429])

    def test_authenticated_clients_have_their_own_rate(self):
        with self._rates("1/minute", "3/minute"):
            self.assertEqual(self.client.get(self.url).status_code, 200)
            self.assertEqual(self.client.get(self.url).status_code, 429)
            self.as_journalist()
            codes = [self.client.get(self.url).status_code for _ in range(4)]
        self.assertEqual(codes, [200, 200, 200, 429])

    def test_rates_are_read_from_the_environment_and_checked(self):
        from config.settings import _env_rate

        with mock.patch.dict(os.environ, {"API_THROTTLE_ANON": "30/hour"}):
            self.assertEqual(_env_rate("API_THROTTLE_ANON", "120/minute"), "30/hour")
        with (
            mock.patch.dict(os.environ, {"API_THROTTLE_ANON": "lots"}),
            self.assertRaises(ImproperlyConfigured),
        ):
            _env_rate("API_THROTTLE_ANON", "120/minute")
        with mock.patch.dict(os.environ, clear=True):
            self.assertEqual(_env_rate("API_THROTTLE_ANON", "120/minute"), "120/minute")

    def test_a_client_cannot_escape_the_limit_with_a_forged_forwarded_for(self):
        with self._rates("1/minute", "100/minute"):
            self.assertEqual(self.client.get(self.url).status_code, 200)
            r = self.client.get(self.url, HTTP_X_FORWARDED_FOR="203.0.113.9")
        self.assertEqual(r.status_code, status.HTTP_429_TOO_MANY_REQUESTS)


class ThrottleCountersTests(ApiTestCase):
    def test_a_crowd_of_new_readers_does_not_push_cached_answers_out(self):
        # More distinct addresses than the per-process answer cache holds
        # entries: their counters must not evict the cached pages.
        page = reverse("incidents:list")
        self.assertEqual(self.client.get(page)["X-Cache"], "miss")
        limit = settings.CACHES["default"]["OPTIONS"]["MAX_ENTRIES"]
        url = reverse("api:incident-list")
        with self.settings(
            REST_FRAMEWORK={
                **settings.REST_FRAMEWORK,
                "DEFAULT_THROTTLE_RATES": {"anon": "5/minute", "user": "5/minute"},
            }
        ):
            for n in range(limit + 200):
                address = f"10.{n // 65536}.{n // 256 % 256}.{n % 256}"
                r = self.client.get(url, REMOTE_ADDR=address)
                self.assertEqual(r.status_code, status.HTTP_200_OK)
            # The counters are kept: 10.0.0.1 has one request counted above,
            # four more reach its limit of five.
            codes = [
                self.client.get(url, REMOTE_ADDR="10.0.0.1").status_code
                for _ in range(5)
            ]
        self.assertEqual(codes, [200, 200, 200, 200, 429])
        self.assertEqual(self.client.get(page)["X-Cache"], "hit")
