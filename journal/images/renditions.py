"""Responsive renditions of uploaded images, made once with Pillow and reused.

Each source image gets a folder of its own in the media storage (MEDIA_ROOT,
or the bucket DJANGO_MEDIA_STORAGE names), named after the source's path,
e.g. for ``articles/2026/11/photo.png``::

    renditions/articles/2026/11/photo.png/320w.webp   (and 640w, 960w, ...)
    renditions/articles/2026/11/photo.png/320w.jpg    (.png if transparent)
    renditions/articles/2026/11/photo.png/renditions.json

The manifest is written last, so its presence means the whole set is there. It
also records what a page cannot learn from the database row without decoding
the image: the fallback format (JPEG, or PNG for transparency) and the size
after EXIF orientation. Reading it is the only file access a page makes per
image; when it is missing or unreadable the page uses the original file.

Everything goes through Django's Storage API (open, save, listdir, delete),
so the same code writes to a disk or to object storage. The one thing that
API lacks is replacing a file in place, which renditions made again need:
object storage replaces an object in one request, and on a disk the new file
is renamed over the old one (`_replace`).
"""

import enum
import io
import json
import logging
import os
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from PIL import Image, ImageCms, ImageOps

from journal.models import Article, Contributor

logger = logging.getLogger(__name__)

# The image fields that get renditions.
IMAGE_FIELDS: list[tuple[type, str]] = [(Article, "hero_image"), (Contributor, "photo")]

WIDTHS = (320, 640, 960, 1280, 1600)
RENDITIONS_DIR = "renditions"
MANIFEST = "renditions.json"
# Pillow format and save options per file extension.
FORMATS = {
    "webp": ("WEBP", {"quality": 80, "method": 6}),
    "jpg": ("JPEG", {"quality": 82, "progressive": True, "optimize": True}),
    "png": ("PNG", {"optimize": True}),
}
FALLBACKS = {"jpg", "png"}
SRGB_PROFILE = ImageCms.createProfile("sRGB")


class Outcome(enum.Enum):
    CREATED = "created"
    PRESENT = "present"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Renditions:
    """The rendition set of one source image, as recorded in its manifest."""

    source: str
    width: int
    height: int
    fallback: str
    widths: tuple[int, ...]

    def name(self, width: int, extension: str) -> str:
        return f"{rendition_folder(self.source)}/{width}w.{extension}"

    def names(self) -> Iterator[str]:
        for width in self.widths:
            yield self.name(width, "webp")
            yield self.name(width, self.fallback)


def rendition_folder(source: str) -> str:
    return f"{RENDITIONS_DIR}/{source}"


def manifest_name(source: str) -> str:
    return f"{rendition_folder(source)}/{MANIFEST}"


def planned_widths(width: int) -> tuple[int, ...]:
    """The ladder steps narrower than the image, plus its own width up to the top step."""
    steps = [step for step in WIDTHS if step < width]
    steps.append(min(width, WIDTHS[-1]))
    return tuple(sorted(set(steps)))


def renditions_for(source: str, *, storage: Storage = default_storage) -> Renditions | None:
    """The source's renditions, from one small file read; None if they are not all there."""
    try:
        with storage.open(manifest_name(source), "rb") as file:
            data = json.loads(file.read())
        renditions = Renditions(
            source=data["source"],
            width=int(data["width"]),
            height=int(data["height"]),
            fallback=data["fallback"],
            widths=tuple(int(width) for width in data["widths"]),
        )
    except (OSError, ValueError, TypeError, KeyError, NotImplementedError):
        return None
    except Exception as error:  # Object storage's client raises its own errors (network, access).
        logger.warning("Could not read the renditions of %s: %s", source, error)
        return None
    if renditions.source != source or renditions.fallback not in FALLBACKS or not renditions.widths:
        return None
    return renditions


def is_local(storage: Storage) -> bool:
    """Whether the storage is this server's disk, where looking at a file costs no request."""
    return isinstance(storage, FileSystemStorage)


