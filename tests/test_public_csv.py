import csv
import io

from django.urls import reverse

from incidents.export import COLUMNS
from tests.public import PublicCast, add_incidents, count_queries


def _rows(response):
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


class IncidentCsvTests(PublicCast):
    url = reverse("incidents:csv")

    def test_it_streams_every_public_incident(self):
        add_incidents(30, self.kharkiv, self.shahed)
        r = self.client.get(self.url)
        self.assertEqual(r.status_code, 200)
        self.assertTrue(r.streaming)
        self.assertEqual(r["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn("attachment;", r["Content-Disposition"])
        rows = _rows(r)
        self.assertEqual(list(rows[0]), COLUMNS)
        self.assertEqual(len(rows), 34)  # all rows, not one page
        self.assertEqual({row["status"] for row in rows}, {"published", "retracted"})

    def test_it_contains_exactly_the_filtered_rows(self):
        r = self.client.get(self.url, {"location": "Раменское"})
        rows = _rows(r)
        self.assertEqual(
            [row["public_id"] for row in rows], [self.moscow_attack.public_id]
        )
        r = self.client.get(self.url, {"side": "RU", "date_after": "2024-10-01"})
        self.assertEqual(
            [row["public_id"] for row in _rows(r)],
            [self.kharkiv_attack.public_id, self.october_attack.public_id],
        )

    def test_drafts_never_appear(self):
        r = self.client.get(self.url, {"q": "SECRET"})
        self.assertEqual(_rows(r), [])

    def test_bad_filter_is_400_with_messages(self):
        r = self.client.get(self.url, {"date_after": "2024-02-30"})
        self.assertEqual(r.status_code, 400)
        self.assertContains(r, "Enter a valid date.", status_code=400)
        self.assertContains(r, 'action="/"', status_code=400)

    def test_query_count_is_fixed(self):
        add_incidents(2, self.kharkiv, self.shahed)
        few = count_queries(self.client, self.url)
        add_incidents(30, self.kharkiv, self.shahed)
        many = count_queries(self.client, self.url)
        self.assertEqual(few, many)
        # Per chunk of 500 rows: incidents, places, weapon lines, sources.
        self.assertEqual(many, 4)
