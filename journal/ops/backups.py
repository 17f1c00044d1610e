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

A restore loads everything in one transaction into a migrated install, puts
the files in place, and brings derived state up to date: the search index,
the planner's statistics and the generation of cached pages. Loaded rows are
saved raw, as loaddata saves them, so slug history is not recorded again
(it is in the archive); rendition checks wait for the commit and find the
restored files, or make the renditions an archive from object storage lacks.

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
import shutil
import stat
import tarfile
import tempfile
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import BinaryIO

import django
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files import File
from django.core.files.storage import Storage, default_storage, storages
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Model, Prefetch
from django.utils import timezone

from journal.content_generation import end_on_commit
from journal.images.renditions import RENDITIONS_DIR, is_local
from journal.ops.database import refresh_planner_statistics
from journal.ops.encryption import MAGIC as ENCRYPTED_MAGIC
from journal.ops.encryption import (
    DecryptingReader,
    DecryptionError,
    EncryptingWriter,
    is_encrypted,
)
from journal.ops.storage import SPOOL_BYTES
from journal.search.index import rebuild_index
from journal.services.related import related_articles_refresh_all

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
# the rest and makes them again from the rows restored (related coverage).
DERIVED_MODELS = frozenset({"journal.relatedarticle"})
LEFT_OUT_MODELS = frozenset({"auth.permission", *DERIVED_MODELS})
# Columns derived from others in the same row, rebuilt after a restore.
DERIVED_FIELDS = {"journal.article": frozenset({"search_vector"})}
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


def _encryption_keys() -> list[str]:
    return list(getattr(settings, "BACKUP_ENCRYPTION_KEYS", []))


def backup_name(*, now: datetime.datetime | None = None) -> str:
    """An archive's name: when it was made, and `.enc` when it is encrypted."""
    now = timezone.localtime(now)
    suffix = ".tar.gz.enc" if _encryption_keys() else ".tar.gz"
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
    keys = _encryption_keys()
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
                fields=_serialized_fields(model),
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


def _serialized_fields(model: type[Model]) -> list[str] | None:
    derived = DERIVED_FIELDS.get(model._meta.label_lower)
    if not derived:
        return None
    meta = model._meta
    return [
        field.name
        for field in [*meta.local_fields, *meta.local_many_to_many]
        if field.name not in derived
    ]


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


# Restoring an archive --------------------------------------------------------


def backup_restore(*, path: str | Path, force: bool = False) -> RestoreSummary:
    """Load an archive written by `backup_create()` or `backup_upload()` into this migrated install.

    `path` is a file on this server, or the name of an archive in the backup
    storage (or in var/backups). Refuses, changing nothing, a file that is
    not such an archive, one of another format version, one from a newer
    schema, one encrypted with a key this install lacks, and a database that
    already holds content unless `force` is given, in which case that content
    is replaced, and so is every file under MEDIA_ROOT. The rows are loaded in
    one transaction and the files are put in place just before it commits,
    so a failure at any point leaves the database and the files as they were.
    """
    label, raw = _open_source(path)
    with raw:
        tar, finish = _open_archive(raw, label)
        with tar:
            manifest = _read_manifest(tar, label)
            _check_schema(manifest)
            ContentType.objects.clear_cache()
            if not force:
                _refuse_content()
            rows = _next_member(tar)
            if rows is None or rows.name != DATABASE or not rows.isfile():
                raise BackupError(
                    f"{label} is not a backup of this journal: it holds no {DATABASE}."
                )
            if is_local(default_storage):
                counts, media_files = _restore_to_disk(
                    tar, rows, manifest=manifest, force=force, finish=finish
                )
            else:
                counts, media_files = _restore_to_storage(
                    tar, rows, manifest=manifest, storage=default_storage, finish=finish
                )
    return RestoreSummary(
        path=label,
        created_at=str(manifest.get("created_at", "")),
        counts=counts,
        media_files=media_files,
        replaced=force,
    )


def _restore_to_disk(
    tar, rows, *, manifest: dict, force: bool, finish: Callable[[], None]
) -> tuple[dict[str, int], int]:
    media_root = Path(settings.MEDIA_ROOT).absolute()
    media_root.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=media_root))
    swap = _MediaSwap(media_root=media_root, aside=work / "replaced")
    try:
        with transaction.atomic():
            counts = _load_rows(tar.extractfile(rows), manifest=manifest)
            media_files = _extract_media(tar, into=work / "media")
            finish()
            _derive_after_load()
            swap.run(staged=work / "media", replace=force, keep=work)
            end_on_commit()
    except (DeserializationError, DatabaseError, *DAMAGED) as error:
        swap.undo()
        raise BackupError(
            f"The archive could not be restored, nothing was changed: {error}"
        ) from error
    except BaseException:
        swap.undo()
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return counts, media_files


