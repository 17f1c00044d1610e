"""Restores: an archive written by journal/ops/backups.py, loaded into a migrated install.

A restore loads every row in one transaction, puts the files in place just
before it commits (under MEDIA_ROOT, staged and swapped in; or in object
storage, deleted again on a failure), and brings derived state up to date:
the search index, related articles, the planner's statistics and the
generation of cached pages. Loaded rows are saved raw, as loaddata saves
them, so slug history is not recorded again (it is in the archive);
rendition checks wait for the commit and find the restored files, or make
the renditions an archive from object storage lacks. An encrypted archive
is recognised by its first bytes and decrypted as it is read.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tarfile
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Model

from journal.content_generation import end_on_commit
from journal.images.renditions import is_local
from journal.ops.backups import (
    CHUNK_SIZE,
    DAMAGED,
    DATABASE,
    DERIVED_MODELS,
    FORMAT,
    MADE_BY_MIGRATIONS,
    MANIFEST,
    MAX_MANIFEST_BYTES,
    MEDIA_PREFIX,
    STAGING_PREFIX,
    VERSION,
    BackupError,
    RestoreSummary,
    backed_up_models,
    backup_storage,
    describe,
    encryption_keys,
)
from journal.ops.database import refresh_planner_statistics
from journal.ops.encryption import MAGIC as ENCRYPTED_MAGIC
from journal.ops.encryption import (
    DecryptingReader,
    DecryptionError,
    is_encrypted,
)
from journal.ops.storage import SPOOL_BYTES
from journal.search.index import rebuild_index
from journal.services.related import related_articles_refresh_all

logger = logging.getLogger(__name__)


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


def _not_ours(path: str, why: str) -> BackupError:
    return BackupError(f"{path} is not a backup of this journal: {why}. Nothing was changed.")


def _open_archive(raw: BinaryIO, label: str) -> tuple[tarfile.TarFile, Callable[[], None]]:
    """The archive as a tar stream, decrypted if need be, and what checks that it was read whole."""
    try:
        head = raw.read(len(ENCRYPTED_MAGIC))
        raw.seek(0)
        finish = _nothing
        if is_encrypted(head):
            raw = DecryptingReader(raw, keys=encryption_keys())
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
