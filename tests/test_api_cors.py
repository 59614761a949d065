from django.urls import reverse

from tests.api_base import ApiTestCase


class CorsTests(ApiTestCase):
    def test_any_origin_may_read_the_api_without_credentials(self):
        r = self.client.get(
            reverse("api:incident-list"), HTTP_ORIGIN="https://charts.example.net"
        )
        self.assertEqual(r["Access-Control-Allow-Origin"], "*")
        self.assertNotIn("Access-Control-Allow-Credentials", r)
        self.assertIn("ETag", r["Access-Control-Expose-Headers"])

    def test_preflight_allows_reads_only(self):
        r = self.client.options(
            reverse("api:incident-list"),
            HTTP_ORIGIN="https://charts.example.net",
            HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        )
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r["Access-Control-Allow-Origin"], "*")
        methods = {m.strip() for m in r["Access-Control-Allow-Methods"].split(",")}
        self.assertEqual(methods, {"GET", "HEAD", "OPTIONS"})

    def test_pages_outside_the_api_are_not_shared(self):
        r = self.client.get("/", HTTP_ORIGIN="https://charts.example.net")
        self.assertNotIn("Access-Control-Allow-Origin", r)