def _restore_to_storage(
    tar, rows, *, manifest: dict, storage: Storage, finish: Callable[[], None]
) -> tuple[dict[str, int], int]:
    """As `_restore_to_disk`, into object storage, where files cannot be staged and renamed.

    The archive's files are stored under their own names before the rows
    commit; on a failure those that were not there before are deleted again.
    Files the archive does not hold are left in the bucket even with --force:
    their names are unique and no row refers to them.
    """
    added: list[str] = []
    try:
        with transaction.atomic():
            counts = _load_rows(tar.extractfile(rows), manifest=manifest)
            media_files = _upload_media(tar, storage=storage, added=added)
            finish()
            _derive_after_load()
            end_on_commit()
    except (DeserializationError, DatabaseError, *DAMAGED) as error:
        _delete_quietly(storage, added)
        raise BackupError(
            f"The archive could not be restored, nothing was changed: {error}"
        ) from error
    except BaseException:
        _delete_quietly(storage, added)
        raise
    return counts, media_files


def _derive_after_load() -> None:
    # Statistics first: the index and related rows are found through them.
    refresh_planner_statistics()
    rebuild_index()
    related_articles_refresh_all()
    refresh_planner_statistics()


def _open_source(path: str | Path) -> tuple[str, BinaryIO]:
    """The archive `path` names, opened for reading: a file here, or one in the backup storage."""
    local = Path(path)
    if local.is_file():
        return str(path), open(local, "rb")
    storage = backup_storage()
    name = str(path)
    if storage is not None:
        try:
            return describe(storage, name), storage.open(name, "rb")
        except FileNotFoundError:
            pass
        except Exception as error:  # Object storage's client raises its own errors.
            raise BackupError(f"{describe(storage, name)} could not be read: {error}") from error
    in_default_folder = Path(settings.VAR_DIR) / "backups" / name
    if "/" not in name and in_default_folder.is_file():
        return str(in_default_folder), open(in_default_folder, "rb")
    elsewhere = f" nor {describe(storage, name)}" if storage is not None else ""
    raise BackupError(f"There is no file {path}{elsewhere}.")


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


def _not_ours(path: str, why: str) -> BackupError:
    return BackupError(f"{path} is not a backup of this journal: {why}. Nothing was changed.")


def _open_archive(raw: BinaryIO, label: str) -> tuple[tarfile.TarFile, Callable[[], None]]:
    """The archive as a tar stream, decrypted if need be, and what checks that it was read whole."""
    try:
        head = raw.read(len(ENCRYPTED_MAGIC))
        raw.seek(0)
        finish = _nothing
        if is_encrypted(head):
            raw = DecryptingReader(raw, keys=_encryption_keys())
            finish = raw.finish
        # A stream: members are read once, in order, and never all held in memory.
        return tarfile.open(fileobj=raw, mode="r|gz"), finish
    except DecryptionError as error:
        raise BackupError(f"{label} cannot be restored: {error}. Nothing was changed.") from error
    except DAMAGED as error:
        raise _not_ours(label, "it is not a gzip-compressed tar archive") from error


def _nothing() -> None:
    pass


def _next_member(tar: tarfile.TarFile) -> tarfile.TarInfo | None:
    try:
        member = tar.next()
    except DAMAGED as error:
        raise BackupError(f"The archive is damaged ({error}). Nothing was changed.") from error
    tar.members.clear()
    return member


def _read_manifest(tar: tarfile.TarFile, path: str) -> dict:
    member = _next_member(tar)
    if member is None or member.name != MANIFEST or not member.isfile():
        raise _not_ours(path, f"it does not begin with {MANIFEST}")
    if member.size > MAX_MANIFEST_BYTES:
        raise _not_ours(path, f"its {MANIFEST} is too large")
    try:
        manifest = json.loads(tar.extractfile(member).read())
    except (ValueError, *DAMAGED) as error:
        raise _not_ours(path, f"its {MANIFEST} cannot be read") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _not_ours(path, f"its {MANIFEST} is not of the {FORMAT} format")
    if manifest.get("version") != VERSION:
        raise BackupError(
            f"{path} is a backup in format version {manifest.get('version')!r}; this version "
            f"of the journal reads version {VERSION} only. Nothing was changed."
        )
    counts, migrations = manifest.get("counts"), manifest.get("migrations")
    if not (
        isinstance(counts, dict)
        and all(isinstance(n, int) and n >= 0 for n in counts.values())
        and isinstance(migrations, dict)
        and all(isinstance(names, list) for names in migrations.values())
    ):
        raise _not_ours(path, f"its {MANIFEST} lacks counts or migrations")
    return manifest


