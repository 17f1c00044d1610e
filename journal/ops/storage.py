"""Uploads and backups on S3-compatible object storage: DJANGO_MEDIA_STORAGE, DJANGO_BACKUP_STORAGE.

Each variable holds a URL, ``s3://BUCKET/PREFIX?region=REGION``, which this
module turns into an entry of Django's STORAGES for django-storages' S3
backend. The query may also give ``endpoint_url`` (an S3-compatible server:
MinIO, Ceph, Garage, moto) and ``addressing_style`` (``path`` or
``virtual``). Credentials are not part of the URL: boto3 finds them as it
always does (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile, an
instance role).

Uploads are read by everyone: pages link to them, and article bodies keep
their addresses. Their URLs are therefore plain, unsigned ones, built from a
host name without asking boto (pages show hundreds), on the bucket's own
address or a CDN's (DJANGO_MEDIA_CDN_URL). Backups are private: their storage
signs every request and never hands out an address.

The settings import this module, so it imports nothing that needs them.
"""

import os
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

# Where the site itself answers for uploads: with the files, when they are on
# this server's disk, or with a redirect to the object storage.
MEDIA_PATH = "/media/"

# Files read from object storage (a backup being restored, an image being
# made into renditions) stay in memory up to this size, then go to a
# temporary file: django-storages would otherwise hold a whole archive in memory.
SPOOL_BYTES = 16 * 1024 * 1024

# Uploads keep their names for ever (a new file gets a new name), so browsers
# and CDNs may keep them for a day without asking again.
MEDIA_CACHE_CONTROL = "public, max-age=86400"

_BUCKET_NAME = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_PARAMETERS = {"region", "endpoint_url", "addressing_style"}
_ADDRESSING_STYLES = {"path", "virtual"}


@dataclass(frozen=True)
class Bucket:
    """A bucket and a prefix in it, and how to reach them."""

    name: str
    prefix: str
    region: str
    endpoint_url: str
    addressing_style: str

    def options(self) -> dict:
        """django-storages' S3Storage options common to uploads and backups."""
        return {
            "bucket_name": self.name,
            "location": self.prefix,
            "region_name": self.region or None,
            "endpoint_url": self.endpoint_url or None,
            "addressing_style": self.addressing_style or None,
            # Access comes from the bucket's policy, not from per-object ACLs,
            # which buckets made since 2023 refuse by default.
            "default_acl": None,
            "max_memory_size": SPOOL_BYTES,
        }


def parse_bucket_url(variable: str, url: str) -> Bucket:
    """The bucket an ``s3://BUCKET/PREFIX?...`` URL names; ImproperlyConfigured if it names none."""
    parts = urlsplit(url)
    if parts.scheme != "s3" or not _BUCKET_NAME.fullmatch(parts.netloc):
        raise ImproperlyConfigured(
            f"{variable} must look like s3://BUCKET/PREFIX?region=REGION, with a bucket name "
            f"of lower-case letters, digits, dots and hyphens, not {url!r}."
        )
    prefix = unquote(parts.path).strip("/")
    if any(part in ("", ".", "..") for part in prefix.split("/")) and prefix:
        raise ImproperlyConfigured(f"{variable}: the prefix {prefix!r} is not a plain path.")
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    if unknown := sorted(set(query) - _PARAMETERS):
        raise ImproperlyConfigured(
            f"{variable}: unknown parameter(s) {', '.join(unknown)}; "
            f"known: {', '.join(sorted(_PARAMETERS))}."
        )
    endpoint_url = query.get("endpoint_url", "").strip().rstrip("/")
    if endpoint_url:
        endpoint = urlsplit(endpoint_url)
        if endpoint.scheme not in ("http", "https") or not endpoint.netloc:
            raise ImproperlyConfigured(
                f"{variable}: endpoint_url must be an http(s) URL, not {endpoint_url!r}."
            )
    style = query.get("addressing_style", "").strip().lower()
    if style and style not in _ADDRESSING_STYLES:
        raise ImproperlyConfigured(f"{variable}: addressing_style must be path or virtual.")
    # Servers other than AWS seldom have a DNS name per bucket.
    style = style or ("path" if endpoint_url else "")
    region = query.get("region", "").strip() or (
        os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or ""
    )
    return Bucket(
        name=parts.netloc,
        prefix=prefix,
        region=region.strip(),
        endpoint_url=endpoint_url,
        addressing_style=style,
    )


def media_storage(url: str, *, cdn_url: str = "") -> tuple[dict, str]:
    """The STORAGES entry for uploads in the bucket `url` names, and the MEDIA_URL it gives."""
    bucket = parse_bucket_url("DJANGO_MEDIA_STORAGE", url)
    protocol, domain = public_address(bucket, cdn_url=cdn_url)
    options = {
        **bucket.options(),
        # Plain addresses, built from this host without signing anything.
        "custom_domain": domain,
        "url_protocol": protocol,
        "querystring_auth": False,
        # Renditions made again replace their files; uploads have new names anyway.
        "file_overwrite": True,
        "object_parameters": {"CacheControl": MEDIA_CACHE_CONTROL},
    }
    media_url = f"{protocol}//{domain}/" + (f"{bucket.prefix}/" if bucket.prefix else "")
    return {"BACKEND": "journal.images.object_storage.MediaStorage", "OPTIONS": options}, media_url


def backup_storage(url: str) -> dict:
    """The STORAGES entry for backups in the bucket `url` names: private, never overwritten."""
    bucket = parse_bucket_url("DJANGO_BACKUP_STORAGE", url)
    options = {**bucket.options(), "querystring_auth": True, "file_overwrite": False}
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def public_address(bucket: Bucket, *, cdn_url: str = "") -> tuple[str, str]:
    """The scheme ("https:") and host, with any path, under which the bucket's objects are read."""
    if cdn_url:
        return cdn_address(cdn_url)
    if bucket.endpoint_url:
        endpoint = urlsplit(bucket.endpoint_url)
        host = (endpoint.netloc + endpoint.path).rstrip("/")
        if bucket.addressing_style == "virtual":
            return f"{endpoint.scheme}:", f"{bucket.name}.{host}"
        return f"{endpoint.scheme}:", f"{host}/{bucket.name}"
    host = f"s3.{bucket.region}.amazonaws.com" if bucket.region else "s3.amazonaws.com"
    if bucket.addressing_style == "path":
        return "https:", f"{host}/{bucket.name}"
    return "https:", f"{bucket.name}.{host}"


def cdn_address(cdn_url: str) -> tuple[str, str]:
    """DJANGO_MEDIA_CDN_URL as a scheme and a host, with any path."""
    parts = urlsplit(cdn_url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ImproperlyConfigured(
            f"DJANGO_MEDIA_CDN_URL must be an http(s) address such as "
            f"https://media.example.org, not {cdn_url!r}."
        )
    return f"{parts.scheme}:", (parts.netloc + parts.path).rstrip("/")


def local_media_url(cdn_url: str = "") -> str:
    """MEDIA_URL for uploads on this server's disk: the site's own path, or the CDN's copy of it."""
    if not cdn_url:
        return MEDIA_PATH
    protocol, domain = cdn_address(cdn_url)
    return f"{protocol}//{domain}{MEDIA_PATH}"


def media_origins(media_url: str) -> list[str]:
    """The origin pages load uploads from, for the Content-Security-Policy; none for the site's."""
    parts = urlsplit(media_url)
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme and parts.netloc else []