# On object storage, reading a manifest is a request, which a page must not
# make for every image it shows. A complete set never changes under its
# source's name (a new upload gets a new name; a set made again from the same
# image gives the same markup), so each process remembers what it read. An
# image without renditions is asked about again after a while: another
# server may have made them meanwhile.
REMEMBERED_MAX = 4096
MISSING_RETRY_SECONDS = 60
_remembered: dict[str, tuple[Renditions | None, float]] = {}


def remembered_renditions(source: str, *, storage: Storage = default_storage) -> Renditions | None:
    """`renditions_for`, read once per process for a complete set (see above)."""
    key = storage.url(manifest_name(source))  # names the bucket and prefix, not just the source
    now = time.monotonic()
    entry = _remembered.get(key)
    if entry is not None and (entry[0] is not None or now < entry[1]):
        return entry[0]
    renditions = renditions_for(source, storage=storage)
    if len(_remembered) >= REMEMBERED_MAX:
        _remembered.clear()
    _remembered[key] = (renditions, now + MISSING_RETRY_SECONDS)
    return renditions


def _forget(source: str, *, storage: Storage) -> None:
    try:
        _remembered.pop(storage.url(manifest_name(source)), None)
    except (NotImplementedError, ValueError):  # A storage without addresses remembers nothing.
        pass


def _is_complete(renditions: Renditions | None, *, storage: Storage) -> bool:
    if renditions is None or renditions.widths != planned_widths(renditions.width):
        return False
    # One listing rather than a request per file on object storage.
    try:
        _, files = storage.listdir(rendition_folder(renditions.source))
    except (OSError, NotImplementedError):
        return False
    return {_base_name(name) for name in renditions.names()} <= set(files)


def _base_name(name: str) -> str:
    return name.rsplit("/", 1)[-1]


def ensure_renditions(
    source: str, *, storage: Storage = default_storage, force: bool = False
) -> Outcome:
    """Create the renditions of an image unless a complete set is already there.

    Never raises for a bad image (corrupt, truncated, not an image, too many
    pixels, animated): it logs a warning and returns SKIPPED, and pages keep
    showing the original file.
    """
    if not force and _is_complete(renditions_for(source, storage=storage), storage=storage):
        return Outcome.PRESENT
    try:
        _generate(source, storage=storage)
    except Exception as error:  # Uploaded files are hostile input; Pillow raises many types.
        logger.warning("No renditions for %s: %s", source, error)
        return Outcome.SKIPPED
    finally:
        _forget(source, storage=storage)
    return Outcome.CREATED


def delete_renditions(source: str, *, storage: Storage = default_storage) -> None:
    folder = rendition_folder(source)
    try:
        _, files = storage.listdir(folder)
        for name in files:
            storage.delete(f"{folder}/{name}")
        # On a disk this removes the emptied folder; object storage has no folders.
        storage.delete(folder)
    except FileNotFoundError:
        pass
    except Exception as error:  # OSError on a disk; object storage's client raises its own.
        logger.warning("Could not delete the renditions of %s: %s", source, error)
    finally:
        _forget(source, storage=storage)


def is_referenced(source: str) -> bool:
    """Whether any row still uses this file (e.g. an article duplicated in the admin)."""
    return any(
        model._default_manager.filter(**{field_name: source}).exists()
        for model, field_name in IMAGE_FIELDS
    )


class UnsuitableImage(Exception):
    pass


