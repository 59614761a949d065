from django.core.management import call_command
from django.test import TestCase

from incidents.models import Incident, Location


class DemoDataTests(TestCase):
    def test_it_loads_the_two_seed_incidents_once(self):
        call_command("load_demo", verbosity=0)
        call_command("load_demo", verbosity=0)
        self.assertEqual(Incident.objects.count(), 2)
        self.assertEqual(Location.objects.filter(slug="ramenskoye-ru").count(), 1)

        moscow = Incident.objects.get(target_country="RU")
        self.assertIsNone(moscow.drones_launched)
        self.assertEqual(moscow.drones_intercepted, 34)
        self.assertEqual(moscow.attribution, Incident.Attribution.UNCLAIMED)
        self.assertEqual(
            set(moscow.locations.values_list("name", flat=True)),
            {"Ramenskoye", "Domodedovo", "Moscow Oblast"},
        )
        self.assertEqual(moscow.sources.get().claimant, "Russian authorities")

        ukraine = Incident.objects.get(target_country="UA")
        self.assertEqual(
            (ukraine.drones_launched, ukraine.drones_intercepted), (145, 62)
        )
        self.assertIn("Zelensky", ukraine.sources.get().claimant)
        self.assertEqual(ukraine.status, Incident.Status.PUBLISHED)

    def test_the_demo_places_match_the_seed_article_spelling(self):
        call_command("load_demo", verbosity=0)
        self.assertEqual(
            list(
                Location.objects.matching("Ramenskoïe").values_list("slug", flat=True)
            ),
            ["ramenskoye-ru"],
        )
