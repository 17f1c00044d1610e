"""Write the whole journal, database and uploaded files, to one archive."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from journal.ops.backups import (
    BackupError,
    backup_create,
    backup_storage,
    backup_upload,
    count_lines,
    default_backup_path,
)


class Command(BaseCommand):
    help = (
        "Write the database and every uploaded file to one .tar.gz archive, which "
        "`manage.py restore` loads into an empty install: into the bucket "
        "DJANGO_BACKUP_STORAGE names, or var/backups/ on this server. Encrypted when "
        "DJANGO_BACKUP_ENCRYPTION_KEY is set. The archive holds password hashes and editors' "
        "e-mail addresses: keep it as safe as the database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            metavar="PATH",
            help="Write the archive to this file on this server instead (default: the backup "
            "storage, else var/backups/journal-<date>-<time>.tar.gz).",
        )

    def handle(self, *args, output=None, verbosity=1, **options):
        storage = backup_storage()
        try:
            if output is None and storage is not None:
                summary = backup_upload(storage=storage)
            else:
                summary = backup_create(output=output or default_backup_path())
        except BackupError as error:
            raise CommandError(str(error)) from error
        for line in count_lines(summary.counts, verbosity=verbosity):
            self.stdout.write(line)
        for name in summary.skipped_files:
            self.stderr.write(f"  skipped {name} (a link, a special file, or deleted meanwhile)")
        encrypted = ", encrypted" if summary.encrypted else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {summary.location} ({filesizeformat(summary.size)}{encrypted}): "
                f"{sum(summary.counts.values())} rows, {summary.media_files} media files "
                f"({filesizeformat(summary.media_bytes)})."
            )
        )
