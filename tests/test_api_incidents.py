import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework import status

from incidents.cache import record_state
from tests.api_base import ApiTestCase
from tests.factories import kyiv, make_incident, make_weapon


class IncidentReadTests(ApiTestCase):
    url = reverse("api:incident-list")

    def _detail(self, incident):
        return reverse("api:incident-detail", args=[incident.public_id])

    def test_it_finds_the_moscow_incident_by_any_spelling_of_the_place(self):
        for spelling in ["Раменское", "ramenskoie", "Ramenskoïe", "RAMENSKOYE"]:
            with self.subTest(spelling=spelling):
                r = self.client.get(self.url, {"location": spelling})
                self.assertEqual(r.status_code, status.HTTP_200_OK)
                results = r.json()["results"]
                self.assertEqual(
                    [i["public_id"] for i in results], [self.moscow.public_id]
                )
                self.assertEqual(results[0]["drones_intercepted"], 34)
                self.assertIsNone(results[0]["drones_launched"])

    def test_detail_has_every_public_field_with_nested_rows(self):
        r = self.client.get(self._detail(self.ukraine))
        self.assertEqual(r.status_code, status.HTTP_200_OK)
        body = r.json()
        self.assertEqual(
            list(body),
            [
                "public_id",
                "url",
                "started_at",
                "ended_at",
                "time_precision",
                "attacker",
                "target_country",
                "attribution",
                "drones_launched",
                "drones_intercepted",
                "interception_rate",
                "summary",
                "status",
                "retraction_reason",
                "version",
                "places",
                "weapon_lines",
                "sources",
                "created_at",
                "updated_at",
                "published_at",
            ],
        )
        self.assertEqual(
            body["url"], f"http://testserver/incidents/{self.ukraine.public_id}/"
        )
        self.assertEqual(body["interception_rate"], round(62 / 145, 4))
        self.assertEqual(
            body["places"],
            [
                {
                    "slug": "kyiv-ua",
                    "name": "Kyiv",
                    "alternate_names": ["Київ", "Kiev"],
                    "region": "Kyiv",
                    "country": "UA",
                    "latitude": 50.45466,
                    "longitude": 30.5238,
                    "kind": "settlement",
                    "role": "target",
                }
            ],
        )
        self.assertEqual(
            body["weapon_lines"],
            [
                {
                    "weapon": "Shahed-136/131",
                    "category": "attack_drone",
                    "launched": 145,
                    "intercepted": 62,
                }
            ],
        )
        self.assertEqual(body["sources"][0]["claimant"], "Ukrainian Air Force")
        self.assertEqual(body["sources"][0]["published_on"], "2024-11-10")

    def test_datetimes_are_iso_8601_with_an_offset(self):
        body = self.client.get(self._detail(self.ukraine)).json()
        self.assertEqual(body["started_at"], "2024-11-09T20:00:00+02:00")
        for field in ("ended_at", "created_at", "updated_at", "published_at"):
            parsed = dt.datetime.fromisoformat(body[field])
            self.assertIsNotNone(parsed.utcoffset(), field)

    def test_list_is_newest_first_and_ordering_is_honoured(self):
        r = self.client.get(self.url)
        ids = [i["public_id"] for i in r.json()["results"]]
        self.assertEqual(ids, [self.moscow.public_id, self.ukraine.public_id])
        r = self.client.get(self.url, {"ordering": "started_at"})
        ids = [i["public_id"] for i in r.json()["results"]]
        self.assertEqual(ids, [self.ukraine.public_id, self.moscow.public_id])

    def test_it_applies_every_shared_filter(self):
        cases = {
            "side": ("ua", [self.moscow]),
            "target_country": ("UA", [self.ukraine]),
            "date_after": ("2024-11-10", [self.moscow]),
            "date_before": ("2024-11-09", [self.ukraine]),
            "region": ("moscow oblast", [self.moscow]),
            "drone_model": ("shahed", [self.ukraine]),
            "q": ("moscow", [self.moscow]),
            "min_launched": ("100", [self.ukraine]),
        }
        for name, (value, expected) in cases.items():
            with self.subTest(name=name):
                r = self.client.get(self.url, {name: value})
                self.assertEqual(r.status_code, status.HTTP_200_OK)
                self.assertEqual(
                    [i["public_id"] for i in r.json()["results"]],
                    [i.public_id for i in expected],
                )

    def test_updated_since_returns_only_rows_changed_after_it(self):
        cutoff = self.moscow.updated_at + dt.timedelta(microseconds=1)
        later = make_incident(started_at=kyiv(2023, 1, 1, 0, 0), ended_at=None)
        r = self.client.get(self.url, {"updated_since": cutoff.isoformat()})
        ids = [i["public_id"] for i in r.json()["results"]]
        self.assertIn(later.public_id, ids)
        self.assertNotIn(self.moscow.public_id, ids)

    def test_bad_filter_values_give_400_per_parameter(self):
        r = self.client.get(
            self.url,
            {
                "date_after": "yesterday",
                "side": "Mars",
                "min_launched": "-3",
                "ordering": "summary",
                "updated_since": "soon",
            },
        )
        self.assertEqual(r.status_code, status.HTTP_400_BAD_REQUEST)
        self.assertEqual(
            set(r.json()),
            {"date_after", "side", "min_launched", "ordering", "updated_since"},
        )

    def test_extreme_but_valid_values_never_give_a_server_error(self):
        cases = [
            # An offset PostgreSQL refuses is turned into UTC first.
            ({"updated_since": "2030-10-07T16:12:49+21:47"}, 200),
            ({"updated_since": "2970-10-07T16:12:49+21:47"}, 400),
            ({"updated_since": "9999-12-31T23:59:59-05:00"}, 400),
            ({"date_before": "9999-12-31"}, 400),
            ({"date_after": "0001-01-01"}, 400),
            ({"min_launched": "1" + "0" * 30}, 200),
            ({"q": "nul\x00byte"}, 400),
        ]
        for params, expected in cases:
            with self.subTest(params=params):
                r = self.client.get(self.url, params)
                self.assertEqual(r.status_code, expected, r.content)
        r = self.client.get("/api/v1/incidents/bad%00id/")
        self.assertEqual(r.status_code, status.HTTP_404_NOT_FOUND)

    def test_unknown_incident_is_404(self):
        r = self.client.get(reverse("api:incident-detail", args=["nosuchid00"]))
        self.assertEqual(r.status_code, status.HTTP_404_NOT_FOUND)


