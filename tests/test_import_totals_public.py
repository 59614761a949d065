"""Acceptance of the Air Force data import as a reader sees it: the API stats,
the stats page and the API list agree with the shipped CSV's columns."""

import re
from collections import defaultdict
from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from incidents.importer import import_attacks
from incidents.models import WeaponModel
from tests.test_import_attacks import DATA_FILE, count, csv_rows


def _column_sums(rows):
    return (
        sum(count(r["launched"]) for r in rows),
        sum(count(r["destroyed"]) for r in rows),
    )


class ImportedTotalsThroughPublicSurfacesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_places", stdout=StringIO())
        report = import_attacks(DATA_FILE, progress=False)
        assert report.ok and not report.rejected
        cls.rows = csv_rows()
        cls.drones = set(
            WeaponModel.objects.filter(
                category__in=WeaponModel.DRONE_CATEGORIES
            ).values_list("name", flat=True)
        )
        cls.drone_rows = [r for r in cls.rows if r["model"].strip() in cls.drones]

    def test_api_weapon_breakdown_equals_the_csv_columns(self):
        body = self.client.get("/api/v1/stats/").json()
        by_weapon = {
            w["weapon"]: (w["launched"], w["intercepted"]) for w in body["by_weapon"]
        }
        expected = defaultdict(lambda: [0, 0])
        for row in self.rows:
            sums = expected[row["model"].strip()]
            sums[0] += count(row["launched"])
            sums[1] += count(row["destroyed"])
        self.assertEqual(by_weapon, {k: tuple(v) for k, v in expected.items()})
        # All rows, and drone models only.
        launched = sum(w["launched"] or 0 for w in body["by_weapon"])
        intercepted = sum(w["intercepted"] or 0 for w in body["by_weapon"])
        self.assertEqual((launched, intercepted), _column_sums(self.rows))
        drones = [w for w in body["by_weapon"] if w["weapon"] in self.drones]
        self.assertEqual(
            (
                sum(w["launched"] or 0 for w in drones),
                sum(w["intercepted"] or 0 for w in drones),
            ),
            _column_sums(self.drone_rows),
        )

    def test_api_totals_are_the_drone_columns(self):
        totals = self.client.get("/api/v1/stats/").json()["totals"]
        self.assertEqual(
            (totals["drones_launched"], totals["drones_intercepted"]),
            _column_sums(self.drone_rows),
        )
        windows = {
            (r["time_start"].strip(), r["time_end"].strip(), r["source"].strip())
            for r in self.rows
        }
        self.assertEqual(totals["incidents"], len(windows))

    def test_the_stats_page_shows_the_same_totals(self):
        r = self.client.get("/stats/")
        self.assertEqual(r.status_code, 200)
        launched, intercepted = _column_sums(self.drone_rows)
        totals = r.context["totals"]
        self.assertEqual(
            (totals["drones_launched"], totals["drones_intercepted"]),
            (launched, intercepted),
        )
        weapons = {
            w["weapon"]: (w["launched"], w["intercepted"]) for w in r.context["weapons"]
        }
        self.assertEqual(
            (
                sum(v[0] or 0 for v in weapons.values()),
                sum(v[1] or 0 for v in weapons.values()),
            ),
            _column_sums(self.rows),
        )
        # The figures are printed, whatever the locale's digit grouping.
        digits = re.sub(r"[,.\s\u00a0\u202f]", "", r.content.decode())
        self.assertIn(str(launched), digits)
        self.assertIn(str(intercepted), digits)

    def test_the_night_of_9_to_10_november_2024_through_the_api(self):
        r = self.client.get(
            "/api/v1/incidents/",
            {
                "date_after": "2024-11-09",
                "date_before": "2024-11-09",
                "drone_model": "Shahed",
            },
        )
        self.assertEqual(r.status_code, 200)
        [incident] = r.json()["results"]
        self.assertTrue(incident["started_at"].startswith("2024-11-09T20:00"))
        self.assertEqual(
            (incident["drones_launched"], incident["drones_intercepted"]), (145, 62)
        )
        [line] = [
            w for w in incident["weapon_lines"] if w["weapon"] == "Shahed-136/131"
        ]
        self.assertEqual((line["launched"], line["intercepted"]), (145, 62))
        stats = self.client.get(
            "/api/v1/stats/",
            {
                "date_after": "2024-11-09",
                "date_before": "2024-11-09",
                "drone_model": "Shahed",
            },
        ).json()
        self.assertEqual(
            (stats["totals"]["drones_launched"], stats["totals"]["drones_intercepted"]),
            (145, 62),
        )
