"""Write the whole journal, database and uploaded files, to one archive."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from journal.ops.backups import BackupError, backup_create, count_lines, default_backup_path


class Command(BaseCommand):
    help = (
        "Write the database and every file under MEDIA_ROOT to one .tar.gz archive, which "
        "`manage.py restore` loads into an empty install. The archive holds password hashes "
        "and editors' e-mail addresses: keep it as safe as the database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            metavar="PATH",
            help="Where to write the archive (default: var/backups/journal-<date>-<time>.tar.gz).",
        )

    def handle(self, *args, output=None, verbosity=1, **options):
        try:
            summary = backup_create(output=output or default_backup_path())
        except BackupError as error:
            raise CommandError(str(error)) from error
        for line in count_lines(summary.counts, verbosity=verbosity):
            self.stdout.write(line)
        for name in summary.skipped_files:
            self.stderr.write(f"  skipped {name} (a link, a special file, or deleted meanwhile)")
        size = filesizeformat(summary.path.stat().st_size)
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {summary.path} ({size}): {sum(summary.counts.values())} rows, "
                f"{summary.media_files} media files ({filesizeformat(summary.media_bytes)})."
            )
        )
