"""Backups: the database and every uploaded file of the journal, in one archive.

An archive is a gzip-compressed tar file holding, in this order:

    manifest.json    what it is: format and version, when, which Django, counts
    database.jsonl   every row worth keeping, one JSON object a line
    media/...        every uploaded file: under MEDIA_ROOT, uploads and their
                     renditions; from object storage, the uploads alone

Rows are written with Django's serializers, so an archive made on SQLite
restores on PostgreSQL and back. Content types and permissions are left out:
`migrate` makes them in every install, under ids of its own, so the rows that
point at them (revisions, admin history, group and user permissions) name them
by natural key. Every other row keeps its primary key, because revisions and
admin history refer to objects by id, in text. Sessions and login-attempt
records are left out too.

journal/ops/restore.py loads an archive back into an install.

An archive is written to a file on this server (var/backups by default) or,
when DJANGO_BACKUP_STORAGE names a bucket, to that bucket. With
DJANGO_BACKUP_ENCRYPTION_KEY set it is encrypted as it is written
(journal/ops/encryption.py); a restore recognises an encrypted archive by its
first bytes.
"""

from __future__ import annotations

import datetime
import io
import json
import logging
import os
import stat
import tarfile
import tempfile
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.files import File
from django.core.files.storage import Storage, default_storage, storages
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Model, Prefetch
from django.utils import timezone

from journal.images.renditions import RENDITIONS_DIR, is_local
from journal.ops.encryption import (
    DecryptionError,
    EncryptingWriter,
)

logger = logging.getLogger(__name__)

FORMAT = "diplomacy-journal-backup"
VERSION = 1
MANIFEST = "manifest.json"
DATABASE = "database.jsonl"
MEDIA_PREFIX = "media/"
MAX_MANIFEST_BYTES = 1024 * 1024
# Made by `migrate` in every install, or of no use in another one.
LEFT_OUT_APPS = frozenset({"contenttypes", "sessions", "axes"})
# Rows derived from the others: not in an archive; a restore empties them with
# the rest and makes them again from the rows restored (related coverage, the
# search index).
DERIVED_MODELS = frozenset({"journal.relatedarticle", "journal.searchentry"})
LEFT_OUT_MODELS = frozenset({"auth.permission", *DERIVED_MODELS})
# Rows a freshly migrated install already has: they do not make it "not empty".
MADE_BY_MIGRATIONS = frozenset({"auth.group"})
# A restore stages its files in MEDIA_ROOT, so putting them in place is a rename.
STAGING_PREFIX = ".restore-"
CHUNK_SIZE = 2000
# What reading a truncated or corrupt archive raises.
DAMAGED = (tarfile.TarError, OSError, EOFError, zlib.error, DecryptionError)


class BackupError(Exception):
    """A backup or restore refused or failed; the message says why, for the operator."""


@dataclass(frozen=True)
class BackupSummary:
    location: str  # a path on this server, or the archive's address in the backup storage
    size: int
    counts: dict[str, int]
    media_files: int
    media_bytes: int
    skipped_files: tuple[str, ...] = ()
    encrypted: bool = False


@dataclass(frozen=True)
class RestoreSummary:
    path: str
    created_at: str
    counts: dict[str, int]
    media_files: int
    replaced: bool


@dataclass(frozen=True)
class StoredBackup:
    name: str
    size: int
    modified: datetime.datetime | None


def backed_up_models() -> list[type[Model]]:
    """The models whose rows an archive holds; those named by natural key come first."""
    app_list = []
    for app_config in apps.get_app_configs():
        if app_config.label in LEFT_OUT_APPS:
            continue
        models = [
            model
            for model in app_config.get_models()
            if model._meta.managed
            and not model._meta.proxy
            and model._meta.label_lower not in LEFT_OUT_MODELS
        ]
        if models:
            app_list.append((app_config, models))
    return serializers.sort_dependencies(app_list, allow_cycles=True)


