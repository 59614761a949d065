import csv
import io

from django.test import RequestFactory, TestCase

from incidents import stats
from incidents.export import COLUMNS, csv_response, safe_cell
from incidents.models import Incident
from tests.factories import kyiv, make_incident, make_location, make_weapon


class StatsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        shahed = make_weapon()
        iskander = make_weapon("Iskander-M", "ballistic_missile")
        make_incident(
            started_at=kyiv(2024, 11, 9, 20, 0),
            lines=[(shahed, 145, 62), (iskander, 2, 1)],
        )
        make_incident(
            attacker="ZZ",
            target_country="RU",
            started_at=kyiv(2024, 11, 10, 1, 0),
            ended_at=None,
            drones_launched=None,
            drones_intercepted=34,
        )
        make_incident(
            started_at=kyiv(2024, 12, 1, 22, 0),
            ended_at=kyiv(2024, 12, 2, 6, 0),
            drones_launched=10,
            drones_intercepted=10,
        )

    def test_totals_count_rate_only_where_both_figures_are_known(self):
        with self.assertNumQueries(1):
            result = stats.totals(Incident.objects.all())
        self.assertEqual(
            result,
            {
                "incidents": 3,
                "drones_launched": 155,
                "drones_intercepted": 106,
                "interception_rate": round(72 / 155, 4),
            },
        )

    def test_series_groups_by_kyiv_calendar_period(self):
        days = stats.series(Incident.objects.all(), "day")
        self.assertEqual(
            [(r["period"].date().isoformat(), r["incidents"]) for r in days],
            [("2024-11-09", 1), ("2024-11-10", 1), ("2024-12-01", 1)],
        )
        months = stats.series(Incident.objects.all(), "month")
        self.assertEqual([r["drones_launched"] for r in months], [145, 10])

    def test_by_side_and_by_weapon(self):
        sides = {r["attacker"]: r for r in stats.by_side(Incident.objects.all())}
        self.assertEqual(sides["RU"]["drones_launched"], 155)
        self.assertEqual(sides["ZZ"]["drones_intercepted"], 34)
        self.assertIsNone(sides["ZZ"]["interception_rate"])
        weapons = stats.by_weapon(Incident.objects.all())
        self.assertEqual(
            [(w["weapon"], w["launched"], w["intercepted"]) for w in weapons],
            [("Shahed-136/131", 145, 62), ("Iskander-M", 2, 1)],
        )

    def test_empty_queryset_gives_zero_totals(self):
        result = stats.totals(Incident.objects.none())
        self.assertEqual(result["incidents"], 0)
        self.assertIsNone(result["interception_rate"])


class CsvExportTests(TestCase):
    def test_it_streams_every_row_with_places_and_weapons(self):
        place = make_location("Ramenskoye")
        incident = make_incident(
            places=[(place, "interception")],
            lines=[(make_weapon(), 145, 62)],
            summary='=HYPERLINK("http://evil")',
        )
        for _ in range(3):
            make_incident()
        request = RequestFactory().get("/incidents.csv")
        response = csv_response(Incident.objects.for_detail(), request)
        body = b"".join(response.streaming_content).decode()
        rows = list(csv.DictReader(io.StringIO(body)))
        self.assertEqual(list(rows[0]), COLUMNS)
        self.assertEqual(len(rows), 4)
        row = next(r for r in rows if r["public_id"] == incident.public_id)
        self.assertEqual(row["places"], "Ramenskoye (interception)")
        self.assertEqual(row["weapons"], "Shahed-136/131: 145/62")
        self.assertEqual(row["summary"], '\'=HYPERLINK("http://evil")')
        self.assertTrue(row["url"].endswith(f"/incidents/{incident.public_id}/"))

    def test_safe_cell_neutralises_formula_prefixes(self):
        for value in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx"]:
            self.assertEqual(safe_cell(value), "'" + value)
        self.assertEqual(safe_cell(12), 12)
        self.assertEqual(safe_cell("Kyiv"), "Kyiv")
