import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import TestCase

from incidents.models import Incident, Location, WeaponLine
from tests.factories import kyiv, make_incident, make_location, make_weapon


class IncidentConstraintTests(TestCase):
    """The rules hold in the database itself, whatever path writes the row."""

    def setUp(self):
        self.incident = make_incident()

    def _raw_update(self, **values):
        columns = ", ".join(f"{name} = %s" for name in values)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE incidents_incident SET {columns} WHERE id = %s",
                [*values.values(), self.incident.pk],
            )

    def _raw_insert(self, **overrides):
        row = {
            "public_id": "rawinsert1",
            "started_at": kyiv(2024, 11, 9, 20, 0),
            "ended_at": kyiv(2024, 11, 10, 9, 30),
            "time_precision": "minute",
            "attacker": "RU",
            "target_country": "UA",
            "attribution": "claimed",
            "drones_launched": 10,
            "drones_intercepted": 5,
            "summary": "",
            "status": "draft",
            "created_at": kyiv(2024, 11, 10, 10, 0),
            "updated_at": kyiv(2024, 11, 10, 10, 0),
        }
        row.update(overrides)
        names = ", ".join(row)
        marks = ", ".join(["%s"] * len(row))
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO incidents_incident ({names}) VALUES ({marks})",
                list(row.values()),
            )

    def test_a_valid_raw_insert_is_accepted(self):
        self._raw_insert()
        self.assertTrue(Incident.objects.filter(public_id="rawinsert1").exists())

    def test_database_rejects_intercepted_above_launched(self):
        with self.assertRaisesMessage(
            IntegrityError, "incident_intercepted_within_launched"
        ):
            self._raw_insert(drones_launched=10, drones_intercepted=11)
        with self.assertRaises(IntegrityError):
            self._raw_update(drones_launched=10, drones_intercepted=11)

    def test_database_rejects_negative_counts(self):
        with self.assertRaises(IntegrityError):
            self._raw_insert(drones_launched=-1, drones_intercepted=None)
        with self.assertRaises(IntegrityError):
            self._raw_insert(drones_launched=None, drones_intercepted=-5)
        self.assertFalse(Incident.objects.filter(public_id="rawinsert1").exists())

    def test_database_rejects_an_end_before_the_start(self):
        with self.assertRaisesMessage(IntegrityError, "incident_ends_after_start"):
            self._raw_insert(
                started_at=kyiv(2024, 11, 10, 9, 0), ended_at=kyiv(2024, 11, 9, 9, 0)
            )

    def test_unknown_counts_are_allowed(self):
        self._raw_insert(drones_launched=None, drones_intercepted=34)
        row = Incident.objects.get(public_id="rawinsert1")
        self.assertIsNone(row.drones_launched)
        self.assertEqual(row.drones_intercepted, 34)
        self.assertIsNone(row.interception_rate)

    def test_weapon_lines_are_checked_by_the_database(self):
        shahed = make_weapon()
        with self.assertRaises(IntegrityError), transaction.atomic():
            WeaponLine.objects.create(
                incident=self.incident, weapon=shahed, launched=3, intercepted=4
            )

    def test_coordinates_must_be_in_range_and_paired(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Location.objects.create(name="Nowhere", latitude=91, longitude=10)
        with self.assertRaises(IntegrityError), transaction.atomic():
            Location.objects.create(name="Half", latitude=50, longitude=None)


class IncidentValidationTests(TestCase):
    """The same rules as field errors, for forms and serializers."""

    def test_full_clean_names_the_field_for_each_rule(self):
        cases = [
            ({"drones_launched": 5, "drones_intercepted": 6}, "drones_intercepted"),
            ({"drones_launched": -1}, "drones_launched"),
            (
                {
                    "started_at": kyiv(2024, 11, 10, 9, 0),
                    "ended_at": kyiv(2024, 11, 9, 9, 0),
                },
                "ended_at",
            ),
        ]
        for overrides, field in cases:
            fields = {
                "started_at": kyiv(2024, 11, 9, 20, 0),
                "target_country": "UA",
                **overrides,
            }
            with self.subTest(field=field), pytest.raises(ValidationError) as info:
                Incident(**fields).full_clean()
            self.assertIn(field, info.value.message_dict)

    def test_drone_totals_must_agree_with_drone_lines(self):
        shahed, iskander = make_weapon(), make_weapon("Iskander-M", "ballistic_missile")
        incident = make_incident(drones_launched=150, drones_intercepted=62)
        lines = [
            WeaponLine(weapon=shahed, launched=145, intercepted=62),
            WeaponLine(weapon=iskander, launched=2, intercepted=2),
        ]
        errors = incident.check_totals(lines)
        self.assertEqual(list(errors), ["drones_launched"])
        self.assertIn("145", str(errors["drones_launched"]))

    def test_blank_totals_are_filled_from_drone_lines_only(self):
        shahed, iskander = make_weapon(), make_weapon("Iskander-M", "ballistic_missile")
        incident = make_incident(drones_launched=None, drones_intercepted=None)
        lines = [
            WeaponLine(weapon=shahed, launched=145, intercepted=62),
            WeaponLine(weapon=iskander, launched=2, intercepted=1),
        ]
        self.assertTrue(incident.fill_totals_from(lines))
        self.assertEqual(
            (incident.drones_launched, incident.drones_intercepted), (145, 62)
        )


class IncidentIdentityTests(TestCase):
    def test_public_id_is_set_once_and_used_in_the_url(self):
        incident = make_incident()
        public_id = incident.public_id
        self.assertEqual(len(public_id), 10)
        incident.summary = "Edited"
        incident.save()
        incident.refresh_from_db()
        self.assertEqual(incident.public_id, public_id)
        self.assertEqual(incident.get_absolute_url(), f"/incidents/{public_id}/")

    def test_a_colliding_public_id_is_replaced_on_creation(self):
        first = make_incident()
        second = make_incident(public_id=first.public_id)
        self.assertNotEqual(first.public_id, second.public_id)

    def test_publishing_records_the_first_publication_time(self):
        incident = make_incident(status=Incident.Status.DRAFT)
        self.assertIsNone(incident.published_at)
        incident.status = Incident.Status.PUBLISHED
        incident.save()
        first = incident.published_at
        self.assertIsNotNone(first)
        incident.status = Incident.Status.DRAFT
        incident.save()
        incident.status = Incident.Status.PUBLISHED
        incident.save()
        self.assertEqual(incident.published_at, first)


class LocationMatchingTests(TestCase):
    def setUp(self):
        self.ramenskoye = make_location(
            "Ramenskoye", alternate_names=["Ramenskoïe", "Раменское"]
        )
        self.kyiv = make_location(
            "Kyiv", country="UA", region="Kyiv", alternate_names=["Kiev", "Київ"]
        )
        self.moscow = make_location("Moscow", alternate_names=["Moskva", "Москва"])

    def test_any_spelling_finds_the_place(self):
        for spelling in ["Ramenskoïe", "ramenskoye", "Раменское", "RAMENSKOE"]:
            with self.subTest(spelling=spelling):
                self.assertQuerySetEqual(
                    Location.objects.matching(spelling), [self.ramenskoye]
                )

    def test_it_does_not_match_unrelated_places_by_loose_key(self):
        self.assertQuerySetEqual(Location.objects.matching("Kyiv"), [self.kyiv])
        self.assertQuerySetEqual(Location.objects.matching(""), [])

    def test_slug_is_generated_and_unique(self):
        other = make_location("Ramenskoye", region="Tver Oblast")
        self.assertEqual(self.ramenskoye.slug, "ramenskoye-ru")
        self.assertEqual(other.slug, "ramenskoye-ru-2")
