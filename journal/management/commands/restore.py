"""Load an archive written by `manage.py backup` into this install."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from journal.ops.backups import BackupError, backup_restore, count_lines


class Command(BaseCommand):
    help = (
        "Restore an archive written by `manage.py backup`: its rows into the database and its "
        "files into MEDIA_ROOT. Run `manage.py migrate` first. Refuses a database that already "
        "holds content unless --force is given. All or nothing: on any error the database and "
        "MEDIA_ROOT are left as they were."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, metavar="PATH", help="The archive (.tar.gz).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace what the database and MEDIA_ROOT hold now with the archive's content.",
        )

    def handle(self, *args, path, force=False, verbosity=1, **options):
        try:
            summary = backup_restore(path=path, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        for line in count_lines(summary.counts, verbosity=verbosity):
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {summary.path} (made {summary.created_at}): "
                f"{sum(summary.counts.values())} rows, {summary.media_files} media files"
                f"{', replacing what was there' if summary.replaced else ''}; "
                "search index rebuilt, cached pages renewed."
            )
        )
