from django.core.management.base import BaseCommand, CommandError

from journal.demo import MissingReferenceData, demo_content_load


class Command(BaseCommand):
    help = (
        "Load demo contributors and articles, with generated illustrations. Needs the "
        "reference data (manage.py load_reference_data). Safe to run again: demo content "
        "already there is matched by slug and left as the desk has it."
    )

    def handle(self, *args, **options):
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
