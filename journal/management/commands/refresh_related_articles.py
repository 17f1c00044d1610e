"""Rank every article's related coverage again.

Tag changes and publications keep the rows current by themselves; this
catches up rows written without signals (bulk inserts, queryset updates, raw
SQL). A restore runs it.
"""

from django.core.management.base import BaseCommand

from journal.services.related import related_articles_refresh_all


class Command(BaseCommand):
    help = "Rank the related coverage of every article again."

    def handle(self, *args, **options):
        def progress(done: int, total: int) -> None:
            if options["verbosity"] > 1:
                self.stdout.write(f"  {done}/{total}")

        rows = related_articles_refresh_all(progress=progress)
        self.stdout.write(self.style.SUCCESS(f"Ranked related coverage: {rows} rows."))
