"""Checked image uploads: only real pictures, freshly encoded, reach storage.

An uploaded file is hostile input. It is decoded by Pillow with the JPEG, PNG,
WebP and GIF decoders only, within a file size and a pixel limit, and written
out again from its pixels: whatever rode along (EXIF with GPS positions, XMP,
comments, a script appended after the image data) stays behind. The stored
name is generated; the name the browser sent is never used.
"""

import io
import logging
import uuid
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)

# Enough for a full-resolution photo from a 45-megapixel camera or a phone's
# 50-megapixel mode; anything bigger is far beyond what pages show (renditions
# stop at 1600 pixels wide) and only costs the server memory to decode.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 50_000_000

# The decoders Pillow may try. Keeping the others out means a file never
# reaches the parsers we do not need (EPS would even start Ghostscript).
DECODERS = ("JPEG", "PNG", "WEBP", "GIF")


@dataclass(frozen=True)
class Encoding:
    format: str
    extension: str
    modes: tuple[str, ...]  # the modes the writer takes as they are
    options: dict[str, Any] = field(default_factory=dict)


JPEG = Encoding("JPEG", "jpg", ("L", "RGB"), {"quality": 90, "optimize": True, "progressive": True})
# PNG at zlib's default level and WebP at method 2: the smallest files take
# Pillow 6 to 15 times longer (47 s instead of 3 for a 20-megapixel photo
# saved as PNG, past gunicorn's 30-second timeout) to save 1 to 12 per cent.
# Readers get the renditions anyway; this is the master copy.
PNG = Encoding("PNG", "png", ("1", "L", "LA", "I", "I;16", "P", "RGB", "RGBA"))
WEBP = Encoding("WEBP", "webp", ("RGB", "RGBA"), {"quality": 90, "method": 2})

# Detected format -> how it is stored. A GIF keeps its first frame, as a PNG:
# lossless for its palette and transparency, and renditions are made from it
# (they never are for an animation, which pages would serve at full weight).
# Phones save JPEGs with a second picture (depth or HDR map), which Pillow
# reports as MPO; the main picture is an ordinary JPEG.
ENCODINGS = {"JPEG": JPEG, "MPO": JPEG, "PNG": PNG, "WEBP": WEBP, "GIF": PNG}

SRGB_PROFILE = ImageCms.createProfile("sRGB")

EMPTY = _("This file is empty. Choose the image again and upload it.")
TOO_LARGE = _(
    "This file is %(size)s; an image can be at most %(limit)s. "
    "Export it with fewer pixels or as a JPEG and upload it again."
)
NOT_AN_IMAGE = _(
    "This file is not a JPEG, PNG, WebP or GIF image. "
    "Save the picture in one of those formats and upload it again."
)
DAMAGED = _(
    "This image is damaged or incomplete, perhaps cut short while copying. "
    "Open it in an image editor, save it again and upload the new file."
)
TOO_MANY_PIXELS = _(
    "This image is %(width)s × %(height)s pixels; an image can be at most "
    "%(limit)s megapixels. Resize it and upload it again."
)
NOT_STORABLE = _(
    "This image could not be converted for the site. Save it as a JPEG and upload it again."
)
WAY_TOO_MANY_PIXELS = _(
    "This image has far too many pixels; an image can be at most %(limit)s megapixels. "
    "Resize it and upload it again."
)


def upload_rules() -> str:
    """What an editor may upload, in the words of the form's help text."""
    return gettext(
        "JPEG, PNG, WebP or GIF, up to %(size)s and %(limit)s megapixels. "
        "Animated images keep their first frame."
    ) % {"size": filesizeformat(MAX_UPLOAD_BYTES), "limit": _megapixels()}


def _megapixels() -> str:
    return f"{MAX_PIXELS / 1_000_000:g}"


