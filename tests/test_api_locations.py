import base64
import json

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework import status

from incidents.cache import record_state
from tests.api_base import ApiTestCase
from tests.factories import make_location


class LocationApiTests(ApiTestCase):
    url = reverse("api:location-list")

    def _slugs(self, **params):
        r = self.client.get(self.url, params)
        self.assertEqual(r.status_code, status.HTTP_200_OK, r.content)
        return [p["slug"] for p in r.json()["results"]]

    def test_it_finds_a_place_by_any_spelling(self):
        for spelling in ["Раменское", "ramenskoie", "Ramenskoïe"]:
            with self.subTest(spelling=spelling):
                self.assertEqual(self._slugs(name=spelling), ["ramenskoye-ru"])

    def test_it_filters_by_country_and_region(self):
        self.assertEqual(self._slugs(country="ua"), ["kyiv-ua"])
        self.assertEqual(self._slugs(region="moscow oblast"), ["ramenskoye-ru"])

    def test_detail_by_slug(self):
        r = self.client.get(reverse("api:location-detail", args=["kyiv-ua"]))
        self.assertEqual(r.status_code, status.HTTP_200_OK)
        body = r.json()
        self.assertEqual(body["name"], "Kyiv")
        self.assertEqual(body["latitude"], 50.45466)
        self.assertEqual(body["url"], "http://testserver/places/kyiv-ua/")
        self.assertEqual(body["incident_count"], 1)
        missing = self.client.get(reverse("api:location-detail", args=["nowhere"]))
        self.assertEqual(missing.status_code, status.HTTP_404_NOT_FOUND)

    def test_bad_filter_is_400(self):
        r = self.client.get(self.url, {"country": "Narnia"})
        self.assertEqual(r.status_code, status.HTTP_400_BAD_REQUEST)
        self.assertIn("country", r.json())

    def test_list_query_count_does_not_grow_with_the_page(self):
        for n in range(40):
            make_location(f"Village {n}", slug=f"village-{n}")
        counts = []
        for size in (2, 40):
            record_state()  # once a second per process, not per request
            with CaptureQueriesContext(connection) as ctx:
                r = self.client.get(self.url, {"page_size": size})
            self.assertEqual(len(r.json()["results"]), size)
            counts.append(len(ctx.captured_queries))
        self.assertEqual(counts, [1, 1])

    def test_pages_through_every_place_by_name(self):
        for n in range(5):
            make_location(f"Village {n}", slug=f"village-{n}")
        seen, url, params = [], self.url, {"page_size": 2}
        while url:
            body = self.client.get(url, params).json()
            params = None
            seen += [p["slug"] for p in body["results"]]
            url = body["next"]
        self.assertEqual(len(seen), 7)
        self.assertEqual(len(set(seen)), 7)

    def test_a_forged_cursor_is_400(self):
        forged = base64.urlsafe_b64encode(
            json.dumps({"p": ["Kyiv\x00", 1]}).encode()
        ).decode()
        r = self.client.get(self.url, {"cursor": forged})
        self.assertEqual(r.status_code, status.HTTP_400_BAD_REQUEST)
        self.assertIn("cursor", r.json())
