from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from incidents.models import Location, WeaponModel

UA_OBLASTS = [
    "Cherkasy", "Chernihiv", "Chernivtsi", "Dnipropetrovsk", "Donetsk",
    "Ivano-Frankivsk", "Kharkiv", "Kherson", "Khmelnytskyi", "Kirovohrad", "Kyiv",
    "Luhansk", "Lviv", "Mykolaiv", "Odesa", "Poltava", "Rivne", "Sumy", "Ternopil",
    "Vinnytsia", "Volyn", "Zakarpattia", "Zaporizhzhia", "Zhytomyr",
]  # fmt: skip


class LoadPlacesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=StringIO())
        cls.demo_ids = dict(Location.objects.values_list("slug", "pk"))
        call_command("load_places", stdout=StringIO())

    def test_every_ukrainian_oblast_and_city_region_is_a_region(self):
        regions = set(
            Location.objects.filter(
                kind=Location.Kind.REGION, country="UA"
            ).values_list("name", flat=True)
        )
        for oblast in UA_OBLASTS:
            self.assertIn(f"{oblast} Oblast", regions)
        for name in ("Crimea", "Kyiv City", "Sevastopol City"):
            self.assertIn(name, regions)
        self.assertEqual(len(regions), 27)

    def test_ramenskoye_in_any_spelling_is_one_place(self):
        found = [
            list(Location.objects.matching(name))
            for name in ("Ramenskoïe", "Раменское", "Ramenskoye", "ramenskoe")
        ]
        self.assertEqual(len(found[0]), 1)
        self.assertTrue(all(f == found[0] for f in found))
        self.assertEqual(found[0][0].slug, "ramenskoye-ru")

    def test_it_updates_the_demo_places_instead_of_duplicating_them(self):
        for slug, pk in self.demo_ids.items():
            self.assertEqual(Location.objects.get(slug=slug).pk, pk)
        ramenskoye = Location.objects.get(slug="ramenskoye-ru")
        self.assertEqual(ramenskoye.geonameid, 502965)
        self.assertEqual(Location.objects.filter(name="Ramenskoye").count(), 1)
        self.assertEqual(Location.objects.filter(name="Ukraine").count(), 1)
        self.assertEqual(
            Location.objects.get(slug="moscow-oblast").kind, Location.Kind.REGION
        )
        # Names added by hand (the demo's) are kept.
        self.assertIn("Раменське", ramenskoye.alternate_names)

    def test_a_second_run_changes_nothing(self):
        before = list(Location.objects.order_by("pk").values())
        out = StringIO()
        call_command("load_places", stdout=out)
        self.assertIn("0 created, 0 updated", out.getvalue())
        self.assertEqual(list(Location.objects.order_by("pk").values()), before)

    def test_settlements_name_an_existing_region_exactly(self):
        regions = set(
            Location.objects.filter(kind=Location.Kind.REGION).values_list(
                "name", flat=True
            )
        )
        places = Location.objects.exclude(
            kind__in=[
                Location.Kind.REGION,
                Location.Kind.COUNTRY,
                Location.Kind.SEA,
                Location.Kind.MACRO_REGION,
            ]
        )
        self.assertGreater(places.count(), 150)
        for place in places:
            self.assertIn(place.region, regions, place.name)
            self.assertIsNotNone(place.latitude, place.name)

    def test_launch_sites_of_the_attack_data_are_there(self):
        expected = {
            "Millerovo": "Rostov Oblast",
            "Shatalovo": "Smolensk Oblast",
            "Primorsko-Akhtarsk": "Krasnodar Krai",
            "Chauda": "Crimea",
            "Hvardiiske": "Crimea",
            "Domodedovo": "Moscow Oblast",
        }
        for name, region in expected.items():
            place = Location.objects.get(name=name)
            self.assertEqual(place.region, region)
        for name in ("Black Sea", "Sea of Azov", "Caspian Sea"):
            self.assertEqual(Location.objects.get(name=name).kind, Location.Kind.SEA)
        airport = Location.objects.get(slug="domodedovo-airport-ru")
        self.assertEqual(airport.kind, Location.Kind.AIRPORT)
        self.assertIn(airport, Location.objects.matching("DME"))

    def test_region_suffixes_and_spellings_match(self):
        kursk = Location.objects.get(name="Kursk Oblast")
        for text in ("Kursk oblast", "Kursk region", "Kursk obl.", "Курская область"):
            self.assertIn(kursk, Location.objects.matching(text), text)
        odesa = Location.objects.get(name="Odesa")
        for text in ("Odesa", "Odessa", "Одеса", "Одесса"):
            self.assertIn(odesa, Location.objects.matching(text), text)
        oblast = Location.objects.get(name="Odesa Oblast")
        for text in ("oblast d'Odessa", "Одеська область", "Odessa Oblast"):
            self.assertIn(oblast, Location.objects.matching(text), text)

    def test_weapon_catalogue_is_categorised(self):
        expected = {
            "Shahed-136/131": WeaponModel.Category.ATTACK_DRONE,
            "Lancet": WeaponModel.Category.LOITERING_MUNITION,
            "Kub": WeaponModel.Category.LOITERING_MUNITION,
            "Orlan-10": WeaponModel.Category.RECON_DRONE,
            "Reconnaissance UAV": WeaponModel.Category.RECON_DRONE,
            "Unknown UAV": WeaponModel.Category.UNKNOWN_DRONE,
            "Gerbera": WeaponModel.Category.DECOY_DRONE,
            "Iskander-M": WeaponModel.Category.BALLISTIC_MISSILE,
            "X-101/X-555 and Kalibr": WeaponModel.Category.CRUISE_MISSILE,
            "C-300": WeaponModel.Category.GUIDED_MISSILE,
        }
        for name, category in expected.items():
            self.assertEqual(WeaponModel.objects.get(name=name).category, category)
        self.assertEqual(
            WeaponModel.objects.get(name="Shahed-136/131").national_origin, "Iran"
        )