def _check_schema(manifest: dict) -> None:
    """The database must be migrated, and at least as far as the one the archive came from."""
    executor = MigrationExecutor(connection)
    unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if unapplied:
        raise BackupError(
            f"The database lacks {len(unapplied)} migration(s). Run `manage.py migrate` "
            "first, then restore. Nothing was changed."
        )
    applied = set(executor.loader.applied_migrations)
    missing = sorted(
        {(app, name) for app, names in manifest["migrations"].items() for name in names} - applied
    )
    if missing:
        listed = ", ".join(f"{app}.{name}" for app, name in missing[:5])
        raise BackupError(
            f"The archive comes from a newer version of the journal: its database had "
            f"migrations this one does not ({listed}{', …' if len(missing) > 5 else ''}). "
            "Update the code and migrate, then restore. Nothing was changed."
        )


def _content_counts() -> dict[str, int]:
    counts = {}
    for model in backed_up_models():
        label = model._meta.label_lower
        if label not in MADE_BY_MIGRATIONS and (count := model._base_manager.count()):
            counts[label] = count
    return counts


def _refuse_content() -> None:
    if counts := _content_counts():
        held = ", ".join(f"{count} {label}" for label, count in sorted(counts.items()))
        raise BackupError(
            f"The database already holds content ({held}). Restore into a freshly migrated, "
            "empty install, or give --force to replace everything in it. Nothing was changed."
        )


def _tables(models: list[type[Model]]) -> list[str]:
    tables = []
    for model in models:
        tables.append(model._meta.db_table)
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            if through._meta.auto_created:
                tables.append(through._meta.db_table)
    return list(dict.fromkeys(tables))


def _load_rows(stream, *, manifest: dict) -> dict[str, int]:
    """Empty the backed-up tables and load the archive's rows, much as loaddata would.

    Rows are saved raw, so receivers that maintain derived state skip or
    redo work that the restore does once at the end; many-to-many rows are
    written in batches, without m2m_changed signals.
    """
    models = backed_up_models()
    labels = {model._meta.label_lower for model in models}
    expected = {label: count for label, count in manifest["counts"].items() if count}
    if unknown := sorted(set(expected) - labels):
        raise BackupError(
            f"The archive holds rows of models this install does not restore: "
            f"{', '.join(unknown)}. Nothing was changed."
        )
    tables = _tables([*models, *(apps.get_model(label) for label in sorted(DERIVED_MODELS))])
    if connection.vendor == "postgresql":
        # Rows written earlier in an enclosing transaction leave foreign-key
        # checks pending, and TRUNCATE refuses to run while any are.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    connection.ops.execute_sql_flush(
        connection.ops.sql_flush(no_style(), tables, reset_sequences=False)
    )
    counts: Counter[str] = Counter()
    tags = _Tags()
    waiting = []
    with connection.constraint_checks_disabled():
        for loaded in serializers.deserialize("jsonl", stream, handle_forward_references=True):
            label = loaded.object._meta.label_lower
            if label not in labels:
                raise BackupError(f"The archive holds {label} rows, which are not restored.")
            tags.add(loaded.object, loaded.m2m_data or {})
            # The tables are empty: an INSERT, without the UPDATE loaddata tries first.
            loaded.save(save_m2m=False, force_insert=True)
            counts[label] += 1
            if loaded.deferred_fields:
                waiting.append(loaded)
        tags.flush()
        for loaded in waiting:
            loaded.save_deferred_fields()
    connection.check_constraints(table_names=tables)
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
    if dict(counts) != expected:
        raise BackupError(
            "The archive's rows do not match its manifest; it may have been altered. "
            "Nothing was changed."
        )
    return {model._meta.label_lower: counts[model._meta.label_lower] for model in models}


