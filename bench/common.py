"""What every part of `bench/run` shares: the project folder, reference views, errors, logging."""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
# The reference views of `bench.urls`, measured next to the pages in every group.
REFERENCES = ("hello", "template")
REFERENCE_URLS = {"hello": "/bench/hello/", "template": "/bench/template/"}


class BenchError(Exception):
    """A step failed; the message says which and what to do."""


def log(message: str = "") -> None:
    sys.stdout.write(message + "\n")
    sys.stdout.flush()


def now_iso() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
