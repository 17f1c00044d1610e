"""Fill the journal with a large generated archive, for benchmarks and load tests."""

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from bench.archive import ArchiveError, archive_clear, archive_generate
from journal.models import Article


class Command(BaseCommand):
    help = (
        "Generate realistic articles (bylines, tags, shared images, every status, publish "
        "times over twenty years) with bulk inserts. Needs the reference data. The same "
        "--seed gives the same archive."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=1000, help="How many (default 1000).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--clear",
            action="store_true",
            help="First delete what an earlier run generated (the desk's articles stay).",
        )

    def handle(self, *args, articles, seed, clear, **options):
        if articles < 1:
            raise CommandError("--articles must be at least 1.")
        if clear:
            self.stdout.write(f"Deleted {archive_clear()} generated articles.")
        started = time.monotonic()
        interactive = sys.stdout.isatty() and options["verbosity"] > 0

        def progress(done: int, total: int) -> None:
            elapsed = time.monotonic() - started
            width = 30
            filled = width * done // total
            line = (
                f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total} articles, {elapsed:.0f} s"
            )
            if interactive:
                self.stdout.write(f"\r{line}", ending="")
                if done == total:
                    self.stdout.write("")
            elif options["verbosity"] > 0 and (done == total or done % 10_000 < 2000):
                self.stdout.write(line)

        try:
            report = archive_generate(articles=articles, seed=seed, progress=progress)
        except ArchiveError as error:
            raise CommandError(str(error)) from error
        statuses = ", ".join(
            f"{n} {Article.Status(status).label.lower()}"
            for status, n in sorted(report.by_status.items())
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {report.articles} articles ({statuses}; 'published' includes "
                f"scheduled ones), {report.bylines} bylines, {report.tags} tags, "
                f"{report.contributors} contributors and {report.images} shared images "
                f"in {time.monotonic() - started:.0f} s."
            )
        )
