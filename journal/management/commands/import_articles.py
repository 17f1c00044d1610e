"""Import plain-text article exports as drafts, one transaction per file."""

import logging
from collections import Counter
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from journal.services.imports import ImportOutcome, ImportResult, article_import
from journal.services.plaintext import read_limited

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Import the journal's plain-text exports as draft articles. Give files, "
        "or directories whose .txt files are imported in name order. A file imported before "
        "is skipped, so the command is safe to run again. Exits with status 1 when any file "
        "was rejected or failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="FILE_OR_DIR")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Read and check every file and report what would be created; create nothing.",
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="Record this user as the one who created the drafts.",
        )

    def handle(self, *args, paths, dry_run=False, user=None, verbosity=1, **options):
        files = self._files(paths)
        user = self._user(user)
        counts = Counter()
        total = len(files)
        width = len(str(total))
        for number, file in enumerate(files, start=1):
            result = self._import(file, user=user, dry_run=dry_run)
            counts[result.outcome] += 1
            self._report(result, f"[{number:>{width}}/{total}]", verbosity)
        summary = (
            f"{'Checked' if dry_run else 'Imported'} {total} file{'s' if total != 1 else ''}: "
            f"{counts[ImportOutcome.CREATED]} {'would be created' if dry_run else 'created'}, "
            f"{counts[ImportOutcome.SKIPPED]} skipped, {counts[ImportOutcome.REJECTED]} "
            f"rejected, {counts[ImportOutcome.FAILED]} failed."
        )
        failures = counts[ImportOutcome.REJECTED] + counts[ImportOutcome.FAILED]
        if failures:
            raise CommandError(summary, returncode=1)
        if verbosity:
            self.stdout.write(self.style.SUCCESS(summary))

    def _files(self, paths: list[str]) -> list[Path]:
        files = []
        for name in paths:
            path = Path(name)
            if path.is_dir():
                found = sorted(
                    p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".txt"
                )
                if not found:
                    self.stderr.write(f"No .txt files in {path}.")
                files.extend(found)
            elif path.is_file():
                files.append(path)
            else:
                raise CommandError(f"No such file or directory: {path}. Nothing was imported.")
        return files

    def _user(self, username: str | None):
        if not username:
            return None
        User = get_user_model()
        try:
            return User._default_manager.get_by_natural_key(username)
        except User.DoesNotExist:
            raise CommandError(f"No user called “{username}”. Nothing was imported.") from None

    def _import(self, file: Path, *, user, dry_run: bool) -> ImportResult:
        try:
            with file.open("rb") as stream:
                data = read_limited(stream)
        except OSError as error:
            return ImportResult(
                file.name, ImportOutcome.REJECTED, f"rejected. It cannot be read: {error}"
            )
        try:
            return article_import(name=file.name, data=data, user=user, dry_run=dry_run)
        except Exception:
            # One file going wrong must not stop the rest of a long run.
            logger.exception("Importing %s failed", file)
            return ImportResult(
                file.name, ImportOutcome.FAILED, "failed. Unexpected error (logged above)."
            )

    def _report(self, result: ImportResult, progress: str, verbosity: int) -> None:
        line = f"{progress} {result.name}: {result.message}"
        if result.failed:
            self.stderr.write(self.style.ERROR(line))
        elif verbosity:
            self.stdout.write(line)
        if verbosity < 2:
            return
        if result.article is not None and result.article.pk and not result.failed:
            self.stdout.write(f"    slug: {result.article.slug} (id {result.article.pk})")
        for byline in result.bylines:
            self.stdout.write(f"    byline: {byline}")
        for kind, names in result.suggested_tags:
            self.stdout.write(f"    suggested {kind}: {', '.join(names)}")
        for line in result.found:
            self.stdout.write(f"    {line[:1].lower()}{line[1:]}")
        for warning in result.warnings:
            self.stdout.write(self.style.WARNING(f"    warning: {warning}"))
