from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from incidents.importer import import_attacks
from incidents.models import Incident


class Command(BaseCommand):
    help = (
        "Import a CSV of the dataset “Massive Missile Attacks on Ukraine” "
        "(Ukrainian Air Force reports; CC BY-NC-SA 4.0). One incident per attack "
        "window and source post; idempotent. Run load_places first so places match."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="CSV file in the dataset's format")
        parser.add_argument(
            "--strict",
            action="store_true",
            help="Abort with nothing written if any row cannot be read.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would change and write nothing.",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=500,
            help="About this many rows per transaction (default 500).",
        )
        parser.add_argument(
            "--status",
            choices=[Incident.Status.PUBLISHED, Incident.Status.DRAFT],
            default=Incident.Status.PUBLISHED,
            help="Status of newly created incidents (default published).",
        )

    def handle(self, *args, path, strict, dry_run, batch_size, status, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        report = import_attacks(
            path,
            strict=strict,
            dry_run=dry_run,
            batch_size=batch_size,
            status=status,
            progress=None,
        )
        lines = report.lines()
        if not report.ok:
            for line in lines[:-1]:
                self.stderr.write(line)
            raise CommandError(lines[-1])
        for line in lines:
            self.stdout.write(line)
        style = self.style.WARNING if report.rejected else self.style.SUCCESS
        self.stdout.write(style("Done." if not dry_run else "Dry run done."))
