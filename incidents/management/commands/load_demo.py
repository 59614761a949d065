import json
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.dateparse import parse_date, parse_datetime

from incidents.models import (
    Incident,
    IncidentLocation,
    Location,
    Source,
    WeaponLine,
    WeaponModel,
)

DEMO_FILE = Path(__file__).resolve().parents[2] / "data" / "demo.json"


class Command(BaseCommand):
    help = (
        "Load the demo record (two incidents from the seed article and their "
        "places). Idempotent: rows that exist already are left as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DEMO_FILE)

    @transaction.atomic
    def handle(self, *args, file, **options):
        data = json.loads(file.read_text(encoding="utf-8"))
        created = {"weapon models": 0, "locations": 0, "incidents": 0}
        for row in data["weapons"]:
            _, new = WeaponModel.objects.get_or_create(name=row["name"], defaults=row)
            created["weapon models"] += new
        for row in data["locations"]:
            _, new = Location.objects.get_or_create(slug=row["slug"], defaults=row)
            created["locations"] += new
        for row in data["incidents"]:
            if Incident.objects.filter(public_id=row["public_id"]).exists():
                continue
            self._create_incident(dict(row))
            created["incidents"] += 1
        summary = ", ".join(f"{n} {what}" for what, n in created.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data: created {summary}."))

    def _create_incident(self, row):
        places = row.pop("places")
        lines = row.pop("weapon_lines")
        sources = row.pop("sources")
        row["started_at"] = parse_datetime(row["started_at"])
        row["ended_at"] = row["ended_at"] and parse_datetime(row["ended_at"])
        incident = Incident(**row)
        incident.full_clean()
        incident.save()
        for place in places:
            IncidentLocation.objects.create(
                incident=incident,
                location=Location.objects.get(slug=place["slug"]),
                role=place["role"],
            )
        for line in lines:
            WeaponLine.objects.create(
                incident=incident,
                weapon=WeaponModel.objects.get(name=line["weapon"]),
                launched=line.get("launched"),
                intercepted=line.get("intercepted"),
            )
        for source in sources:
            source["published_on"] = parse_date(source["published_on"])
            Source.objects.create(incident=incident, **source)