def checked_image(*, upload: File) -> ContentFile:
    """The upload re-encoded from its pixels, under a generated name.

    Raises ValidationError, with a message for the editor, for anything that
    is not a JPEG, PNG, WebP or GIF within the size and pixel limits, or that
    does not decode in full. The result is upright (EXIF orientation applied),
    in sRGB, and carries no metadata.
    """
    size = upload.size or 0
    if not size:
        raise ValidationError(EMPTY, code="empty")
    if size > MAX_UPLOAD_BYTES:
        raise _too_large(size)
    upload.seek(0)
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise _too_large(len(data))

    try:
        image = _decoded(data)
        encoding = ENCODINGS[image.format]
        prepared = _for_encoding(image, encoding)
    except ValidationError:
        raise
    except UnidentifiedImageError as error:
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image") from error
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        # Pillow's own limits: an error beyond twice Image.MAX_IMAGE_PIXELS, a
        # warning (an error where warnings are made errors) beyond it.
        raise ValidationError(
            WAY_TOO_MANY_PIXELS, code="too_many_pixels", params={"limit": _megapixels()}
        ) from error
    except Exception as error:  # Pillow raises many types (OSError, SyntaxError, ...) for bad data.
        logger.info("Refused an image upload that does not decode: %r", error)
        raise ValidationError(DAMAGED, code="damaged_image") from error

    output = io.BytesIO()
    try:
        prepared.save(output, encoding.format, **encoding.options)
    except (OSError, ValueError) as error:
        # Rare encoder limits, e.g. libwebp on some very large, very detailed images.
        logger.warning("Could not re-encode an image upload as %s: %r", encoding.format, error)
        raise ValidationError(NOT_STORABLE, code="not_storable") from error
    finally:
        image.close()
        prepared.close()
    return ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}.{encoding.extension}")


def _too_large(size: int) -> ValidationError:
    return ValidationError(
        TOO_LARGE,
        code="file_too_large",
        params={"size": filesizeformat(size), "limit": filesizeformat(MAX_UPLOAD_BYTES)},
    )


def _decoded(data: bytes) -> Image.Image:
    """The first frame, fully decoded, of a file Pillow reads as an allowed format."""
    with Image.open(io.BytesIO(data), formats=DECODERS) as probe:
        # The header gives the size: a bomb is refused before a pixel is decoded.
        width, height = probe.size
        if width * height > MAX_PIXELS:
            raise ValidationError(
                TOO_MANY_PIXELS,
                code="too_many_pixels",
                params={"width": width, "height": height, "limit": _megapixels()},
            )
        if probe.format not in ENCODINGS:
            raise ValidationError(NOT_AN_IMAGE, code="not_an_image")
        probe.verify()
    # verify() leaves the image unusable; load() then catches what it cannot,
    # such as a JPEG cut short.
    image = Image.open(io.BytesIO(data), formats=DECODERS)
    image.load()
    return image


def _for_encoding(image: Image.Image, encoding: Encoding) -> Image.Image:
    """Upright, sRGB, in a mode the writer takes, with no metadata left to write."""
    ImageOps.exif_transpose(image, in_place=True)
    image = _to_srgb(image)
    if image.mode not in encoding.modes:
        keep_alpha = image.has_transparency_data and "RGBA" in encoding.modes
        image = image.convert("RGBA" if keep_alpha else "RGB")
    # Writers take EXIF, XMP, colour profiles and comments from `info`; of it,
    # only a palette's transparent colour is image data.
    transparency = image.info.get("transparency")
    image.info = {} if transparency is None else {"transparency": transparency}
    return image


def _to_srgb(image: Image.Image) -> Image.Image:
    """Convert from an embedded colour profile (Adobe RGB, CMYK print files) to sRGB.

    Pages assume sRGB, so the profile itself is not kept. Other modes (greyscale,
    palettes) and broken profiles just lose it.
    """
    icc_profile = image.info.get("icc_profile")
    if not icc_profile or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        return ImageCms.profileToProfile(
            image,
            ImageCms.ImageCmsProfile(io.BytesIO(icc_profile)),
            SRGB_PROFILE,
            outputMode="RGBA" if image.mode == "RGBA" else "RGB",
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image


class CheckedImageField(forms.ImageField):
    """An image upload that reaches the model only as `checked_image` returns it.

    The model's ImageField then stores the re-encoded file under its
    generated name (the model's `upload_to` adds the folder).
    """

    def __init__(self, **kwargs):
        rules = upload_rules()
        help_text = kwargs.get("help_text")
        kwargs["help_text"] = f"{help_text} {rules}" if help_text else rules
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        # Django puts a clearable file input in a fieldset whose legend names
        # the group; screen readers reaching the input itself need its name too.
        if self.label and widget.use_fieldset:
            attrs.setdefault("aria-label", self.label)
        return attrs

    def to_python(self, data):
        if data in self.empty_values:
            return None
        if not isinstance(data, File):  # e.g. text posted where the file belongs
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(checked_image(upload=data))


# For admins' formfield_overrides: uploaded images are checked and re-encoded
# before they are stored.
CHECKED_IMAGES = {models.ImageField: {"form_class": CheckedImageField}}
