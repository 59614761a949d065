"""Anonymous API reads come from the shared public cache; nobody else's do."""

from django.core.cache import cache
from django.urls import reverse
from rest_framework import status

from incidents.models import Incident
from tests.api_base import ApiTestCase
from tests.factories import make_incident


class ApiCacheTests(ApiTestCase):
    url = reverse("api:incident-list")

    def setUp(self):
        cache.clear()
        self.addCleanup(cache.clear)

    def _ids(self, response):
        return {row["public_id"] for row in response.json()["results"]}

    def test_anonymous_reads_are_cached_per_endpoint(self):
        for url in (
            self.url,
            reverse("api:incident-detail", args=[self.moscow.public_id]),
            reverse("api:location-list"),
            reverse("api:location-detail", args=["kyiv-ua"]),
            reverse("api:stats-list"),
        ):
            with self.subTest(url):
                first = self.client.get(url)
                self.assertEqual(first.status_code, status.HTTP_200_OK)
                self.assertEqual(first["X-Cache"], "miss")
                with self.assertNumQueries(0):
                    second = self.client.get(url)
                self.assertEqual(second["X-Cache"], "hit")
                self.assertEqual(second.content, first.content)
                self.assertEqual(second["ETag"], first["ETag"])
                again = self.client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
                self.assertEqual(again.status_code, status.HTTP_304_NOT_MODIFIED)

    def test_a_publish_through_the_api_shows_on_the_next_anonymous_request(self):
        candidate = make_incident(status=Incident.Status.IN_REVIEW)
        before = self.client.get(self.url)
        self.assertNotIn(candidate.public_id, self._ids(before))
        self.assertEqual(self.client.get(self.url)["X-Cache"], "hit")
        self.as_editor()
        r = self.client.post(
            reverse("api:incident-publish", args=[candidate.public_id]),
            {},
            format="json",
        )
        self.assertEqual(r.status_code, status.HTTP_200_OK, r.content)
        self.client.credentials()
        after = self.client.get(self.url, HTTP_IF_NONE_MATCH=before["ETag"])
        self.assertEqual(after.status_code, status.HTTP_200_OK)
        self.assertIn(candidate.public_id, self._ids(after))
        stats = self.client.get(reverse("api:stats-list")).json()
        self.assertEqual(stats["totals"]["incidents"], 3)

    def test_a_token_client_never_gets_the_cached_anonymous_answer(self):
        anonymous = self.client.get(self.url)
        self.assertNotIn(self.draft.public_id, self._ids(anonymous))
        self.assertEqual(self.client.get(self.url)["X-Cache"], "hit")
        self.as_editor()
        r = self.client.get(self.url)
        self.assertNotIn("X-Cache", r)
        self.assertIn(self.draft.public_id, self._ids(r))
        # ...nor a 304 for the anonymous copy's ETag.
        r = self.client.get(self.url, HTTP_IF_NONE_MATCH=anonymous["ETag"])
        self.assertEqual(r.status_code, status.HTTP_200_OK)
        stats = self.client.get(reverse("api:stats-list")).json()
        self.assertEqual(stats["totals"]["incidents"], 3)

    def test_a_session_client_bypasses_the_cache(self):
        self.client.get(self.url)
        self.client.force_login(self.editor)
        r = self.client.get(self.url)
        self.assertNotIn("X-Cache", r)
        self.assertIn(self.draft.public_id, self._ids(r))

    def test_renaming_a_place_refreshes_locations_and_stats_etags(self):
        places = reverse("api:location-list")
        first = self.client.get(places)
        self.kyiv_place.name = "Kyiv City"
        self.kyiv_place.save()
        r = self.client.get(places, HTTP_IF_NONE_MATCH=first["ETag"])
        self.assertEqual(r.status_code, status.HTTP_200_OK)
        self.assertIn("Kyiv City", r.content.decode())
        stats = reverse("api:stats-list")
        first = self.client.get(stats)
        self.shahed.name = "Geran-2"
        self.shahed.save()
        r = self.client.get(stats, HTTP_IF_NONE_MATCH=first["ETag"])
        self.assertEqual(r.status_code, status.HTTP_200_OK)
        self.assertIn("Geran-2", r.content.decode())

    def test_token_clients_get_304_on_stats_and_locations_too(self):
        self.as_reader()
        for url in (reverse("api:stats-list"), reverse("api:location-list")):
            with self.subTest(url):
                etag = self.client.get(url)["ETag"]
                r = self.client.get(url, HTTP_IF_NONE_MATCH=etag)
                self.assertEqual(r.status_code, status.HTTP_304_NOT_MODIFIED)

    def test_anonymous_cached_reads_are_still_throttled(self):
        from django.conf import settings

        with self.settings(
            REST_FRAMEWORK={
                **settings.REST_FRAMEWORK,
                "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "100/minute"},
            }
        ):
            codes = [self.client.get(self.url).status_code for _ in range(3)]
        self.assertEqual(codes, [200, 200, 429])
