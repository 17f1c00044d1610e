"""Index every article for search again.

Saves and deletes keep the index current by themselves; this catches up rows
written without signals (bulk inserts, queryset updates, raw SQL, a restored
database dump).
"""

from django.core.management.base import BaseCommand

from journal.ops.database import refresh_planner_statistics
from journal.search.index import rebuild_index


class Command(BaseCommand):
    help = "Rebuild the full-text search index of all articles."

    def handle(self, *args, **options):
        def progress(done: int, total: int) -> None:
            if options["verbosity"] > 1:
                self.stdout.write(f"  {done}/{total}")

        total = rebuild_index(progress=progress)
        refresh_planner_statistics()
        self.stdout.write(self.style.SUCCESS(f"Indexed {total} articles for search."))