class _Tags:
    """Rows of many-to-many tables, inserted in batches.

    loaddata calls `set()` for each object and field, which reads the table
    before each insert: most of the time a large restore would take.
    """

    def __init__(self):
        self.pending: dict[type[Model], list[Model]] = defaultdict(list)

    def add(self, obj: Model, m2m_data: dict[str, list]) -> None:
        for name, targets in m2m_data.items():
            field = obj._meta.get_field(name)
            through = field.remote_field.through
            source = through._meta.get_field(field.m2m_field_name()).attname
            target = through._meta.get_field(field.m2m_reverse_field_name()).attname
            rows = self.pending[through]
            rows.extend(through(**{source: obj.pk, target: pk}) for pk in targets)
            if len(rows) >= CHUNK_SIZE:
                self._write(through)

    def flush(self) -> None:
        for through in list(self.pending):
            self._write(through)

    def _write(self, through: type[Model]) -> None:
        through._base_manager.bulk_create(self.pending.pop(through), batch_size=CHUNK_SIZE)


def _media_path(member: tarfile.TarInfo) -> PurePosixPath | None:
    """Where under MEDIA_ROOT a member goes; None for a folder. Refuses anything unsafe."""
    name = member.name
    if not (member.isfile() or member.isdir()):
        raise BackupError(
            f"The archive holds {name!r}, a link or special file; a backup holds none. "
            "Nothing was changed."
        )
    if member.isdir() and name == MEDIA_PREFIX.rstrip("/"):
        return None
    relative = name.removeprefix(MEDIA_PREFIX)
    parts = relative.split("/")
    if (
        not name.startswith(MEDIA_PREFIX)
        or any(part in ("", ".", "..") for part in parts)
        or "\\" in name
        or "\x00" in name
    ):
        raise BackupError(
            f"The archive holds {name!r}, which is not a plain file name under media/. "
            "Nothing was changed."
        )
    return None if member.isdir() else PurePosixPath(*parts)


def _extract_media(tar: tarfile.TarFile, *, into: Path) -> int:
    """Write the archive's files under `into`, a new folder; returns how many."""
    into.mkdir()
    mode = settings.FILE_UPLOAD_PERMISSIONS or 0o644
    count = 0
    while (member := _next_member(tar)) is not None:
        relative = _media_path(member)
        if relative is None:
            continue
        target = into.joinpath(*relative.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        # "x": a name given twice is refused rather than overwritten.
        with tar.extractfile(member) as source, open(target, "xb") as file:
            shutil.copyfileobj(source, file, 1024 * 1024)
        target.chmod(mode)
        count += 1
    return count


def _upload_media(tar: tarfile.TarFile, *, storage: Storage, added: list[str]) -> int:
    """Store the archive's files in `storage` under their names; `added` gets those that are new."""
    seen = set()
    count = 0
    while (member := _next_member(tar)) is not None:
        relative = _media_path(member)
        if relative is None:
            continue
        name = relative.as_posix()
        if name in seen:
            raise BackupError(f"The archive holds {name!r} twice. Nothing was changed.")
        seen.add(name)
        existed = storage.exists(name)
        with (
            tar.extractfile(member) as source,
            tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as copy,
        ):
            shutil.copyfileobj(source, copy, 1024 * 1024)
            copy.seek(0)
            stored = storage.save(name, File(copy, name=name))
        if not existed:
            added.append(stored)
        if stored != name:
            raise BackupError(
                f"The media storage stored {name} as {stored}: it must be set to overwrite "
                "files. Nothing was changed."
            )
        count += 1
    return count


def _delete_quietly(storage: Storage, names: list[str]) -> None:
    for name in names:
        try:
            storage.delete(name)
        except Exception:  # Already failing: the first error is the one to report.
            logger.warning("Could not delete %s after a failed restore", name, exc_info=True)


class _MediaSwap:
    """Moves restored files into MEDIA_ROOT by renaming, and can move everything back."""

    def __init__(self, *, media_root: Path, aside: Path):
        self.media_root = media_root
        self.aside = aside
        self.moves: list[tuple[Path, Path]] = []

    def run(self, *, staged: Path, replace: bool, keep: Path) -> None:
        if replace:
            for entry in sorted(self.media_root.iterdir()):
                if entry.name != keep.name:
                    self._move(entry, self.aside / entry.name)
        self._merge(staged, self.media_root, self.aside)

    def undo(self) -> None:
        for source, target in reversed(self.moves):
            os.rename(target, source)
        self.moves.clear()

    def _merge(self, source: Path, target: Path, aside: Path) -> None:
        for entry in sorted(source.iterdir()):
            destination = target / entry.name
            if entry.is_dir() and destination.is_dir() and not destination.is_symlink():
                self._merge(entry, destination, aside / entry.name)
                continue
            if destination.exists() or destination.is_symlink():
                self._move(destination, aside / entry.name)
            self._move(entry, destination)

    def _move(self, source: Path, target: Path) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        os.rename(source, target)
        self.moves.append((source, target))
