"""Backups encrypted with DJANGO_BACKUP_ENCRYPTION_KEY and kept in a bucket (DJANGO_BACKUP_STORAGE).

The bucket tests run against moto's S3 server (the `s3_server` fixture);
the uploads are then in a bucket too, as they would be on such a site.
"""

import io
import json
import tarfile
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from journal.images.renditions import renditions_for
from journal.models import Article
from journal.ops.encryption import MAGIC
from journal.tests.object_storage import MEDIA_PREFIX, fetch
from journal.tests.ops import test_backups
from journal.tests.ops.test_backups import files, rows

# The journal a backup must keep, and an empty install to restore it into.
journal, media, archive, fresh_install = (
    test_backups.journal,
    test_backups.media,
    test_backups.archive,
    test_backups.fresh_install,
)

pytestmark = pytest.mark.django_db

KEY = Fernet.generate_key().decode()


@pytest.fixture
def encrypted(settings):
    settings.BACKUP_ENCRYPTION_KEYS = [KEY]


def assert_unreadable(data: bytes) -> None:
    """Neither a gzip file nor anything with the archive's words in it."""
    assert data.startswith(MAGIC)
    assert not data.startswith(b"\x1f\x8b")
    for word in (b"diplomacy-journal-backup", b"manifest.json", b"Ministers", b"SQLite", b"pbkdf2"):
        assert word not in data
    with pytest.raises(tarfile.TarError):
        tarfile.open(fileobj=io.BytesIO(data))


# Encryption, on this server's disk


def test_with_a_key_the_archive_is_encrypted_and_restores(
    settings, journal, media, archive, fresh_install, encrypted, commit
):
    before_rows, before_files = rows(), files(media)

    out = io.StringIO()
    call_command("backup", output=archive, stdout=out)

    assert ", encrypted)" in out.getvalue()
    assert archive.stat().st_mode & 0o777 == 0o600
    assert_unreadable(archive.read_bytes())

    fresh_install()
    with commit():
        call_command("restore", archive, stdout=io.StringIO())

    assert rows() == before_rows
    assert files(media) == before_files


def test_by_default_an_encrypted_archive_is_named_so(settings, tmp_path, encrypted):
    settings.VAR_DIR = tmp_path / "var"
    call_command("backup", stdout=io.StringIO())

    (written,) = (tmp_path / "var" / "backups").iterdir()
    assert written.name.startswith("journal-") and written.name.endswith(".tar.gz.enc")
    out = io.StringIO()
    call_command("restore", list_archives=True, stdout=out)
    assert written.name in out.getvalue()


def test_an_old_key_still_restores_after_a_new_one_is_put_first(
    settings, journal, media, archive, fresh_install, encrypted, commit
):
    before_rows = rows()
    call_command("backup", output=archive, stdout=io.StringIO())
    settings.BACKUP_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), KEY]

    fresh_install()
    with commit():
        call_command("restore", archive, stdout=io.StringIO())

    assert rows() == before_rows


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ([], "is encrypted: set DJANGO_BACKUP_ENCRYPTION_KEY"),
        ([Fernet.generate_key().decode()], "cannot be decrypted with DJANGO_BACKUP_ENCRYPTION_KEY"),
    ],
    ids=["no-key", "another-key"],
)
def test_without_its_key_an_archive_is_refused_and_nothing_changes(
    settings, journal, media, archive, encrypted, keys, message
):
    call_command("backup", output=archive, stdout=io.StringIO())
    Article.objects.filter(pk=journal["article"].pk).update(title="Changed since")
    before_rows, before_files = rows(), files(media)
    settings.BACKUP_ENCRYPTION_KEYS = keys

    with pytest.raises(CommandError, match=message):
        call_command("restore", archive, force=True)

    assert rows() == before_rows
    assert files(media) == before_files


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[:-200],  # cut short
        lambda data: (
            data[: len(data) // 2] + bytes([data[len(data) // 2] ^ 1]) + data[len(data) // 2 + 1 :]
        ),
        lambda data: data + data[len(MAGIC) + 16 :],  # chunks of its own again
    ],
    ids=["cut-short", "one-bit-flipped", "chunks-appended"],
)
def test_a_changed_encrypted_archive_is_refused_and_nothing_changes(
    journal, media, archive, tmp_path, encrypted, damage
):
    call_command("backup", output=archive, stdout=io.StringIO())
    Article.objects.filter(pk=journal["article"].pk).update(title="Changed since")
    before_rows, before_files = rows(), files(media)
    changed = tmp_path / "changed.tar.gz.enc"
    changed.write_bytes(damage(archive.read_bytes()))

    with pytest.raises(CommandError, match="[Nn]othing was changed"):
        call_command("restore", changed, force=True)

    assert rows() == before_rows
    assert files(media) == before_files


