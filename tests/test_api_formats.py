import csv
import io
import json

from django.urls import reverse
from rest_framework import status

from incidents.export import COLUMNS
from tests.api_base import ApiTestCase
from tests.factories import kyiv, make_incident


def _body(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


class IncidentFormatTests(ApiTestCase):
    url = reverse("api:incident-list")

    def test_csv_by_format_parameter_holds_every_matching_row_unpaged(self):
        for day in range(1, 8):
            make_incident(started_at=kyiv(2024, 3, day, 0, 0), ended_at=None)
        r = self.client.get(self.url, {"format": "csv", "page_size": 2})
        self.assertEqual(r.status_code, status.HTTP_200_OK)
        self.assertTrue(r.streaming)
        self.assertTrue(r["Content-Type"].startswith("text/csv"))
        rows = list(csv.DictReader(io.StringIO(_body(r))))
        self.assertEqual(list(rows[0]), COLUMNS)
        self.assertEqual(len(rows), 9)
        self.assertNotIn(self.draft.public_id, [row["public_id"] for row in rows])

    def test_csv_by_accept_header_honours_filters_and_escapes_formulas(self):
        make_incident(
            started_at=kyiv(2024, 11, 10, 3, 0),
            summary='=HYPERLINK("http://evil")',
            places=[self.ramenskoye],
        )
        r = self.client.get(self.url, {"location": "Раменское"}, HTTP_ACCEPT="text/csv")
        self.assertEqual(r.status_code, status.HTTP_200_OK)
        rows = list(csv.DictReader(io.StringIO(_body(r))))
        self.assertEqual(len(rows), 2)
        self.assertIn(self.moscow.public_id, [row["public_id"] for row in rows])
        self.assertIn("'=HYPERLINK", [row["summary"][:11] for row in rows])

    def test_geojson_is_a_feature_collection_of_places_honouring_filters(self):
        r = self.client.get(self.url, {"format": "geojson", "side": "UA"})
        self.assertEqual(r.status_code, status.HTTP_200_OK)
        self.assertTrue(r["Content-Type"].startswith("application/geo+json"))
        data = json.loads(_body(r))
        self.assertEqual(data["type"], "FeatureCollection")
        self.assertEqual(len(data["features"]), 1)
        feature = data["features"][0]
        self.assertEqual(
            feature["geometry"], {"type": "Point", "coordinates": [38.24152, 55.56341]}
        )
        props = feature["properties"]
        self.assertEqual(props["public_id"], self.moscow.public_id)
        self.assertEqual(props["place"], "Ramenskoye")
        self.assertEqual(props["role"], "interception")
        self.assertEqual(props["drones_intercepted"], 34)
        self.assertEqual(props["started_at"], "2024-11-10T01:00:00+02:00")

    def test_geojson_by_accept_header_and_places_without_coordinates_left_out(self):
        nowhere = self.kyiv_place
        nowhere.latitude = nowhere.longitude = None
        nowhere.save()
        r = self.client.get(self.url, HTTP_ACCEPT="application/geo+json")
        data = json.loads(_body(r))
        self.assertEqual(
            [f["properties"]["public_id"] for f in data["features"]],
            [self.moscow.public_id],
        )

    def test_detail_in_csv_and_geojson(self):
        detail = reverse("api:incident-detail", args=[self.ukraine.public_id])
        rows = list(
            csv.DictReader(
                io.StringIO(_body(self.client.get(detail, {"format": "csv"})))
            )
        )
        self.assertEqual([row["public_id"] for row in rows], [self.ukraine.public_id])
        data = json.loads(_body(self.client.get(detail, {"format": "geojson"})))
        self.assertEqual(len(data["features"]), 1)

    def test_errors_are_json_whatever_format_was_asked(self):
        r = self.client.get(self.url, {"format": "csv", "side": "Mars"})
        self.assertEqual(r.status_code, status.HTTP_400_BAD_REQUEST)
        self.assertEqual(r["Content-Type"], "application/json")
        self.assertIn("side", r.json())
