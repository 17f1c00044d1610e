from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from summits.models import Country
from summits.services import REFERENCE_DATA_DIR, ReferenceDataError, reference_data_load


class Command(BaseCommand):
    help = (
        "Load the reference countries, blocs, frameworks and summits. Safe to run again: "
        "existing records are matched by code or slug and updated, never duplicated."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--directory",
            type=Path,
            default=REFERENCE_DATA_DIR,
            help="Folder holding countries.json, frameworks.json and summits.json.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when any country is already recorded (so records the desk "
            "deleted stay deleted).",
        )
        parser.add_argument(
            "--keep-existing",
            action="store_true",
            help="Only add missing records; leave the ones the desk may have edited alone.",
        )

    def handle(self, *args, directory, keep_existing, if_empty, **options):
        if if_empty and Country.objects.exists():
            self.stdout.write("Reference data is already loaded; nothing done.")
            return
        try:
            report = reference_data_load(directory=directory, keep_existing=keep_existing)
        except (ReferenceDataError, OSError, ValueError) as error:
            raise CommandError(f"Nothing was loaded: {error}") from error
        for line in report.lines():
            self.stdout.write(line)