def count_lines(counts: dict[str, int], *, verbosity: int) -> list[str]:
    """Rows per model, as the commands print them: empty ones only when verbose."""
    if not verbosity:
        return []
    return [f"  {label}: {count}" for label, count in counts.items() if count or verbosity > 1]


def backup_storage() -> Storage | None:
    """The storage DJANGO_BACKUP_STORAGE names, or None: archives then go to var/backups."""
    return storages["backups"] if "backups" in settings.STORAGES else None


def encryption_keys() -> list[str]:
    return list(getattr(settings, "BACKUP_ENCRYPTION_KEYS", []))


def backup_name(*, now: datetime.datetime | None = None) -> str:
    """An archive's name: when it was made, and `.enc` when it is encrypted."""
    now = timezone.localtime(now)
    suffix = ".tar.gz.enc" if encryption_keys() else ".tar.gz"
    return f"journal-{now:%Y-%m-%d-%H%M%S}{suffix}"


def default_backup_path(*, now: datetime.datetime | None = None) -> Path:
    return Path(settings.VAR_DIR) / "backups" / backup_name(now=now)


def describe(storage: Storage, name: str) -> str:
    """An archive's place in a storage, as the commands print it (s3://bucket/prefix/name)."""
    bucket = getattr(storage, "bucket_name", None)
    if not bucket:
        return name
    location = getattr(storage, "location", "").strip("/")
    return f"s3://{bucket}/{location + '/' if location else ''}{name}"


# Writing an archive ---------------------------------------------------------


def backup_create(*, output: Path) -> BackupSummary:
    """Write the database and the media to one archive at `output`, replacing any file there.

    The rows are read in one transaction, so they are consistent with each
    other even while editors work. Nothing large is held in memory: the rows go to
    a temporary file next to the archive, the files are streamed one by one,
    and the archive is written under a temporary name, readable by its owner
    only (it holds password hashes), then renamed. With
    DJANGO_BACKUP_ENCRYPTION_KEY set, it is encrypted as it is written.
    """
    output = Path(output).absolute()
    if is_local(default_storage):
        media_root = Path(settings.MEDIA_ROOT).absolute()
        if output.is_relative_to(media_root):
            raise BackupError(
                f"{output} is inside MEDIA_ROOT ({media_root}), where it would be served to "
                "anyone and back itself up. Write it somewhere else."
            )
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(f".{output.name}.partial")
    try:
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(descriptor, 0o600)
        with open(descriptor, "wb") as raw:
            summary = _write_archive(raw, location=str(output), rows_dir=output.parent)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, output)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return summary


def backup_upload(*, storage: Storage, name: str | None = None) -> BackupSummary:
    """Write the archive `backup_create` writes into `storage` (the backup storage), as `name`.

    It is written to a temporary file first and stored once complete, so a
    failed backup leaves nothing half-written in the bucket.
    """
    name = name or backup_name()
    temporary_dir = settings.FILE_UPLOAD_TEMP_DIR
    # mkstemp, under TemporaryFile: readable by this user only.
    with tempfile.TemporaryFile(dir=temporary_dir) as raw:
        summary = _write_archive(raw, location=describe(storage, name), rows_dir=temporary_dir)
        raw.seek(0)
        try:
            stored = storage.save(name, File(raw, name=name))
        except Exception as error:  # Object storage's client raises its own errors.
            raise BackupError(
                f"The archive could not be stored as {describe(storage, name)}: {error}"
            ) from error
    return replace(summary, location=describe(storage, stored))