# In a bucket


@pytest.fixture
def stored_journal(object_storage, journal):
    """`journal` with its uploads (and their renditions) in the media bucket."""
    return journal


def wipe_install(object_storage) -> None:
    """An empty, freshly migrated install: no rows, and nothing in the media bucket."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    ContentType.objects.clear_cache()
    object_storage.empty(object_storage.media)


@pytest.mark.external
def test_a_backup_goes_to_the_bucket_encrypted_and_restores_into_a_fresh_install(
    client, settings, object_storage, stored_journal, encrypted, commit
):
    article = stored_journal["article"]
    before_rows = rows()
    before_media = object_storage.keys(object_storage.media)
    originals = [key for key in before_media if not key.startswith(f"{MEDIA_PREFIX}/renditions/")]
    assert len(originals) == 3 and len(before_media) > 3  # hero, photo, library image
    assert not Path(settings.MEDIA_ROOT).exists()  # nothing on this server's disk

    out = io.StringIO()
    call_command("backup", stdout=out)

    [name] = object_storage.keys(object_storage.backups)
    assert name.startswith("journal-") and name.endswith(".tar.gz.enc")
    assert f"Wrote s3://{object_storage.backups}/{name}" in out.getvalue()
    assert_unreadable(object_storage.read(object_storage.backups, name))
    # The backup bucket is private: its address gives nothing away.
    assert fetch(f"{object_storage.server.endpoint}/{object_storage.backups}/{name}")[0] == 403
    listing = io.StringIO()
    call_command("restore", list_archives=True, stdout=listing)
    assert listing.getvalue().startswith(name)

    wipe_install(object_storage)
    assert not Article.objects.exists()
    assert object_storage.keys(object_storage.media) == []
    out = io.StringIO()
    with commit():
        call_command("restore", name, stdout=out)

    assert f"Restored s3://{object_storage.backups}/{name}" in out.getvalue()
    after_rows = rows()
    for label, before in before_rows.items():  # one model at a time, for a readable diff
        assert after_rows[label] == before, label
    # The originals come back from the archive, their renditions are made again.
    assert object_storage.keys(object_storage.media) == before_media
    renditions = renditions_for(article.hero_image.name)
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    address = f"{object_storage.server.endpoint}/{object_storage.media}/{MEDIA_PREFIX}/"
    rendition = f"{address}{renditions.name(renditions.widths[0], 'webp')}"
    assert rendition in page.text
    assert fetch(rendition)[0] == 200


@pytest.mark.external
def test_without_a_key_the_bucket_gets_a_plain_archive_of_the_uploads(
    object_storage, stored_journal
):
    call_command("backup", stdout=io.StringIO())

    [name] = object_storage.keys(object_storage.backups)
    assert name.endswith(".tar.gz")
    data = object_storage.read(object_storage.backups, name)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    originals = sorted(
        key.removeprefix(f"{MEDIA_PREFIX}/")
        for key in object_storage.keys(object_storage.media)
        if not key.startswith(f"{MEDIA_PREFIX}/renditions/")
    )
    # Renditions are left out: a restore makes them again.
    assert sorted(names[2:]) == [f"media/{name}" for name in originals]
    assert manifest["media_files"] == 3


@pytest.mark.external
def test_a_failed_restore_takes_its_files_out_of_the_bucket_again(
    object_storage, stored_journal, tmp_path
):
    call_command("backup", stdout=io.StringIO())
    [name] = object_storage.keys(object_storage.backups)
    data = object_storage.read(object_storage.backups, name)
    broken = tmp_path / "broken.tar.gz"
    with tarfile.open(fileobj=io.BytesIO(data)) as original, tarfile.open(broken, "w:gz") as tar:
        for member in original:
            tar.addfile(member, original.extractfile(member))
        extra = tarfile.TarInfo("media/../outside.png")
        extra.size = 3
        tar.addfile(extra, io.BytesIO(b"png"))
    object_storage.empty(object_storage.media)
    Article.objects.filter(pk=stored_journal["article"].pk).update(title="Changed since")
    before_rows = rows()

    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("restore", broken, force=True)

    assert rows() == before_rows
    assert object_storage.keys(object_storage.media) == []


@pytest.mark.external
def test_a_name_in_neither_place_is_reported(object_storage):
    with pytest.raises(
        CommandError,
        match=f"There is no file nowhere.tar.gz nor s3://{object_storage.backups}/nowhere.tar.gz",
    ):
        call_command("restore", "nowhere.tar.gz")
