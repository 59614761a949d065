from django.urls import reverse
from rest_framework import status

from incidents.cache import record_state
from tests.api_base import ApiTestCase
from tests.factories import kyiv, make_incident


class StatsApiTests(ApiTestCase):
    url = reverse("api:stats-list")

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_incident(
            started_at=kyiv(2024, 12, 1, 22, 0),
            ended_at=None,
            drones_launched=10,
            drones_intercepted=10,
        )

    def test_totals_series_sides_and_weapons(self):
        r = self.client.get(self.url)
        self.assertEqual(r.status_code, status.HTTP_200_OK)
        body = r.json()
        self.assertEqual(body["period"], "month")
        self.assertEqual(
            body["totals"],
            {
                "incidents": 3,
                "drones_launched": 155,
                "drones_intercepted": 106,
                "interception_rate": round(72 / 155, 4),
            },
        )
        self.assertEqual(
            [(row["period"], row["incidents"]) for row in body["series"]],
            [("2024-11-01", 2), ("2024-12-01", 1)],
        )
        sides = {row["attacker"]: row for row in body["by_side"]}
        self.assertEqual(sides["UA"]["drones_intercepted"], 34)
        self.assertEqual(
            [(w["weapon"], w["launched"]) for w in body["by_weapon"]],
            [("Shahed-136/131", 145)],
        )

    def test_day_and_week_periods(self):
        days = self.client.get(self.url, {"period": "day"}).json()["series"]
        self.assertEqual(
            [row["period"] for row in days], ["2024-11-09", "2024-11-10", "2024-12-01"]
        )
        weeks = self.client.get(self.url, {"period": "week"}).json()["series"]
        self.assertEqual([row["period"] for row in weeks], ["2024-11-04", "2024-11-25"])

    def test_it_honours_the_incident_filters(self):
        body = self.client.get(self.url, {"location": "Раменское"}).json()
        self.assertEqual(body["totals"]["incidents"], 1)
        self.assertEqual(body["totals"]["drones_intercepted"], 34)

    def test_bad_period_or_filter_is_400(self):
        r = self.client.get(self.url, {"period": "year", "date_after": "never"})
        self.assertEqual(r.status_code, status.HTTP_400_BAD_REQUEST)
        self.assertEqual(set(r.json()), {"period", "date_after"})
        r = self.client.get(self.url, {"date_after": "never"})
        self.assertEqual(r.status_code, status.HTTP_400_BAD_REQUEST)
        self.assertIn("date_after", r.json())

    def test_a_fixed_number_of_queries(self):
        record_state()  # once a second per process, not per request
        with self.assertNumQueries(4):
            self.client.get(self.url, {"period": "week"})
