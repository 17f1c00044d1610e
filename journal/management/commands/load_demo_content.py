from django.core.management.base import BaseCommand, CommandError

from journal.demo.builder import MissingReferenceData, demo_content_load
from journal.models import Article, Contributor


class Command(BaseCommand):
    help = (
        "Load demo contributors and articles, with generated illustrations. Needs the "
        "reference data (manage.py load_reference_data). Safe to run again: demo content "
        "already there is matched by slug and left as the desk has it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the journal already has articles or contributors "
            "(so demo pieces the desk deleted stay deleted).",
        )

    def handle(self, *args, if_empty, **options):
        if if_empty and (Article.objects.exists() or Contributor.objects.exists()):
            self.stdout.write("The journal already has content; demo content not loaded.")
            return
        try:
            report = demo_content_load()
        except MissingReferenceData as error:
            raise CommandError(f"{error} Run `manage.py load_reference_data` first.") from error
        for line in report.lines():
            self.stdout.write(line)
        if report.created_anything:
            self.stdout.write(self.style.SUCCESS("Demo content loaded."))
        else:
            self.stdout.write("Nothing new to load: all demo content is already there.")
