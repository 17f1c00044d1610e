"""Object storage settings as an operator sets them: buckets, a CDN, a backup key."""

import json

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from journal.ops import storage
from journal.ops.encryption import check_keys
from journal.tests.object_storage import CREDENTIALS, MEDIA_PREFIX, REGION, Buckets, fetch
from journal.tests.project.test_settings import PRODUCTION, deploy_check, run_in_shell, run_python

AWS = {
    "AWS_ACCESS_KEY_ID": CREDENTIALS["access_key"],
    "AWS_SECRET_ACCESS_KEY": CREDENTIALS["secret_key"],
}
READ = (
    "import json; from journal import settings as s;"
    "print(json.dumps({'default': s.STORAGES['default']['BACKEND'],"
    " 'backups': s.STORAGES.get('backups', {}).get('BACKEND'),"
    " 'media_url': s.MEDIA_URL, 'img_src': s.SECURE_CSP['img-src'],"
    " 'keys': len(s.BACKUP_ENCRYPTION_KEYS)}))"
)


def read_settings(tmp_path, **env) -> dict:
    completed = run_python(tmp_path, "-c", READ, **env)
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


@pytest.mark.external
def test_unset_uploads_and_backups_stay_on_this_servers_disk(tmp_path):
    assert read_settings(tmp_path) == {
        "default": "django.core.files.storage.FileSystemStorage",
        "backups": None,
        "media_url": "/media/",
        "img_src": ["'self'", "data:"],
        "keys": 0,
    }


@pytest.mark.external
def test_a_cdn_address_serves_uploads_kept_on_this_disk(tmp_path):
    read = read_settings(tmp_path, DJANGO_MEDIA_CDN_URL="https://media.example.org/")

    assert read["default"] == "django.core.files.storage.FileSystemStorage"
    assert read["media_url"] == "https://media.example.org/media/"
    assert read["img_src"] == ["'self'", "data:", "https://media.example.org"]


@pytest.mark.external
def test_bucket_urls_select_object_storage_for_uploads_and_backups(tmp_path):
    read = read_settings(
        tmp_path,
        DJANGO_MEDIA_STORAGE="s3://journal-media/media?region=eu-central-1",
        DJANGO_BACKUP_STORAGE="s3://journal-backups/nightly",
        DJANGO_BACKUP_ENCRYPTION_KEY=f"{Fernet.generate_key().decode()},"
        f"{Fernet.generate_key().decode()}",
    )

    assert read == {
        "default": "journal.images.object_storage.MediaStorage",
        "backups": "storages.backends.s3.S3Storage",
        "media_url": "https://journal-media.s3.eu-central-1.amazonaws.com/media/",
        "img_src": ["'self'", "data:", "https://journal-media.s3.eu-central-1.amazonaws.com"],
        "keys": 2,
    }
    cdn = read_settings(
        tmp_path,
        DJANGO_MEDIA_STORAGE="s3://journal-media/media?region=eu-central-1",
        DJANGO_MEDIA_CDN_URL="https://media.example.org",
    )
    assert cdn["media_url"] == "https://media.example.org/media/"


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DJANGO_MEDIA_STORAGE", "/srv/media", "DJANGO_MEDIA_STORAGE must look like s3://"),
        ("DJANGO_MEDIA_STORAGE", "s3://Bad_Bucket/media", "must look like s3://"),
        ("DJANGO_MEDIA_STORAGE", "s3://journal/media?regoin=x", "unknown parameter(s) regoin"),
        ("DJANGO_MEDIA_STORAGE", "s3://journal/../up", "is not a plain path"),
        ("DJANGO_MEDIA_STORAGE", "s3://journal?endpoint_url=minio:9000", "endpoint_url must"),
        ("DJANGO_BACKUP_STORAGE", "s3://journal?addressing_style=dns", "path or virtual"),
        ("DJANGO_MEDIA_CDN_URL", "media.example.org", "DJANGO_MEDIA_CDN_URL must be"),
        ("DJANGO_BACKUP_ENCRYPTION_KEY", "not-a-key", "must hold Fernet keys"),
    ],
    ids=["path", "bucket-name", "typo", "dot-dot", "endpoint", "style", "cdn", "key"],
)
def test_a_mistyped_value_is_refused_with_a_reason(variable, value, message):
    read = {
        "DJANGO_MEDIA_STORAGE": lambda: storage.media_storage(value),
        "DJANGO_BACKUP_STORAGE": lambda: storage.backup_storage(value),
        "DJANGO_MEDIA_CDN_URL": lambda: storage.local_media_url(value),
        "DJANGO_BACKUP_ENCRYPTION_KEY": lambda: check_keys([value]),
    }[variable]

    with pytest.raises(ImproperlyConfigured) as refused:
        read()
    assert message in str(refused.value)


@pytest.mark.external
def test_a_mistyped_value_stops_the_site_before_it_starts(tmp_path):
    completed = run_python(
        tmp_path, "-c", "import journal.settings", DJANGO_MEDIA_STORAGE="s3://journal/media?x=1"
    )

    assert completed.returncode != 0
    assert "DJANGO_MEDIA_STORAGE: unknown parameter(s) x" in completed.stderr


@pytest.mark.external
def test_production_with_object_storage_passes_the_deploy_check(tmp_path):
    result = deploy_check(
        tmp_path,
        **PRODUCTION,
        DJANGO_MEDIA_STORAGE="s3://journal-media/media?region=eu-central-1",
        DJANGO_MEDIA_CDN_URL="https://media.example.org",
        DJANGO_BACKUP_STORAGE="s3://journal-backups/nightly?region=eu-central-1",
        DJANGO_BACKUP_ENCRYPTION_KEY=Fernet.generate_key().decode(),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.external
def test_the_variables_alone_put_an_upload_in_the_bucket(tmp_path, s3_server):
    buckets = Buckets.make(s3_server)
    code = (
        "from django.core.files.base import ContentFile;"
        "from django.core.files.storage import default_storage, storages;"
        "name = default_storage.save('images/note.png', ContentFile(b'PNG bytes'));"
        "print(name, default_storage.url(name), storages['backups'].bucket_name)"
    )

    completed = run_in_shell(
        tmp_path,
        code,
        DJANGO_MEDIA_STORAGE=buckets.media_url,
        DJANGO_BACKUP_STORAGE=buckets.backups_url,
        AWS_DEFAULT_REGION=REGION,
        **AWS,
    )

    assert completed.returncode == 0, completed.stderr
    name, url, backups = completed.stdout.split()
    assert name == "images/note.png"
    assert url == f"{s3_server.endpoint}/{buckets.media}/{MEDIA_PREFIX}/images/note.png"
    assert backups == buckets.backups
    assert buckets.keys(buckets.media) == [f"{MEDIA_PREFIX}/images/note.png"]
    assert fetch(url)[:2] == (200, b"PNG bytes")
