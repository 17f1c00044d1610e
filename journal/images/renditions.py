"""Responsive renditions of uploaded images, made once with Pillow and reused.

Each source image gets a folder of its own under MEDIA_ROOT, named after the
source's path, e.g. for ``articles/2026/11/photo.png``::

    renditions/articles/2026/11/photo.png/320w.webp   (and 640w, 960w, ...)
    renditions/articles/2026/11/photo.png/320w.jpg    (.png if transparent)
    renditions/articles/2026/11/photo.png/renditions.json

The manifest is written last, so its presence means the whole set is there. It
also records what a page cannot learn from the database row without decoding
the image: the fallback format (JPEG, or PNG for transparency) and the size
after EXIF orientation. Reading it is the only file access a page makes per
image; when it is missing or unreadable the page uses the original file.
"""

import enum
import io
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.storage import Storage, default_storage
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
        data = json.loads(Path(storage.path(manifest_name(source))).read_bytes())
        renditions = Renditions(
            source=data["source"],
            width=int(data["width"]),
            height=int(data["height"]),
            fallback=data["fallback"],
            widths=tuple(int(width) for width in data["widths"]),
        )
    except (OSError, ValueError, TypeError, KeyError, NotImplementedError):
        return None
    if renditions.source != source or renditions.fallback not in FALLBACKS or not renditions.widths:
        return None
    return renditions


def _is_complete(renditions: Renditions | None, *, storage: Storage) -> bool:
    return (
        renditions is not None
        and renditions.widths == planned_widths(renditions.width)
        and all(storage.exists(name) for name in renditions.names())
    )


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
    return Outcome.CREATED


def delete_renditions(source: str, *, storage: Storage = default_storage) -> None:
    try:
        shutil.rmtree(storage.path(rendition_folder(source)))
    except FileNotFoundError:
        pass
    except (OSError, NotImplementedError) as error:
        logger.warning("Could not delete the renditions of %s: %s", source, error)


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
    folder = Path(storage.path(rendition_folder(source)))
    folder.mkdir(parents=True, exist_ok=True, mode=_directory_mode())
    for step in renditions.widths:
        size = (step, max(1, round(height * step / width)))
        resized = (
            image
            if size == image.size
            else image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
        )
        for extension in ("webp", fallback):
            format_, options = FORMATS[extension]
            _write_atomically(
                Path(storage.path(renditions.name(step, extension))),
                lambda out, im=resized, f=format_, o=options: im.save(out, f, **o),
            )
    manifest = {
        "source": source,
        "width": renditions.width,
        "height": renditions.height,
        "fallback": fallback,
        "widths": list(renditions.widths),
    }
    _write_atomically(folder / MANIFEST, lambda out: out.write(json.dumps(manifest).encode()))
    # Files from an earlier ladder are no longer listed in the manifest.
    keep = {Path(storage.path(name)).name for name in renditions.names()} | {MANIFEST}
    for path in folder.iterdir():
        if path.name not in keep and not path.name.startswith("."):
            path.unlink(missing_ok=True)


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


def _write_atomically(path: Path, write) -> None:
    """Readers see the old file or the complete new one, never a half-written one."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as out:
            write(out)
        # mkstemp creates the file readable by its owner only; a front server must read it.
        os.chmod(temporary, settings.FILE_UPLOAD_PERMISSIONS or 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _directory_mode() -> int:
    return settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS or 0o777
