import json

from django.urls import reverse
from rest_framework import status

from tests.api_base import ApiTestCase


class DraftVisibilityTests(ApiTestCase):
    """A draft never appears in any anonymous answer."""

    def _text(self, response):
        if response.streaming:
            return b"".join(response.streaming_content).decode()
        return response.content.decode()

    def test_no_anonymous_answer_mentions_the_draft(self):
        incidents = reverse("api:incident-list")
        answers = {
            "list": self.client.get(incidents, {"page_size": 500}),
            "location": self.client.get(incidents, {"location": "Ramenskoye"}),
            "weapon": self.client.get(incidents, {"drone_model": "Iskander"}),
            "csv": self.client.get(incidents, {"format": "csv"}),
            "geojson": self.client.get(incidents, {"format": "geojson"}),
            "locations": self.client.get(reverse("api:location-list")),
        }
        for name, r in answers.items():
            with self.subTest(name):
                self.assertEqual(r.status_code, status.HTTP_200_OK)
                self.assertNotIn(self.draft.public_id, self._text(r))
                self.assertNotIn("Unverified draft", self._text(r))
        r = self.client.get(reverse("api:incident-detail", args=[self.draft.public_id]))
        self.assertEqual(r.status_code, status.HTTP_404_NOT_FOUND)

    def test_stats_and_place_counts_leave_drafts_out(self):
        stats = self.client.get(reverse("api:stats-list")).json()
        self.assertEqual(stats["totals"]["incidents"], 2)
        self.assertNotIn("Iskander-M", [w["weapon"] for w in stats["by_weapon"]])
        place = self.client.get(
            reverse("api:location-detail", args=["ramenskoye-ru"])
        ).json()
        self.assertEqual(place["incident_count"], 1)

    def test_a_reader_token_without_rights_sees_only_published_incidents(self):
        self.as_reader()
        r = self.client.get(reverse("api:incident-list"))
        self.assertNotIn(self.draft.public_id, r.content.decode())

    def test_a_journalist_sees_drafts_in_lists_and_stats(self):
        self.as_journalist()
        r = self.client.get(reverse("api:incident-list"))
        self.assertIn(self.draft.public_id, r.content.decode())
        stats = self.client.get(reverse("api:stats-list")).json()
        self.assertEqual(stats["totals"]["incidents"], 3)
        data = json.loads(
            self._text(
                self.client.get(reverse("api:incident-list"), {"format": "geojson"})
            )
        )
        self.assertIn(
            self.draft.public_id,
            [f["properties"]["public_id"] for f in data["features"]],
        )
