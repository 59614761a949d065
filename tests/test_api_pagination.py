import base64
import datetime as dt

from django.urls import reverse
from rest_framework import status

from incidents.models import Incident
from tests.api_base import ApiTestCase
from tests.factories import kyiv, make_incident


class CursorPaginationTests(ApiTestCase):
    url = reverse("api:incident-list")

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Ties on started_at and on drones_launched, and unknown counts, so
        # the tiebreaker and null ordering are exercised.
        for n in range(12):
            make_incident(
                started_at=kyiv(2024, 6, 1 + n // 3, 12, 0),
                ended_at=None,
                drones_launched=None if n % 4 == 0 else (n % 3) * 10,
                drones_intercepted=None,
            )

    def _walk(self, params, insert=None):
        """Follow `next` links to the end; `insert(page_number)` runs between."""
        seen, url, pages = [], self.url, 0
        first = True
        while url:
            r = self.client.get(url, params if first else None)
            first = False
            self.assertEqual(r.status_code, status.HTTP_200_OK, r.content)
            body = r.json()
            seen += [i["public_id"] for i in body["results"]]
            url, pages = body["next"], pages + 1
            if insert:
                insert(pages)
        return seen, pages

    def _expected(self, *order):
        return list(
            Incident.objects.public()
            .order_by(*order)
            .values_list("public_id", flat=True)
        )

    def test_pages_cover_every_row_once_in_order(self):
        seen, pages = self._walk({"page_size": 4})
        self.assertEqual(seen, self._expected("-started_at", "-id"))
        self.assertEqual(pages, 4)

    def test_nothing_is_skipped_or_repeated_when_rows_arrive_between_pages(self):
        before = set(self._expected("-started_at", "-id"))

        def insert(page):
            # A newer incident, one tied with rows already read, and one that
            # belongs further down the list.
            make_incident(started_at=kyiv(2025, 1, page, 0, 0), ended_at=None)
            make_incident(started_at=kyiv(2024, 6, 4, 12, 0), ended_at=None)
            make_incident(started_at=kyiv(2020, 1, page, 0, 0), ended_at=None)

        seen, _pages = self._walk({"page_size": 3}, insert)
        self.assertEqual(len(seen), len(set(seen)), "a row was repeated")
        self.assertLessEqual(before, set(seen), "a row was skipped")

    def test_ordering_by_a_nullable_count_pages_through_every_row(self):
        for ordering in ("drones_launched", "-drones_launched"):
            with self.subTest(ordering=ordering):
                seen, _pages = self._walk({"page_size": 2, "ordering": ordering})
                self.assertEqual(len(seen), len(set(seen)))
                self.assertEqual(set(seen), set(self._expected("id")))
                known = [
                    Incident.objects.get(public_id=p).drones_launched for p in seen
                ]
                values = [v for v in known if v is not None]
                self.assertEqual(
                    values, sorted(values, reverse=ordering.startswith("-"))
                )
                # Unknown counts come last either way.
                self.assertEqual(
                    known[len(values) :], [None] * (len(known) - len(values))
                )

    def test_sync_recipe_by_updated_at(self):
        seen, _pages = self._walk({"ordering": "updated_at", "page_size": 5})
        self.assertEqual(seen, self._expected("updated_at", "id"))
        last = Incident.objects.get(public_id=seen[-1]).updated_at
        changed = Incident.objects.get(public_id=seen[0])
        changed.summary = "Corrected."
        changed.save()
        r = self.client.get(
            self.url,
            {
                "ordering": "updated_at",
                "updated_since": (last + dt.timedelta(microseconds=1)).isoformat(),
            },
        )
        self.assertEqual(
            [i["public_id"] for i in r.json()["results"]], [changed.public_id]
        )

    def test_previous_links_walk_back_to_the_first_page(self):
        r = self.client.get(self.url, {"page_size": 5})
        first = [i["public_id"] for i in r.json()["results"]]
        self.assertIsNone(r.json()["previous"])
        second = self.client.get(r.json()["next"]).json()
        back = self.client.get(second["previous"]).json()
        self.assertEqual([i["public_id"] for i in back["results"]], first)
        self.assertIsNone(back["previous"])
        self.assertEqual(back["next"], r.json()["next"])

    def test_bad_page_size_or_cursor_is_400(self):
        for params in (
            {"page_size": "0"},
            {"page_size": "501"},
            {"page_size": "ten"},
            {"cursor": "garbage"},
            {"cursor": base64.urlsafe_b64encode(b'{"p": ["x", 1]}').decode()},
        ):
            with self.subTest(params=params):
                r = self.client.get(self.url, params)
                self.assertEqual(r.status_code, status.HTTP_400_BAD_REQUEST)
                self.assertEqual(set(r.json()), set(params))

    def test_page_size_up_to_the_maximum_is_accepted(self):
        r = self.client.get(self.url, {"page_size": "500"})
        self.assertEqual(r.status_code, status.HTTP_200_OK)
        self.assertEqual(len(r.json()["results"]), Incident.objects.public().count())
        self.assertIsNone(r.json()["next"])
