"""Acceptance of the Air Force data import, on the whole shipped file."""

import csv
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.db.models import Sum
from django.test import TestCase
from django.urls import reverse

from incidents.importer import import_attacks
from incidents.models import (
    Incident,
    IncidentLocation,
    Location,
    Source,
    WeaponLine,
    WeaponModel,
)
from tests.factories import kyiv

DATA_FILE = (
    Path(__file__).resolve().parent.parent
    / "incidents"
    / "data"
    / "missile_attacks_daily.csv"
)


def csv_rows():
    with open(DATA_FILE, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def count(text):
    return int(float(text)) if text.strip() else 0


class ImportSharedFileTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_places", stdout=StringIO())
        cls.report = import_attacks(DATA_FILE, progress=False)
        cls.rows = csv_rows()

    def test_it_reads_every_row_and_rejects_none(self):
        self.assertTrue(self.report.ok)
        self.assertEqual(self.report.rows_read, len(self.rows))
        self.assertEqual(self.report.rejected, [])
        windows = {
            (r["time_start"].strip(), r["time_end"].strip(), r["source"].strip())
            for r in self.rows
        }
        self.assertEqual(self.report.incidents["created"], len(windows))
        self.assertEqual(Incident.objects.count(), len(windows))
        self.assertFalse(Incident.objects.filter(import_key__isnull=True).exists())

    def test_the_night_of_9_to_10_november_2024(self):
        incident = Incident.objects.get(
            started_at=kyiv(2024, 11, 9, 20, 0), ended_at=kyiv(2024, 11, 10, 9, 30)
        )
        line = incident.weapon_lines.get(weapon__name="Shahed-136/131")
        self.assertEqual((line.launched, line.intercepted), (145, 62))
        self.assertEqual(
            (incident.drones_launched, incident.drones_intercepted), (145, 62)
        )
        self.assertEqual(incident.attacker, "RU")
        self.assertEqual(incident.target_country, "UA")
        self.assertEqual(incident.time_precision, Incident.Precision.MINUTE)
        self.assertEqual(incident.status, Incident.Status.PUBLISHED)
        source = incident.sources.get()
        self.assertEqual(source.claimant, "Ukrainian Air Force")
        self.assertTrue(
            source.url.startswith("https://www.facebook.com/kpszsu/posts/pfbid")
        )
        launch = set(
            incident.incident_locations.filter(
                role=IncidentLocation.Role.LAUNCH
            ).values_list("location__name", flat=True)
        )
        self.assertEqual(
            launch, {"Primorsko-Akhtarsk", "Chauda", "Bryansk Oblast", "Oryol Oblast"}
        )
        targets = incident.incident_locations.filter(role=IncidentLocation.Role.TARGET)
        self.assertIn("Ukraine", targets.values_list("location__name", flat=True))

    def test_the_night_of_6_to_7_september_2025(self):
        lines = WeaponLine.objects.filter(
            weapon__name="Shahed-136/131",
            incident__started_at=kyiv(2025, 9, 6, 17, 0),
            incident__ended_at__date="2025-09-07",
        )
        totals = lines.aggregate(
            launched=Sum("launched"), intercepted=Sum("intercepted")
        )
        self.assertEqual(totals, {"launched": 810, "intercepted": 747})

    def test_line_sums_equal_the_csv_column_sums(self):
        db = WeaponLine.objects.aggregate(l=Sum("launched"), i=Sum("intercepted"))
        self.assertEqual(db["l"], sum(count(r["launched"]) for r in self.rows))
        self.assertEqual(db["i"], sum(count(r["destroyed"]) for r in self.rows))

    def test_drone_sums_equal_the_csv_sums_over_drone_models(self):
        drones = set(
            WeaponModel.objects.filter(
                category__in=WeaponModel.DRONE_CATEGORIES
            ).values_list("name", flat=True)
        )
        self.assertIn("Shahed-136/131", drones)
        self.assertNotIn("Iskander-M", drones)
        drone_rows = [r for r in self.rows if r["model"].strip() in drones]
        db = WeaponLine.objects.filter(weapon__name__in=drones).aggregate(
            l=Sum("launched"), i=Sum("intercepted")
        )
        self.assertEqual(db["l"], sum(count(r["launched"]) for r in drone_rows))
        self.assertEqual(db["i"], sum(count(r["destroyed"]) for r in drone_rows))
        # Incident totals are the sums of their drone lines.
        totals = Incident.objects.aggregate(
            l=Sum("drones_launched"), i=Sum("drones_intercepted")
        )
        self.assertEqual(totals["l"], db["l"])
        self.assertEqual(totals["i"], db["i"])

    def test_compound_models_are_models_of_their_own(self):
        weapon = WeaponModel.objects.get(name="X-101/X-555 and Kalibr")
        self.assertEqual(weapon.category, WeaponModel.Category.CRUISE_MISSILE)
        self.assertEqual(weapon.lines.count(), 9)

    def test_date_only_windows_have_day_precision(self):
        incident = Incident.objects.get(import_key__startswith="2024-05-16|2024-05-16|")
        self.assertEqual(incident.time_precision, Incident.Precision.DAY)
        self.assertEqual(incident.started_at, kyiv(2024, 5, 16, 0, 0))

    def test_an_hour_without_leading_zero_is_read(self):
        incident = Incident.objects.get(started_at=kyiv(2023, 5, 16, 3, 30))
        self.assertEqual(incident.ended_at, kyiv(2023, 5, 16, 7, 0))
        self.assertEqual(incident.weapon_lines.count(), 6)

    def test_launch_places_match_the_gazetteer(self):
        chauda = Location.objects.get(name="Chauda")
        self.assertGreater(chauda.incident_locations.filter(role="launch").count(), 200)
        kursk = Location.objects.get(name="Kursk Oblast")
        self.assertGreater(kursk.incident_locations.filter(role="launch").count(), 400)
        # Directions are not launch sites; they are reported, not guessed.
        self.assertIn(("launch site", "north"), self.report.unmatched_places)

    def test_a_second_import_reports_every_row_unchanged(self):
        before = Incident.objects.values_list("pk", "updated_at").order_by("pk")
        before = list(before)
        counts = (WeaponLine.objects.count(), Source.objects.count())
        report = import_attacks(DATA_FILE, progress=False)
        self.assertEqual(report.incidents["unchanged"], len(before))
        self.assertEqual(report.incidents["created"] + report.incidents["updated"], 0)
        self.assertEqual(report.rows["unchanged"], len(self.rows))
        after = list(Incident.objects.values_list("pk", "updated_at").order_by("pk"))
        self.assertEqual(after, before)
        self.assertEqual((WeaponLine.objects.count(), Source.objects.count()), counts)


class ImportInvalidatesTheCacheTests(TestCase):
    def test_imported_incidents_show_on_cached_pages_and_api_at_once(self):
        # The importer writes with bulk_create, which sends no signals.
        header, first = DATA_FILE.read_text(encoding="utf-8").splitlines()[:2]
        folder = Path(self.enterContext(tempfile.TemporaryDirectory()))
        earlier, later = folder / "earlier.csv", folder / "later.csv"
        earlier.write_text(f"{header}\n{first}\n", encoding="utf-8")
        # The next night, same weapon: only new incident rows are written.
        next_night = first.replace("2025-10-30 19:00,2025-10-31 09:00", "").strip(",")
        later.write_text(
            f"{header}\n2025-10-31 19:00,2025-11-01 09:00,{next_night}\n",
            encoding="utf-8",
        )
        self.assertEqual(
            import_attacks(earlier, progress=False).incidents["created"], 1
        )
        api = "/api/v1/incidents/"
        pages = [reverse("incidents:list"), api]
        for url in pages:
            self.client.get(url)
            self.assertEqual(self.client.get(url)["X-Cache"], "hit")
        self.assertEqual(len(self.client.get(api).json()["results"]), 1)

        report = import_attacks(later, progress=False)
        self.assertEqual(report.incidents["created"], 1)
        self.assertEqual(report.weapons_created, [])
        for url in pages:
            self.assertEqual(self.client.get(url)["X-Cache"], "miss")
        results = self.client.get(api).json()["results"]
        self.assertEqual(
            [r["started_at"][:10] for r in results], ["2025-10-31", "2025-10-30"]
        )