def _write_archive(raw, *, location: str, rows_dir) -> BackupSummary:
    """Write the archive to the binary file `raw`, encrypted when there is a key."""
    keys = encryption_keys()
    media = default_storage
    if is_local(media):
        media_root = Path(settings.MEDIA_ROOT).absolute()
        media_files, media_bytes = _media_totals(media_root)
    else:
        stored_names = list(_stored_media_names(media))
        # Their sizes would cost a request each, before the one that reads them.
        media_files, media_bytes = len(stored_names), None
    out = EncryptingWriter(raw, keys=keys) if keys else raw
    start = raw.tell()
    with tempfile.TemporaryFile(dir=rows_dir) as rows:
        counts = _dump_rows(rows)
        rows_size = rows.tell()
        rows.seek(0)
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": timezone.now().isoformat(),
            "django": django.get_version(),
            "database": connection.vendor,
            "migrations": _applied_migrations(),
            "counts": counts,
            "media_files": media_files,
            "media_bytes": media_bytes,
        }
        try:
            with tarfile.open(fileobj=out, mode="w:gz", compresslevel=6) as tar:
                about = json.dumps(manifest, indent=2, sort_keys=True).encode()
                _add(tar, MANIFEST, io.BytesIO(about), size=len(about))
                _add(tar, DATABASE, rows, size=rows_size)
                if is_local(media):
                    written, written_bytes, skipped = _add_media(tar, media_root)
                else:
                    written, written_bytes, skipped = _add_stored_media(tar, media, stored_names)
        except BaseException:
            if keys:
                out.discard()
            raise
        if keys:
            out.close()
    return BackupSummary(
        location=location,
        size=raw.tell() - start,
        counts=counts,
        media_files=written,
        media_bytes=written_bytes,
        skipped_files=tuple(skipped),
        encrypted=bool(keys),
    )


class _Encoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds; a backup keeps the microseconds."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


@contextmanager
def _snapshot():
    """One consistent view of the database for the whole dump, without stopping writers."""
    if connection.in_atomic_block:
        # Already in the caller's transaction, which sees its own writes.
        yield
    elif connection.vendor == "sqlite":
        # atomic() would BEGIN IMMEDIATE (see settings) and hold the write lock
        # throughout; a deferred transaction reads one snapshot of the WAL.
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("ROLLBACK")
    else:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield


def _dump_rows(stream) -> dict[str, int]:
    counts: Counter[str] = Counter()
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="\n")
    with _snapshot():
        for model in backed_up_models():
            label = model._meta.label_lower
            counts[label] = 0
            serializers.serialize(
                "jsonl",
                _counted(_rows_of(model), counts, label),
                stream=text,
                use_natural_foreign_keys=True,
                cls=_Encoder,
            )
            if counts[label] != model._base_manager.count():
                raise BackupError(
                    f"Not every {label} row could be read, so no archive was written. "
                    "Check the database's integrity (foreign keys) and try again."
                )
    text.flush()
    text.detach()
    return dict(counts)


def _counted(objects: Iterable[Model], counts: Counter[str], label: str) -> Iterator[Model]:
    for obj in objects:
        counts[label] += 1
        yield obj


def _natural_foreign_keys(model: type[Model]) -> list[str]:
    """Foreign keys written as natural keys, read with the row rather than one query each."""
    return [
        field.name
        for field in model._meta.concrete_fields
        if field.is_relation and hasattr(field.related_model, "natural_key")
    ]


def _rows_of(model: type[Model]) -> Iterator[Model]:
    rows = _rows_named_by(model).order_by(model._meta.pk.name)
    tags = [
        Prefetch(field.name, queryset=_rows_named_by(field.related_model))
        for field in model._meta.local_many_to_many
        if field.remote_field.through._meta.auto_created
    ]
    if tags:
        rows = rows.prefetch_related(*tags)
    return rows.iterator(chunk_size=CHUNK_SIZE)


def _rows_named_by(model: type[Model]):
    rows = model._base_manager.all()
    if natural := _natural_foreign_keys(model):
        rows = rows.select_related(*natural)
    return rows


def _applied_migrations() -> dict[str, list[str]]:
    """The migrations applied here, of the apps installed (not those left behind in the table)."""
    loader = MigrationExecutor(connection).loader
    applied: dict[str, list[str]] = {}
    for app_label, name in sorted(loader.applied_migrations):
        if (app_label, name) in loader.graph.nodes:
            applied.setdefault(app_label, []).append(name)
    return applied


