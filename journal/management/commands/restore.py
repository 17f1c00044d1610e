"""Load an archive written by `manage.py backup` into this install, or list the archives kept."""

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from journal.ops.backups import BackupError, count_lines, stored_backups
from journal.ops.restore import backup_restore


class Command(BaseCommand):
    help = (
        "Restore an archive written by `manage.py backup`: its rows into the database and its "
        "files into the media storage. ARCHIVE is a file on this server or the name of an "
        "archive in the backup storage (see --list). Run `manage.py migrate` first. Refuses a "
        "database that already holds content unless --force is given. All or nothing: on any "
        "error the database and the media are left as they were."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            metavar="ARCHIVE",
            help="The archive: a file, or a name in the backup storage.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace what the database and the media hold now with the archive's content.",
        )
        parser.add_argument(
            "--list",
            action="store_true",
            dest="list_archives",
            help="List the archives in the backup storage (or var/backups), oldest first.",
        )

    def handle(self, *args, path=None, force=False, list_archives=False, verbosity=1, **options):
        if list_archives:
            return self._list()
        if not path:
            raise CommandError("Name the archive to restore, or give --list to see them.")
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

    def _list(self):
        try:
            archives = stored_backups()
        except BackupError as error:
            raise CommandError(str(error)) from error
        if not archives:
            self.stdout.write("No archives yet.")
        for archive in archives:
            when = (
                f"{timezone.localtime(archive.modified):%Y-%m-%d %H:%M}" if archive.modified else ""
            )
            self.stdout.write(f"{archive.name}  {filesizeformat(archive.size)}  {when}")