def _generate(source: str, *, storage: Storage) -> None:
    with storage.open(source, "rb") as file, Image.open(file) as image:
        # Image.open refuses more than twice this; between once and twice it only warns.
        if image.width * image.height > Image.MAX_IMAGE_PIXELS:
            raise UnsuitableImage(f"{image.width}x{image.height} is too many pixels")
        if getattr(image, "is_animated", False):
            raise UnsuitableImage("animated images are served as uploaded")
        original_size = image.size
        # A JPEG can decode at 1/2, 1/4 or 1/8 of its size, much faster; draft keeps it
        # at least as large as the widest rendition.
        image.draft("RGB", (WIDTHS[-1], WIDTHS[-1]))
        decoded_size = image.size
        image = _normalised(ImageOps.exif_transpose(image))
    width, height = original_size
    if image.size != decoded_size:  # turned a quarter by its EXIF orientation
        width, height = height, width

    fallback = "png" if image.mode == "RGBA" else "jpg"
    renditions = Renditions(
        source=source, width=width, height=height, fallback=fallback, widths=planned_widths(width)
    )
    for step in renditions.widths:
        size = (step, max(1, round(height * step / width)))
        resized = (
            image
            if size == image.size
            else image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
        )
        for extension in ("webp", fallback):
            format_, options = FORMATS[extension]
            encoded = io.BytesIO()
            resized.save(encoded, format_, **options)
            _replace(storage, renditions.name(step, extension), encoded.getvalue())
    manifest = {
        "source": source,
        "width": renditions.width,
        "height": renditions.height,
        "fallback": fallback,
        "widths": list(renditions.widths),
    }
    _replace(storage, manifest_name(source), json.dumps(manifest).encode())
    # Files from an earlier ladder are no longer listed in the manifest.
    folder = rendition_folder(source)
    keep = {_base_name(name) for name in renditions.names()} | {MANIFEST}
    _, files = storage.listdir(folder)
    for name in files:
        if name not in keep and not name.startswith("."):
            storage.delete(f"{folder}/{name}")


def _normalised(image: Image.Image) -> Image.Image:
    """sRGB, with alpha only when some pixel is see-through, and no metadata left."""
    image = _to_srgb(image)
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        if rgba.getchannel("A").getextrema()[0] < 255:
            image = rgba
        else:
            image = rgba.convert("RGB")
    elif image.mode != "RGB":
        image = image.convert("RGB")
    # EXIF (camera, GPS), XMP, comments and the colour profile (now sRGB) stay behind.
    image.info = {}
    return image


def _to_srgb(image: Image.Image) -> Image.Image:
    """Convert from an embedded colour profile (Adobe RGB, CMYK print files) to sRGB."""
    icc_profile = image.info.get("icc_profile")
    if not icc_profile or image.mode not in ("RGB", "RGBA", "CMYK", "L"):
        return image
    try:
        return ImageCms.profileToProfile(
            image,
            ImageCms.ImageCmsProfile(io.BytesIO(icc_profile)),
            SRGB_PROFILE,
            outputMode="RGBA" if image.mode == "RGBA" else "RGB",
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        # A broken or mismatched profile: plain conversion is the best left to do.
        return image


def _replace(storage: Storage, name: str, data: bytes) -> None:
    """Store `data` as `name`, replacing any file there: readers see the old file or the new one.

    Object storage replaces an object in one request (the media storage is set
    to overwrite). Django's FileSystemStorage would save under another name, so
    on a disk the bytes go to a temporary file that is renamed over the old one.
    """
    if is_local(storage):
        _replace_on_disk(storage, name, data)
        return
    saved = storage.save(name, ContentFile(data))
    if saved != name:
        storage.delete(saved)
        raise ImproperlyConfigured(
            f"The media storage stored {name} as {saved}: it must be set to overwrite files."
        )


class _Staged(File):
    """A written file that FileSystemStorage.save() moves into place with a rename."""

    def temporary_file_path(self) -> str:
        return self.name


def _replace_on_disk(storage: FileSystemStorage, name: str, data: bytes) -> None:
    overwriting = FileSystemStorage(
        location=storage.location,
        base_url=storage.base_url,
        file_permissions_mode=storage.file_permissions_mode,
        directory_permissions_mode=storage.directory_permissions_mode,
        allow_overwrite=True,
    )
    # Beside the media, on the same file system, so that the move is a rename.
    os.makedirs(storage.location, exist_ok=True)
    descriptor, staged = tempfile.mkstemp(dir=storage.location, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(data)
        # mkstemp makes the file readable by its owner only; a front server must read it.
        os.chmod(staged, storage.file_permissions_mode or 0o644)
        overwriting.save(name, _Staged(None, name=staged))
    finally:
        Path(staged).unlink(missing_ok=True)
