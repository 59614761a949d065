import json
import logging

from django.test import TestCase, override_settings
from django.urls import reverse


class RequestLogTests(TestCase):
    def _get(self, url, **headers):
        with self.assertLogs("incidents.requests", level="INFO") as logs:
            response = self.client.get(url, headers=headers)
        self.assertEqual(len(logs.records), 1)
        return response, logs.records[0]

    def test_it_logs_one_line_per_request_with_status_and_duration(self):
        response, record = self._get(reverse("incidents:list") + "?page=1")
        self.assertEqual(record.method, "GET")
        self.assertEqual(record.path, "/")
        self.assertEqual(record.status, 200)
        self.assertIsInstance(record.duration_ms, float)
        self.assertGreater(record.duration_ms, 0)
        self.assertRegex(record.request_id, r"^[0-9a-f]{32}$")
        self.assertEqual(response["X-Request-ID"], record.request_id)

    def test_the_line_is_json(self):
        _, record = self._get("/no-such-page/")
        formatter = logging.getLogger("incidents.requests").handlers[0].formatter
        line = formatter.format(record)
        self.assertNotIn("\n", line)
        fields = json.loads(line)
        self.assertEqual(fields["status"], 404)
        self.assertEqual(fields["path"], "/no-such-page/")
        self.assertEqual(fields["request_id"], record.request_id)
        self.assertEqual(fields["level"], "INFO")

    def test_it_keeps_the_proxys_request_id_and_replaces_a_bogus_one(self):
        given = "lb-4f9c2a7e-0001"
        _, record = self._get("/healthz", **{"X-Request-ID": given})
        self.assertEqual(record.request_id, given)
        _, record = self._get("/healthz", **{"X-Request-ID": "bad id\nforged"})
        self.assertRegex(record.request_id, r"^[0-9a-f]{32}$")

    @override_settings(REQUEST_LOG=False)
    def test_it_can_be_turned_off(self):
        with self.assertNoLogs("incidents.requests"):
            self.client.get("/healthz")
