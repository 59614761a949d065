"""The importer on small hand-written files: quirks, bad rows, new releases."""

import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import TestCase

from incidents.importer import import_attacks
from incidents.models import (
    Incident,
    IncidentLocation,
    Location,
    Source,
    WeaponLine,
    WeaponModel,
)
from tests.factories import kyiv, make_incident, make_weapon

HEADER = (
    "time_start,time_end,model,launch_place,target,target_main,launched,destroyed,"
    "not_reach_goal,still_attacking,border_crossing,is_shahed,num_hit_location,"
    "num_fall_fragment_location,carrier,turbojet,turbojet_destroyed,affected region,"
    "destroyed_details,launched_details,launch_place_details,source\n"
)


def row(start, end, model, launched="", destroyed="", launch="", target="Ukraine",
        source="kpszsu/posts/pfbidA", affected="", details="{}"):  # fmt: skip
    """One CSV line in the dataset's 22 columns."""
    cells = [start, end, model, launch, target, "", launched, destroyed, "", "",
             details, "", "", "", "", "", "", affected, details, "", "",
             source]  # fmt: skip
    return ",".join(f'"{c}"' if ("," in c or "'" in c) else c for c in cells) + "\n"


def line_counts(incident):
    return {
        line.weapon.name: (line.launched, line.intercepted)
        for line in incident.weapon_lines.select_related("weapon")
    }


QUIRKS = (
    HEADER
    # Hour without a leading zero; the end sorts before the start as text.
    + row("2023-05-16 3:30", "2023-05-16 07:00", "Kalibr", "18.0", "18.0", "Black Sea")
    # Compound model, dict-like cell with NaN, trailing space in a time.
    + row("2025-03-06 21:00 ", "2025-03-07 10:00", "X-101/X-555 and Kalibr", "4.0",
          "3.0", "Caspian Sea", details="{'south': 61, 'west': 3, 'east': NaN}")
    # Date-only window with a trailing space and a blank count.
    + row("2024-05-16", "2024-05-16 ", "Unknown UAV", "5.0", "", target="south",
          source="PvKPivden/posts/pfbidB")
    # A second row of the first window, not next to it.
    + row("2023-05-16 03:30", "2023-05-16 07:00", "Shahed-136/131", "6.0", "6.0",
          "Primorsko-Akhtarsk and Chauda, Crimea and Kursk oblast",
          affected="['Kyiv oblast', 'Odesa oblast']")
    # The same model twice in one window: the counts add up.
    + row("2023-05-16 03:30", "2023-05-16 07:00", "Shahed-136/131", "4.0", "2.0",
          "Millerovo")
)  # fmt: skip

CORRUPT = (
    HEADER
    + row("2024-11-09 20:00", "2024-11-10 09:30", "Shahed-136/131", "145.0", "62.0")
    + row("2024-11-09 20:00", "2024-11-10 09:30", "Iskander-M", "many", "1.0")
    + "2024-11-11,2024-11-11,Lancet,,south,,1.0,1.0\n"
    + row("2024-13-40", "2024-11-12", "Lancet", "1.0", "1.0")
    + row("2024-11-12 20:00", "2024-11-12 10:00", "Lancet", "1.0", "1.0")
    + row("2024-11-13", "2024-11-13", "Lancet", "1.0", "2.0")
)


class ImportQuirksTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_places", stdout=StringIO())

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)

    def write(self, text, name="data.csv", encoding="utf-8"):
        path = Path(self.dir.name) / name
        path.write_bytes(text.encode(encoding))
        return path

    def snapshot(self):
        return [
            list(model.objects.order_by("pk").values())
            for model in (Incident, WeaponLine, IncidentLocation, Source, WeaponModel)
        ]

    def test_it_survives_the_quirks_of_the_dataset(self):
        report = import_attacks(self.write(QUIRKS), progress=False)
        self.assertEqual(report.rejected, [])
        self.assertEqual(report.rows_read, 5)
        self.assertEqual(report.incidents["created"], 3)

        night = Incident.objects.get(started_at=kyiv(2023, 5, 16, 3, 30))
        self.assertEqual(night.ended_at, kyiv(2023, 5, 16, 7, 0))
        lines = line_counts(night)
        self.assertEqual(lines, {"Kalibr": (18, 18), "Shahed-136/131": (10, 8)})
        self.assertEqual((night.drones_launched, night.drones_intercepted), (10, 8))
        places = {
            (link.role, link.location.name)
            for link in night.incident_locations.select_related("location")
        }
        self.assertEqual(
            places,
            {
                ("launch", "Black Sea"),
                ("launch", "Primorsko-Akhtarsk"),
                ("launch", "Chauda"),
                ("launch", "Kursk Oblast"),
                ("launch", "Millerovo"),
                ("target", "Ukraine"),
                ("target", "Kyiv Oblast"),
                ("target", "Odesa Oblast"),
            },
        )

        compound = Incident.objects.get(started_at=kyiv(2025, 3, 6, 21, 0))
        line = compound.weapon_lines.get()
        self.assertEqual(line.weapon.name, "X-101/X-555 and Kalibr")
        self.assertEqual((line.launched, line.intercepted), (4, 3))
        self.assertIsNone(compound.drones_launched)

        day = Incident.objects.get(started_at=kyiv(2024, 5, 16, 0, 0))
        self.assertEqual(day.time_precision, Incident.Precision.DAY)
        self.assertEqual(day.ended_at, kyiv(2024, 5, 16, 0, 0))
        self.assertEqual((day.drones_launched, day.drones_intercepted), (5, None))
        self.assertEqual(day.incident_locations.get().location.name, "Southern Ukraine")
        source = day.sources.get()
        self.assertEqual(source.url, "https://www.facebook.com/PvKPivden/posts/pfbidB")
        self.assertEqual(source.claimant, "Ukrainian Air Force")

    def test_bad_rows_are_reported_by_line_and_good_rows_go_in(self):
        report = import_attacks(self.write(CORRUPT), progress=False)
        reasons = {r.line: r.reason for r in report.rejected}
        self.assertEqual(sorted(reasons), [3, 4, 5, 6, 7])
        self.assertIn("launched “many” is not a number", reasons[3])
        self.assertIn("expected 22 fields, found 8", reasons[4])
        self.assertIn("time_start “2024-13-40” is not a date", reasons[5])
        self.assertIn("is before time_start", reasons[6])
        self.assertIn("destroyed (2) exceeds launched (1)", reasons[7])
        self.assertEqual(Incident.objects.count(), 1)
        self.assertEqual(WeaponLine.objects.get().launched, 145)
        text = "\n".join(report.lines())
        self.assertIn("Rejected line 3: launched “many” is not a number", text)

    def test_strict_leaves_the_database_exactly_as_it_was(self):
        make_incident(summary="Entered by hand.", lines=[(make_weapon(), 5, 1)])
        before = self.snapshot()
        report = import_attacks(self.write(CORRUPT), strict=True, progress=False)
        self.assertTrue(report.aborted)
        self.assertEqual(len(report.rejected), 5)
        self.assertEqual(self.snapshot(), before)

    def test_strict_command_fails_with_line_numbers_and_no_traceback(self):
        before = self.snapshot()
        err = StringIO()
        with self.assertRaises(CommandError) as raised:
            call_command(
                "import_attacks", str(self.write(CORRUPT)), "--strict",
                stdout=StringIO(), stderr=err,
            )  # fmt: skip
        self.assertIn("nothing was written", str(raised.exception))
        self.assertIn("line 5: time_start “2024-13-40” is not a date", err.getvalue())
        self.assertEqual(self.snapshot(), before)

    def test_a_missing_column_is_a_clear_error(self):
        text = CORRUPT.replace("destroyed,not_reach_goal", "not_reach_goal", 1)
        before = self.snapshot()
        report = import_attacks(self.write(text), progress=False)
        self.assertIn("line 1: missing column(s): destroyed", report.fatal)
        self.assertEqual(self.snapshot(), before)
        with self.assertRaisesMessage(CommandError, "Nothing was written"):
            call_command(
                "import_attacks", str(self.write(text)), stdout=StringIO(),
                stderr=StringIO(),
            )  # fmt: skip

    def test_files_that_are_not_csv_text_are_clear_errors(self):
        latin = self.write(QUIRKS.replace("Chauda", "Chaudé"), encoding="latin-1")
        self.assertIn("not UTF-8", import_attacks(latin, progress=False).fatal)
        empty = self.write("")
        self.assertIn("empty", import_attacks(empty, progress=False).fatal)
        missing = Path(self.dir.name) / "nope.csv"
        self.assertIn("cannot read", import_attacks(missing, progress=False).fatal)
        self.assertEqual(Incident.objects.count(), 0)

    def test_dry_run_writes_nothing(self):
        before = self.snapshot()
        report = import_attacks(self.write(QUIRKS), dry_run=True, progress=False)
        self.assertEqual(report.incidents["created"], 3)
        self.assertIn("Dry run: nothing was written.", report.lines())
        self.assertEqual(self.snapshot(), before)

    def test_dry_run_reports_weapon_models_it_would_add(self):
        text = HEADER + row("2024-01-01", "2024-01-01", "Brand-new UAV", "1.0", "1.0")
        report = import_attacks(self.write(text), dry_run=True, progress=False)
        self.assertEqual(report.weapons_created, ["Brand-new UAV"])
        self.assertFalse(WeaponModel.objects.filter(name="Brand-new UAV").exists())
        import_attacks(self.write(text), progress=False)
        weapon = WeaponModel.objects.get(name="Brand-new UAV")
        self.assertEqual(weapon.category, WeaponModel.Category.UNKNOWN_DRONE)

    def test_a_newer_release_updates_and_adds_without_touching_hand_entries(self):
        import_attacks(self.write(QUIRKS), progress=False)
        hand = make_incident(
            started_at=kyiv(2023, 5, 16, 3, 30),
            ended_at=kyiv(2023, 5, 16, 7, 0),
            summary="Entered by hand.",
            lines=[(make_weapon(), 10, 8)],
        )
        hand_before = Incident.objects.filter(pk=hand.pk).values().get()
        compound = Incident.objects.get(started_at=kyiv(2025, 3, 6, 21, 0))
        compound_stamp = compound.updated_at

        newer = (
            QUIRKS.replace('"Black Sea"', "Black Sea")
            .replace("Kalibr,,Black Sea", "Kalibr,Black Sea")
            .replace(',18.0,18.0,', ',20.0,19.0,')
            + row("2023-05-16 03:30", "2023-05-16 07:00", "Iskander-M", "2.0", "0.0")
            + row("2025-10-30 19:00", "2025-10-31 09:00", "Shahed-136/131", "145.0",
                  "107.0", source="kpszsu/posts/pfbidC")
        )  # fmt: skip
        report = import_attacks(self.write(newer), progress=False)
        self.assertEqual(
            (report.incidents["created"], report.incidents["updated"],
             report.incidents["unchanged"]),
            (1, 1, 2),
        )  # fmt: skip
        self.assertEqual(Incident.objects.filter(import_key__isnull=False).count(), 4)
        night = Incident.objects.get(
            import_key__isnull=False, started_at=kyiv(2023, 5, 16, 3, 30)
        )
        lines = line_counts(night)
        self.assertEqual(
            lines,
            {"Kalibr": (20, 19), "Shahed-136/131": (10, 8), "Iskander-M": (2, 0)},
        )
        self.assertEqual(night.sources.count(), 1)
        compound.refresh_from_db()
        self.assertEqual(compound.updated_at, compound_stamp)
        self.assertEqual(
            Incident.objects.filter(pk=hand.pk).values().get(), hand_before
        )
        self.assertEqual(hand.weapon_lines.get().launched, 10)

    def test_edits_of_journalists_survive_a_reimport(self):
        import_attacks(self.write(QUIRKS), status="draft", progress=False)
        incident = Incident.objects.get(started_at=kyiv(2024, 5, 16, 0, 0))
        self.assertEqual(incident.status, Incident.Status.DRAFT)
        incident.summary = "Checked against the regional report."
        incident.save()
        moscow = Location.objects.get(slug="moscow-oblast")
        IncidentLocation.objects.create(
            incident=incident, location=moscow, role=IncidentLocation.Role.INTERCEPTION
        )
        report = import_attacks(self.write(QUIRKS), progress=False)
        self.assertEqual(report.incidents["unchanged"], 3)
        incident.refresh_from_db()
        self.assertEqual(incident.summary, "Checked against the regional report.")
        self.assertEqual(incident.status, Incident.Status.DRAFT)
        self.assertTrue(incident.incident_locations.filter(location=moscow).exists())

    def test_small_batches_give_the_same_result(self):
        import_attacks(self.write(QUIRKS), batch_size=1, progress=False)
        self.assertEqual(Incident.objects.count(), 3)
        self.assertEqual(WeaponLine.objects.count(), 4)

    def test_line_numbers_count_multi_line_cells(self):
        text = (
            HEADER
            + row("2024-11-09", "2024-11-09", "Lancet", "1.0", "1.0",
                  details="{'a':\n 1}")
            + row("2024-11-09", "2024-11-09", "Lancet", "x", "1.0")
        )  # fmt: skip
        report = import_attacks(self.write(text), progress=False)
        # Row 2 spans lines 2-4: two of its cells hold a line break.
        self.assertEqual([r.line for r in report.rejected], [5])

    def test_the_command_prints_a_summary(self):
        out = StringIO()
        call_command("import_attacks", str(self.write(QUIRKS)), stdout=out)
        self.assertIn("Rows read: 5; rejected: 0.", out.getvalue())
        self.assertIn("Incidents created: 3", out.getvalue())
        out = StringIO()
        call_command("import_attacks", str(self.write(QUIRKS)), "--dry-run", stdout=out)
        self.assertIn("unchanged: 3", out.getvalue())