class IncidentQueryCountTests(ApiTestCase):
    """A list request costs the same number of queries whatever the page size."""

    url = reverse("api:incident-list")

    def _queries(self, n):
        params = {"page_size": n}
        # The record version (the validators) is read once a second per
        # process, not per request: read it before counting.
        record_state()
        with CaptureQueriesContext(connection) as ctx:
            r = self.client.get(self.url, params)
        self.assertEqual(r.status_code, status.HTTP_200_OK)
        self.assertEqual(len(r.json()["results"]), n)
        return len(ctx.captured_queries)

    def test_query_count_does_not_grow_with_the_page(self):
        weapon = make_weapon("Gerbera", "decoy_drone")
        for day in range(1, 51):
            make_incident(
                started_at=kyiv(2024, 10, day % 28 + 1, 12, 0),
                ended_at=None,
                places=[self.kyiv_place, (self.ramenskoye, "interception")],
                lines=[(self.shahed, 10, 5), (weapon, 4, 4)],
                drones_launched=14,
                drones_intercepted=9,
            )
        # The page, its places, lines and sources; nothing over all the rows.
        self.assertEqual(self._queries(5), 4)
        self.assertEqual(self._queries(50), 4)

    def test_a_journalist_list_costs_one_more_query_for_the_token(self):
        self.as_journalist()
        small, large = self._queries(1), self._queries(3)
        self.assertEqual(small, large)
