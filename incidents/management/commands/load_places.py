from pathlib import Path

from django.core.management.base import BaseCommand

from incidents.gazetteer import PLACES_FILE, WEAPONS_FILE, load_places, load_weapons


class Command(BaseCommand):
    help = (
        "Load the shipped gazetteer (Ukrainian oblasts, Russian regions and "
        "launch sites, major cities; GeoNames, CC BY 4.0) and the weapon "
        "catalogue. Idempotent: rows are updated in place, never duplicated."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=PLACES_FILE)
        parser.add_argument("--weapons", type=Path, default=WEAPONS_FILE)

    def handle(self, *args, file, weapons, **options):
        places = load_places(file)
        self.stdout.write(self.style.SUCCESS(f"Places: {places}."))
        catalogue = load_weapons(weapons)
        self.stdout.write(self.style.SUCCESS(f"Weapon models: {catalogue}."))
