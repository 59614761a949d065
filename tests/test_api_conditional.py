from django.urls import reverse
from rest_framework import status

from incidents.cache import forget_record_version
from tests.api_base import ApiTestCase
from tests.factories import make_incident


class ConditionalRequestTests(ApiTestCase):
    url = reverse("api:incident-list")

    def _detail(self, incident):
        return reverse("api:incident-detail", args=[incident.public_id])

    def test_list_answers_304_to_a_matching_etag(self):
        r = self.client.get(self.url, {"side": "RU"})
        self.assertEqual(r.status_code, status.HTTP_200_OK)
        etag = r["ETag"]
        self.assertTrue(etag.startswith('"'))
        # Anonymous: answered from the public cache, without the database.
        with self.assertNumQueries(0):
            again = self.client.get(self.url, {"side": "RU"}, HTTP_IF_NONE_MATCH=etag)
        self.assertEqual(again.status_code, status.HTTP_304_NOT_MODIFIED)
        self.assertEqual(again.content, b"")
        self.assertEqual(again["ETag"], etag)
        # A token client: validated by the record version, no rows read.
        self.as_reader()
        with self.settings(RECORD_VERSION_SECONDS=60):
            etag = self.client.get(self.url, {"side": "RU"})["ETag"]
            # The token, the user's and the group permissions; the record
            # version was read by the request before.
            with self.assertNumQueries(3):
                again = self.client.get(
                    self.url, {"side": "RU"}, HTTP_IF_NONE_MATCH=etag
                )
            self.assertEqual(again.status_code, status.HTTP_304_NOT_MODIFIED)
            # Once the process's copy is old, one more read of the one-row
            # table, still not of the incidents.
            forget_record_version()
            with self.assertNumQueries(4) as queries:
                again = self.client.get(
                    self.url, {"side": "RU"}, HTTP_IF_NONE_MATCH=etag
                )
            self.assertEqual(again.status_code, status.HTTP_304_NOT_MODIFIED)
            self.assertIn(
                "incidents_recordversion", queries.captured_queries[-1]["sql"]
            )

    def test_a_change_in_the_filtered_rows_changes_the_etag(self):
        etag = self.client.get(self.url)["ETag"]
        self.ukraine.summary = "Edited."
        self.ukraine.save()
        r = self.client.get(self.url, HTTP_IF_NONE_MATCH=etag)
        self.assertEqual(r.status_code, status.HTTP_200_OK)
        self.assertNotEqual(r["ETag"], etag)
        etag = r["ETag"]
        self.ukraine.delete()
        self.assertEqual(
            self.client.get(self.url, HTTP_IF_NONE_MATCH=etag).status_code,
            status.HTTP_200_OK,
        )

    def test_etag_differs_by_filter_format_and_page(self):
        etags = {
            self.client.get(self.url, params)["ETag"]
            for params in ({}, {"side": "RU"}, {"format": "csv"}, {"page_size": 1})
        }
        self.assertEqual(len(etags), 4)

    def test_a_new_draft_does_not_change_the_public_list(self):
        # Any save moves the record version on (so the ETag may change), but
        # the public answer stays the same.
        before = self.client.get(self.url).json()
        make_incident(status="draft")
        r = self.client.get(self.url)
        self.assertEqual(r.status_code, status.HTTP_200_OK)
        self.assertEqual(r.json(), before)

    def test_renaming_a_place_or_weapon_in_the_list_changes_the_etag(self):
        for thing in (self.kyiv_place, self.shahed):
            first = self.client.get(self.url)
            thing.name = f"{thing.name} (renamed)"
            thing.save()
            r = self.client.get(self.url, HTTP_IF_NONE_MATCH=first["ETag"])
            self.assertEqual(r.status_code, status.HTTP_200_OK)
            self.assertNotEqual(r["ETag"], first["ETag"])
            self.assertIn(thing.name, r.content.decode())

    def test_last_modified_and_if_modified_since(self):
        r = self.client.get(self._detail(self.moscow))
        last_modified = r["Last-Modified"]
        self.assertTrue(last_modified.endswith("GMT"))
        again = self.client.get(
            self._detail(self.moscow), HTTP_IF_MODIFIED_SINCE=last_modified
        )
        self.assertEqual(again.status_code, status.HTTP_304_NOT_MODIFIED)
        list_modified = self.client.get(self.url)["Last-Modified"]
        listed = self.client.get(self.url, HTTP_IF_MODIFIED_SINCE=list_modified)
        self.assertEqual(listed.status_code, status.HTTP_304_NOT_MODIFIED)

    def test_detail_etag_follows_updates(self):
        etag = self.client.get(self._detail(self.moscow))["ETag"]
        self.assertEqual(
            self.client.get(
                self._detail(self.moscow), HTTP_IF_NONE_MATCH=etag
            ).status_code,
            status.HTTP_304_NOT_MODIFIED,
        )
        self.moscow.drones_launched = 40
        self.moscow.save()
        r = self.client.get(self._detail(self.moscow), HTTP_IF_NONE_MATCH=etag)
        self.assertEqual(r.status_code, status.HTTP_200_OK)
        self.assertEqual(r.json()["drones_launched"], 40)