def _media_entries(media_root: Path) -> Iterator[tuple[str, Path]]:
    """Everything under MEDIA_ROOT but folders, in name order, as (name in the archive, path).

    Links are not followed; a restore's staging folder is not included.
    """
    if not media_root.is_dir():
        return
    for folder, folders, files in os.walk(media_root):
        here = Path(folder)
        if here == media_root:
            folders[:] = [name for name in folders if not name.startswith(STAGING_PREFIX)]
        folders.sort()
        for name in sorted(files):
            path = here / name
            yield MEDIA_PREFIX + path.relative_to(media_root).as_posix(), path


def _media_totals(media_root: Path) -> tuple[int, int]:
    count = size = 0
    for _name, path in _media_entries(media_root):
        try:
            status = path.lstat()
        except FileNotFoundError:
            continue
        if stat.S_ISREG(status.st_mode):
            count += 1
            size += status.st_size
    return count, size


def _add(tar: tarfile.TarFile, name: str, file, *, size: int, mtime: float | None = None) -> None:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(timezone.now().timestamp() if mtime is None else mtime)
    info.mode = 0o644
    tar.addfile(info, file)
    # TarFile keeps every member it wrote; a million renditions need not stay in memory.
    tar.members.clear()


def _add_media(tar: tarfile.TarFile, media_root: Path) -> tuple[int, int, list[str]]:
    count = size = 0
    skipped = []
    for name, path in _media_entries(media_root):
        try:
            if not stat.S_ISREG(path.lstat().st_mode):
                raise OSError("not a regular file")
            file = open(os.open(path, os.O_RDONLY | os.O_NOFOLLOW), "rb")
        except OSError:
            # A link, a special file, or a file deleted since the folder was read.
            skipped.append(name)
            continue
        with file:
            status = os.fstat(file.fileno())
            _add(tar, name, file, size=status.st_size, mtime=status.st_mtime)
        count += 1
        size += status.st_size
    return count, size, skipped


def _stored_media_names(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file in the media storage but the renditions, in name order, from its listings.

    Renditions are left out on object storage: listing them costs a request
    per image, and a restore makes them again from the originals.
    """
    directories, files = storage.listdir(folder)
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for directory in sorted(directories):
        path = f"{folder}/{directory}" if folder else directory
        if path != RENDITIONS_DIR:
            yield from _stored_media_names(storage, path)


def _add_stored_media(
    tar: tarfile.TarFile, storage: Storage, names: list[str]
) -> tuple[int, int, list[str]]:
    count = size = 0
    skipped = []
    for name in names:
        try:
            file = storage.open(name, "rb")
        except FileNotFoundError:
            skipped.append(MEDIA_PREFIX + name)  # deleted since the listing
            continue
        with file:
            length = file.size
            _add(tar, MEDIA_PREFIX + name, file, size=length)
        count += 1
        size += length
    return count, size, skipped


def stored_backups() -> list[StoredBackup]:
    """The archives in the backup storage (or var/backups), oldest first."""
    storage = backup_storage()
    if storage is None:
        folder = Path(settings.VAR_DIR) / "backups"
        files = sorted(folder.glob("journal-*")) if folder.is_dir() else []
        return [
            StoredBackup(
                name=file.name,
                size=file.stat().st_size,
                modified=datetime.datetime.fromtimestamp(file.stat().st_mtime, tz=datetime.UTC),
            )
            for file in files
            if file.is_file()
        ]
    try:
        _, names = storage.listdir("")
        return [
            StoredBackup(
                name=name, size=storage.size(name), modified=storage.get_modified_time(name)
            )
            for name in sorted(names)
            if name.startswith("journal-")
        ]
    except Exception as error:  # Object storage's client raises its own errors.
        raise BackupError(f"The backup storage could not be listed: {error}") from error
