import importlib.util
import io
from contextlib import redirect_stdout

from django.test import TestCase

from incidents.models import Incident, IncidentLocation, Location, Source
from tests.deploy import ROOT


def _load_generator():
    spec = importlib.util.spec_from_file_location(
        "bench_generate", ROOT / "bench" / "generate.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


generate = _load_generator()


class BenchGenerateTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with redirect_stdout(io.StringIO()):
            generate.main(["--incidents", "300", "--seed", "7"])

    def test_it_creates_the_requested_incidents_with_places_and_sources(self):
        self.assertEqual(Incident.objects.count(), 300)
        self.assertFalse(Incident.objects.filter(incident_locations=None).exists())
        self.assertFalse(Incident.objects.filter(sources=None).exists())
        self.assertGreater(Source.objects.count(), 300)
        self.assertGreater(Incident.objects.public().count(), 250)

    def test_drone_lines_add_up_to_the_incident_totals(self):
        for incident in Incident.objects.prefetch_related("weapon_lines__weapon"):
            lines = list(incident.weapon_lines.all())
            self.assertTrue(lines)
            self.assertEqual(incident.check_totals(lines), {}, incident.pk)

    def test_places_are_searchable_in_any_spelling(self):
        kyiv = Location.objects.matching("Київ").get()
        self.assertEqual(kyiv.name, "Kyiv")
        self.assertTrue(IncidentLocation.objects.filter(location=kyiv).exists())

    def test_reset_replaces_the_record(self):
        with redirect_stdout(io.StringIO()):
            generate.main(["--incidents", "20", "--reset"])
        self.assertEqual(Incident.objects.count(), 20)
