import io
import re

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tests.api_base import ApiTestCase
from tests.factories import make_user


class SchemaTests(ApiTestCase):
    def test_the_schema_validates_without_warnings(self):
        out = io.StringIO()
        call_command(
            "spectacular",
            "--validate",
            "--fail-on-warn",
            "--format",
            "openapi-json",
            stdout=out,
        )
        self.assertIn('"openapi"', out.getvalue())

    def test_every_filter_and_error_is_documented(self):
        schema = self.client.get(reverse("api-schema"), {"format": "json"}).json()
        listing = schema["paths"]["/api/v1/incidents/"]["get"]
        params = {p["name"]: p for p in listing["parameters"]}
        for name in (
            "date_after",
            "date_before",
            "side",
            "target_country",
            "location",
            "region",
            "drone_model",
            "q",
            "min_launched",
            "updated_since",
            "ordering",
            "cursor",
            "page_size",
            "format",
        ):
            with self.subTest(name):
                self.assertIn(name, params)
                self.assertTrue(params[name].get("description"))
        self.assertIn("any spelling", params["location"]["description"])
        self.assertEqual(set(listing["responses"]), {"200", "304", "400", "429"})
        create = schema["paths"]["/api/v1/incidents/"]["post"]
        self.assertEqual(set(create["responses"]), {"201", "400", "401", "403", "429"})
        self.assertTrue(
            create["requestBody"]["content"]["application/json"]["examples"]
        )
        detail = schema["paths"]["/api/v1/incidents/{public_id}/"]
        self.assertIn("404", detail["get"]["responses"])
        self.assertIn("period", str(schema["paths"]["/api/v1/stats/"]))

    def test_docs_are_served_without_any_cdn(self):
        r = self.client.get(reverse("api-docs"))
        self.assertEqual(r.status_code, 200)
        html = r.content.decode()
        self.assertIn("swagger-ui", html)
        for url in re.findall(r'(?:src|href)="([^"]+)"', html):
            self.assertFalse(url.startswith(("http:", "https:", "//")), url)
        asset = re.search(r'src="([^"]+swagger-ui-bundle\.js)"', html).group(1)
        # Shipped by drf-spectacular-sidecar and collected with the site's static.
        self.assertIsNotNone(finders.find(asset.removeprefix(settings.STATIC_URL)))

    def test_tokens_are_managed_in_the_admin(self):
        admin = make_user("admin", superuser=True)
        self.client.force_login(admin)
        r = self.client.get(reverse("admin:authtoken_tokenproxy_changelist"))
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "journalist")
        self.assertTrue(Token.objects.filter(user=self.journalist).exists())
