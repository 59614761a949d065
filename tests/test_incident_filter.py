from django.test import TestCase

from incidents.filters import IncidentFilter
from incidents.models import Incident, Location
from tests.factories import kyiv, make_incident, make_location, make_weapon


class IncidentFilterTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.moscow_oblast = make_location(
            "Moscow Oblast",
            kind=Location.Kind.REGION,
            alternate_names=["Московская область", "région de Moscou"],
        )
        cls.ramenskoye = make_location(
            "Ramenskoye", alternate_names=["Ramenskoïe", "Раменское"]
        )
        cls.kyiv = make_location("Kyiv", country="UA", region="Kyiv")
        shahed = make_weapon()
        cls.moscow = make_incident(
            attacker="ZZ",
            target_country="RU",
            drones_launched=None,
            drones_intercepted=34,
            started_at=kyiv(2024, 11, 10, 1, 0),
            ended_at=None,
            summary="Downed over Moscow oblast",
            places=[(cls.ramenskoye, "interception")],
        )
        cls.ukraine = make_incident(
            started_at=kyiv(2024, 11, 9, 20, 0),
            places=[cls.kyiv],
            lines=[(shahed, 145, 62)],
            sources=[{"claimant": "Volodymyr Zelensky", "title": "Night report"}],
        )
        cls.older = make_incident(
            started_at=kyiv(2024, 1, 1, 22, 0),
            ended_at=kyiv(2024, 1, 2, 6, 0),
            drones_launched=10,
            drones_intercepted=9,
        )

    def _ids(self, **params):
        f = IncidentFilter(params, queryset=Incident.objects.order_by("started_at"))
        self.assertTrue(f.is_valid(), f.errors)
        return list(f.qs)

    def test_location_matches_any_spelling(self):
        for spelling in ["Ramenskoïe", "Ramenskoye", "Раменское", "ramenskoie"]:
            with self.subTest(spelling=spelling):
                self.assertEqual(self._ids(location=spelling), [self.moscow])

    def test_region_matches_places_in_it_in_any_spelling(self):
        self.assertEqual(self._ids(region="Московская область"), [self.moscow])
        self.assertEqual(self._ids(region="moscow oblast"), [self.moscow])

    def test_side_and_target_accept_any_case(self):
        self.assertEqual(self._ids(side="ru"), [self.older, self.ukraine])
        self.assertEqual(self._ids(target_country="RU"), [self.moscow])

    def test_date_range_uses_kyiv_calendar_days(self):
        self.assertEqual(
            self._ids(date_after="2024-11-09", date_before="2024-11-09"),
            [self.ukraine],
        )
        self.assertEqual(self._ids(date_after="2024-11-10"), [self.moscow])

    def test_drone_model_text_and_min_launched(self):
        self.assertEqual(self._ids(drone_model="shahed"), [self.ukraine])
        self.assertEqual(self._ids(q="zelensky"), [self.ukraine])
        self.assertEqual(self._ids(q="moscow"), [self.moscow])
        self.assertEqual(self._ids(min_launched="100"), [self.ukraine])

    def test_ordering_puts_unknown_counts_last_both_ways(self):
        self.assertEqual(
            self._ids(ordering="-drones_launched"),
            [self.ukraine, self.older, self.moscow],
        )
        self.assertEqual(
            self._ids(ordering="drones_launched"),
            [self.older, self.ukraine, self.moscow],
        )

    def test_bad_values_are_reported_per_parameter(self):
        f = IncidentFilter(
            {"side": "mars", "date_after": "2024-13-45", "ordering": "password"},
            queryset=Incident.objects.all(),
        )
        self.assertFalse(f.is_valid())
        self.assertEqual(set(f.errors), {"side", "date_after", "ordering"})
