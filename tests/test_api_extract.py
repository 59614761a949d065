import json

from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from rest_framework import status
from rest_framework.authtoken.models import Token
from rest_framework.test import APITestCase

from incidents.extraction import MAX_TEXT_LENGTH
from incidents.models import Incident, Source
from tests.factories import make_user
from tests.test_extraction import SEED_ARTICLE, make_places, make_weapons


class ExtractApiTests(APITestCase):
    url = reverse("api:extract")

    @classmethod
    def setUpTestData(cls):
        make_places()
        make_weapons()
        cls.journalist = make_user("journalist")
        cls.token = Token.objects.create(user=cls.journalist)

    def post(self, body, token=True, **kwargs):
        if token:
            self.client.credentials(HTTP_AUTHORIZATION=f"Token {self.token.key}")
        return self.client.post(self.url, body, format="json", **kwargs)

    def test_it_returns_the_two_drafts_of_the_seed_article(self):
        r = self.post(
            {
                "text": SEED_ARTICLE.read_text(encoding="utf-8"),
                "publisher": "Matin.info",
                "published_on": "2024-11-10",
            }
        )
        self.assertEqual(r.status_code, status.HTTP_200_OK, r.content)
        body = r.json()
        self.assertEqual(body["language"], "fr")
        first, second = body["drafts"]
        self.assertEqual(first["attacker"]["value"], "RU")
        self.assertEqual(first["drones_launched"]["value"], 145)
        self.assertIn("145 drones russes", first["drones_launched"]["evidence"])
        self.assertEqual(second["attacker"]["value"], "ZZ")
        self.assertEqual(second["attribution"]["value"], "unclaimed")
        self.assertIsNone(second["drones_launched"]["value"])
        self.assertEqual(second["drones_intercepted"]["value"], 34)
        self.assertEqual(second["started_at"]["value"], "2024-11-09T00:00:00+02:00")
        self.assertEqual(
            sorted(p["location"] for p in second["places"]),
            ["domodedovo-ru", "ramenskoye-ru"],
        )
        self.assertEqual(second["sources"][0]["claimant"], "Russian authorities")

    def test_it_saves_nothing(self):
        self.post({"text": "Overnight, Russia launched 80 Shahed drones at Ukraine."})
        self.assertEqual(Incident.objects.count(), 0)
        self.assertEqual(Source.objects.count(), 0)

    def test_it_rejects_anonymous_clients(self):
        r = self.post({"text": "80 drones."}, token=False)
        self.assertEqual(r.status_code, status.HTTP_401_UNAUTHORIZED)

    def test_it_rejects_a_bad_body_with_field_messages(self):
        r = self.post(
            {"text": "", "published_on": "10/11/2024", "url": "nope", "language": "de"}
        )
        self.assertEqual(r.status_code, status.HTTP_400_BAD_REQUEST)
        self.assertEqual(set(r.json()), {"text", "published_on", "url", "language"})

    def test_it_rejects_a_text_over_the_size_limit(self):
        r = self.post({"text": "x" * (MAX_TEXT_LENGTH + 1)})
        self.assertEqual(r.status_code, status.HTTP_400_BAD_REQUEST)
        self.assertIn("text", r.json())

    def test_it_rejects_malformed_json(self):
        self.client.credentials(HTTP_AUTHORIZATION=f"Token {self.token.key}")
        r = self.client.post(
            self.url, data="{not json", content_type="application/json"
        )
        self.assertEqual(r.status_code, status.HTTP_400_BAD_REQUEST)

    def test_a_huge_body_is_refused_without_a_server_error(self):
        self.client.credentials(HTTP_AUTHORIZATION=f"Token {self.token.key}")
        body = json.dumps({"text": "x" * 3_000_000})
        r = self.client.post(self.url, data=body, content_type="application/json")
        self.assertEqual(r.status_code, status.HTTP_400_BAD_REQUEST)

    def test_the_schema_documents_the_endpoint(self):
        schema = SchemaGenerator().get_schema(request=None, public=True)
        operation = schema["paths"]["/api/v1/extract/"]["post"]
        self.assertEqual(operation["operationId"], "extract_drafts")
        response = operation["responses"]["200"]["content"]["application/json"]
        self.assertEqual(
            response["schema"]["$ref"], "#/components/schemas/ExtractResponse"
        )
