"""A real S3 API for the tests: moto's standalone server, in a process of its own.

`S3Server.start()` runs moto's server on a free loopback port and waits
until it answers. `Buckets` makes a media and a backup bucket on it
for one test, the media one readable by anyone under its prefix through the
bucket policy the README gives operators.
"""

import json
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass

REGION = "us-east-1"
# moto takes any credentials; these keep boto3 from looking for real ones.
CREDENTIALS = {"access_key": "testing", "secret_key": "testing"}
MEDIA_PREFIX = "media"

# moto's server (ThreadedMotoServer is what `python -m moto.server` runs), kept
# up while its standard input is open: when the test process ends, however it
# ends, the pipe closes and the server stops with it.
SERVE = (
    "import sys; from moto.server import ThreadedMotoServer;"
    "server = ThreadedMotoServer(ip_address='127.0.0.1', port=int(sys.argv[1]), verbose=False);"
    "server.start(); sys.stdin.read(); server.stop()"
)


def public_read_policy(bucket: str, prefix: str) -> str:
    """The bucket policy that lets anyone read the uploads, and nothing else (README)."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "PublicReadForUploads",
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "Resource": f"arn:aws:s3:::{bucket}/{prefix}/*",
                }
            ],
        }
    )


@dataclass
class S3Server:
    endpoint: str
    process: subprocess.Popen
    log: object

    @classmethod
    def start(cls, *, timeout: float = 60.0) -> "S3Server":
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        log = tempfile.TemporaryFile()
        process = subprocess.Popen(
            [sys.executable, "-c", SERVE, str(port)],
            stdin=subprocess.PIPE,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        server = cls(endpoint=f"http://127.0.0.1:{port}", process=process, log=log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(f"{server.endpoint}/moto-api/", timeout=2):
                    return server
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        server.stop()
        log.seek(0)
        output = log.read().decode(errors="replace")
        raise RuntimeError(f"moto's S3 server did not start:\n{output}")

    def stop(self) -> None:
        self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=CREDENTIALS["access_key"],
            aws_secret_access_key=CREDENTIALS["secret_key"],
        )


@dataclass
class Buckets:
    """A media bucket (public under its prefix) and a private backup bucket, for one test."""

    server: S3Server
    media: str
    backups: str

    @classmethod
    def make(cls, server: S3Server) -> "Buckets":
        suffix = uuid.uuid4().hex[:12]
        buckets = cls(server=server, media=f"media-{suffix}", backups=f"backups-{suffix}")
        client = server.client()
        for name in (buckets.media, buckets.backups):
            client.create_bucket(Bucket=name)
        client.put_bucket_policy(
            Bucket=buckets.media, Policy=public_read_policy(buckets.media, MEDIA_PREFIX)
        )
        return buckets

    def url(self, bucket: str, prefix: str = "") -> str:
        """The bucket as DJANGO_MEDIA_STORAGE and DJANGO_BACKUP_STORAGE name it."""
        path = f"/{prefix}" if prefix else ""
        return f"s3://{bucket}{path}?endpoint_url={self.server.endpoint}&region={REGION}"

    @property
    def media_url(self) -> str:
        return self.url(self.media, MEDIA_PREFIX)

    @property
    def backups_url(self) -> str:
        return self.url(self.backups)

    def keys(self, bucket: str) -> list[str]:
        """Every object's key in `bucket`, sorted."""
        pages = self.server.client().get_paginator("list_objects_v2").paginate(Bucket=bucket)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", []))

    def read(self, bucket: str, key: str) -> bytes:
        return self.server.client().get_object(Bucket=bucket, Key=key)["Body"].read()

    def empty(self, bucket: str) -> None:
        client = self.server.client()
        for key in self.keys(bucket):
            client.delete_object(Bucket=bucket, Key=key)


def fetch(url: str) -> tuple[int, bytes, str]:
    """GET `url` as a reader's browser would, without credentials: status, body, content type."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers.get("Content-Type", "")
