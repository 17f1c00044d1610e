"""Uploaded images: only real pictures, re-encoded under generated names, reach storage."""

import io
import re
import struct
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from PIL import ExifTags, Image, ImageCms, ImageDraw, PngImagePlugin

from journal.images import uploads
from journal.images.uploads import CheckedImageField, checked_image
from journal.models import Article, Contributor
from journal.tests.factories import ArticleFactory, ContributorFactory, article_post_data
from summits.tests.factories import CountryFactory

pytestmark = pytest.mark.django_db

GENERATED_NAME = re.compile(r"[0-9a-f]{32}\.(jpg|png|webp)")
SRGB_ICC = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description dc:creator="Field Office"/></x:xmpmeta>'
)
SCRIPT = b"<script>alert(document.cookie)</script>"
PHP = b"<?php system($_GET['cmd']); ?>"
RED, BLUE = (220, 20, 20), (40, 90, 140)


def picture(format="JPEG", size=(400, 300), *, mode="RGB", **save_options) -> bytes:
    """Blue with a red band down the left third, drawn in memory."""
    image = Image.new("RGB", size, BLUE)
    ImageDraw.Draw(image).rectangle((0, 0, size[0] // 3, size[1]), fill=RED)
    buffer = io.BytesIO()
    image.convert(mode).save(buffer, format, **save_options)
    return buffer.getvalue()


def see_through(format, **save_options) -> bytes:
    """A red band on a fully transparent background."""
    if format == "GIF":
        image = Image.new("P", (400, 300), 0)
        image.putpalette([*BLUE, *RED])
        ImageDraw.Draw(image).rectangle((0, 0, 133, 300), fill=1)
        save_options["transparency"] = 0
    else:
        image = Image.new("RGBA", (400, 300), (*BLUE, 0))
        ImageDraw.Draw(image).rectangle((0, 0, 133, 300), fill=(*RED, 255))
    buffer = io.BytesIO()
    image.save(buffer, format, **save_options)
    return buffer.getvalue()


def camera_exif(**tags) -> Image.Exif:
    """EXIF as a phone writes it: the device, and where the picture was taken."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Field camera"
    exif[ExifTags.Base.ImageDescription] = "Safe house courtyard"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 10.0, 12.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (71.0, 26.0, 48.0)
    gps[ExifTags.GPS.GPSMapDatum] = "WGS-84"
    for tag, value in tags.items():
        exif[ExifTags.Base[tag]] = value
    return exif


def png_with_metadata(**text) -> bytes:
    chunks = PngImagePlugin.PngInfo()
    for key, value in text.items():
        chunks.add_text(key, value)
    chunks.add_itxt("XML:com.adobe.xmp", XMP.decode())
    return picture("PNG", exif=camera_exif(), icc_profile=SRGB_ICC, pnginfo=chunks)


def upload(data: bytes, name="photo.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def refusal(data: bytes, name="photo.jpg") -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        checked_image(upload=upload(data, name))
    return caught.value


def claiming_size(data: bytes, width: int, height: int) -> bytes:
    """A real small image whose header claims another size; the pixels never follow."""
    if data.startswith(b"\x89PNG"):
        ihdr = data[12:16] + struct.pack(">II", width, height) + data[24:29]
        return data[:12] + ihdr + struct.pack(">I", zlib.crc32(ihdr)) + data[33:]
    if data.startswith(b"GIF"):
        return data[:6] + struct.pack("<HH", width, height) + data[10:]
    start_of_frame = data.index(b"\xff\xc0")  # a baseline JPEG
    size = struct.pack(">HH", height, width)
    return data[: start_of_frame + 5] + size + data[start_of_frame + 9 :]


def stored_files() -> list[Path]:
    media = Path(settings.MEDIA_ROOT)
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


# What is accepted, and how it is stored


@pytest.mark.parametrize(
    ("uploaded", "stored", "extension"),
    [
        ("JPEG", "JPEG", "jpg"),
        ("PNG", "PNG", "png"),
        ("WEBP", "WEBP", "webp"),
        ("GIF", "PNG", "png"),
    ],
)
def test_allowed_formats_are_re_encoded_under_a_generated_name(uploaded, stored, extension):
    result = checked_image(upload=upload(picture(uploaded), name="../../evil name.php.jpg"))

    assert GENERATED_NAME.fullmatch(result.name)
    assert result.name.endswith(f".{extension}")
    image = opened(result.read())
    assert (image.format, image.size) == (stored, (400, 300))
    red, _, blue = image.convert("RGB").getpixel((10, 150))
    assert red > 180 and blue < 60


def test_the_format_comes_from_the_content_not_the_name_or_content_type():
    result = checked_image(upload=upload(picture("PNG"), "holiday.jpg", "image/jpeg"))

    assert result.name.endswith(".png")
    assert opened(result.read()).format == "PNG"


def test_a_phone_photo_with_a_second_picture_is_stored_as_a_plain_jpeg():
    buffer = io.BytesIO()
    main, depth_map = Image.new("RGB", (400, 300), RED), Image.new("RGB", (400, 300))
    main.save(buffer, "MPO", save_all=True, append_images=[depth_map])
    assert opened(buffer.getvalue()).format == "MPO"

    result = checked_image(upload=upload(buffer.getvalue()))

    image = opened(result.read())
    assert result.name.endswith(".jpg")
    assert (image.format, getattr(image, "n_frames", 1)) == ("JPEG", 1)
    assert image.getpixel((10, 10))[0] > 180


def test_an_animated_gif_keeps_its_first_frame_as_a_png():
    frames = [Image.new("P", (120, 80), index) for index in (0, 1, 2)]
    for frame in frames:
        frame.putpalette([*RED, *BLUE, 20, 200, 20])
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    assert opened(buffer.getvalue()).n_frames == 3

    result = checked_image(upload=upload(buffer.getvalue(), "spinner.gif", "image/gif"))

    image = opened(result.read())
    assert result.name.endswith(".png")
    assert (image.format, getattr(image, "n_frames", 1)) == ("PNG", 1)
    assert image.convert("RGB").getpixel((5, 5)) == RED


@pytest.mark.parametrize(
    ("data", "stored"),
    [
        pytest.param(see_through("PNG"), "PNG", id="png"),
        pytest.param(see_through("WEBP", lossless=True), "WEBP", id="webp"),
        pytest.param(see_through("GIF"), "PNG", id="gif"),
    ],
)
def test_transparency_is_kept(data, stored):
    image = opened(checked_image(upload=upload(data)).read())

    assert image.format == stored
    assert image.convert("RGBA").getpixel((300, 150))[3] == 0
    red, _, blue, alpha = image.convert("RGBA").getpixel((10, 150))
    assert red > 180 and blue < 60 and alpha == 255


def test_a_cmyk_print_file_is_stored_as_rgb():
    image = opened(checked_image(upload=upload(picture("JPEG", mode="CMYK"))).read())

    assert (image.format, image.mode) == ("JPEG", "RGB")
    red, _, blue = image.getpixel((10, 150))
    assert red > 180 and blue < 60


def test_exif_orientation_is_applied():
    # Stored on its side, red on the left; the camera says "turn 90° clockwise".
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6

    result = checked_image(upload=upload(picture("JPEG", (200, 100), exif=exif)))

    image = opened(result.read())
    assert image.size == (100, 200)
    red, _, blue = image.getpixel((50, 10))
    assert red > 180 and blue < 60  # the left edge is now the top
    assert not image.getexif()


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(
            picture(
                "JPEG", exif=camera_exif(), xmp=XMP, icc_profile=SRGB_ICC, comment="Safe house"
            ),
            id="jpeg",
        ),
        pytest.param(png_with_metadata(Comment="Safe house courtyard"), id="png"),
        pytest.param(picture("WEBP", exif=camera_exif(), xmp=XMP, icc_profile=SRGB_ICC), id="webp"),
        pytest.param(picture("GIF", comment=b"Safe house courtyard"), id="gif"),
    ],
)
def test_metadata_including_gps_is_gone_from_the_stored_file(data):
    metadata = {"exif", "xmp", "icc_profile", "comment", "Comment", "XML:com.adobe.xmp"}
    with Image.open(io.BytesIO(data)) as original:
        assert original.info.keys() & metadata

    stored = checked_image(upload=upload(data)).read()

    image = opened(stored)
    assert not image.getexif()
    assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert not image.info.keys() & metadata
    for trace in (b"Exif", b"WGS-84", b"Field camera", b"Safe house", b"xmpmeta", b"ICC_PROFILE"):
        assert trace not in stored


@pytest.mark.parametrize(
    ("data", "payload"),
    [
        pytest.param(picture("GIF") + SCRIPT, SCRIPT, id="script-after-gif"),
        pytest.param(picture("JPEG") + PHP, PHP, id="php-after-jpeg"),
        pytest.param(picture("PNG") + PHP, PHP, id="php-after-png"),
        pytest.param(picture("JPEG", comment=PHP), PHP, id="php-in-jpeg-comment"),
        pytest.param(picture("GIF", comment=SCRIPT), SCRIPT, id="script-in-gif-comment"),
        pytest.param(picture("JPEG", exif=camera_exif(Artist=PHP.decode())), PHP, id="php-in-exif"),
        pytest.param(png_with_metadata(Description=SCRIPT.decode()), SCRIPT, id="script-in-png"),
        pytest.param(picture("WEBP", xmp=SCRIPT), SCRIPT, id="script-in-webp-xmp"),
    ],
)
def test_a_polyglot_is_re_encoded_without_its_payload(data, payload):
    assert payload in data

    stored = checked_image(upload=upload(data)).read()

    assert payload not in stored
    assert b"<script" not in stored and b"<?php" not in stored
    assert opened(stored).size == (400, 300)


# What is refused, and what the editor is told

NOT_AN_IMAGE = "This file is not a JPEG, PNG, WebP or GIF image."
DAMAGED = "This image is damaged or incomplete"


@pytest.mark.parametrize(
    ("data", "code", "message"),
    [
        pytest.param(
            b"Minutes of the meeting, 3 May.\n" * 20, "not_an_image", NOT_AN_IMAGE, id="text"
        ),
        pytest.param(
            b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
            "not_an_image",
            NOT_AN_IMAGE,
            id="html",
        ),
        pytest.param(
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
            b'<rect width="10" height="10"/></svg>',
            "not_an_image",
            NOT_AN_IMAGE,
            id="svg",
        ),
        pytest.param(
            b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
            "not_an_image",
            NOT_AN_IMAGE,
            id="pdf",
        ),
        pytest.param(picture("BMP"), "not_an_image", NOT_AN_IMAGE, id="bmp"),
        pytest.param(picture("TIFF"), "not_an_image", NOT_AN_IMAGE, id="tiff"),
        pytest.param(b"", "empty", "This file is empty.", id="empty"),
    ],
)
def test_what_is_not_an_allowed_image_is_refused(data, code, message):
    error = refusal(data, "photo.jpg")

    assert error.code == code
    assert message in error.messages[0]


def noisy_jpeg() -> bytes:
    """A JPEG with plenty of scan data, so cutting it leaves the header whole."""
    buffer = io.BytesIO()
    Image.effect_noise((400, 300), 60).convert("RGB").save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(noisy_jpeg()[: len(noisy_jpeg()) // 2], id="jpeg-cut-in-half"),
        pytest.param(picture("PNG")[:-40], id="png-cut-short"),
        pytest.param(picture("GIF")[:-30], id="gif-cut-short"),
        pytest.param(picture("WEBP")[:-30], id="webp-cut-short"),
    ],
)
def test_a_truncated_image_is_refused(data):
    error = refusal(data)

    assert error.code == "damaged_image"
    assert DAMAGED in error.messages[0]


def test_a_file_over_the_size_limit_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 500)
    data = picture("PNG", (400, 300))
    assert len(data) > 1024

    error = refusal(data)

    assert error.code == "file_too_large"
    assert error.messages == [
        f"This file is {filesizeformat(len(data))}; an image can be at most 500\xa0bytes. "
        "Export it with fewer pixels or as a JPEG and upload it again."
    ]


def test_an_image_over_the_pixel_limit_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_PIXELS", 100_000)

    error = refusal(picture("PNG", (400, 300)))

    assert error.code == "too_many_pixels"
    assert error.messages == [
        "This image is 400 × 300 pixels; an image can be at most 0.1 megapixels. "
        "Resize it and upload it again."
    ]


@pytest.mark.parametrize("format", ["PNG", "GIF", "JPEG"])
def test_a_header_claiming_more_pixels_than_allowed_is_refused_before_decoding(format):
    # 60 megapixels: over our limit, under Pillow's own. Decoding would fail (there
    # are no pixels to back the claim), so the message proves it never started.
    bomb = claiming_size(picture(format, (40, 30)), 10_000, 6_000)

    error = refusal(bomb)

    assert error.code == "too_many_pixels"
    assert "10000 × 6000 pixels" in error.messages[0]


@pytest.mark.parametrize(
    ("format", "width", "height"),
    [("PNG", 50_000, 50_000), ("GIF", 65_535, 65_535), ("JPEG", 50_000, 50_000)],
)
def test_a_decompression_bomb_is_refused(format, width, height):
    # Beyond twice Image.MAX_IMAGE_PIXELS, Pillow refuses to open it at all.
    bomb = claiming_size(picture(format, (40, 30)), width, height)

    error = refusal(bomb)

    assert error.code == "too_many_pixels"
    assert "far too many pixels" in error.messages[0]


@pytest.mark.filterwarnings("error::PIL.Image.DecompressionBombWarning")
def test_pillows_bomb_warning_is_a_refusal_where_warnings_are_errors(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100_000)

    error = refusal(picture("PNG", (400, 300)))

    assert error.code == "too_many_pixels"


def test_the_form_field_refuses_text_posted_in_place_of_a_file():
    with pytest.raises(ValidationError) as caught:
        CheckedImageField(required=False).clean("/etc/passwd")

    assert caught.value.code == "invalid"


def test_the_form_field_returns_the_re_encoded_file():
    field = CheckedImageField(required=False)

    cleaned = field.clean(upload(picture("JPEG", exif=camera_exif()), "IMG_0001.JPG"))

    assert GENERATED_NAME.fullmatch(cleaned.name)
    assert cleaned.content_type == "image/jpeg"
    assert b"WGS-84" not in cleaned.read()
    assert "JPEG, PNG, WebP or GIF, up to 20.0\xa0MB and 50 megapixels." in field.help_text


# Through the admin


def test_editor_uploads_a_hero_image_and_it_is_stored_clean(admin_client):
    exif = camera_exif()
    exif[ExifTags.Base.Orientation] = 6
    data = picture("JPEG", (200, 100), exif=exif) + PHP

    response = admin_client.post(
        reverse("admin:journal_article_add"),
        article_post_data(
            hero_image=upload(data, "../../evil name.php.jpg"), hero_alt="Ministers at the table"
        ),
    )

    assert response.status_code == 302, response.context and response.context["errors"]
    article = Article.objects.get()
    assert re.fullmatch(r"articles/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", article.hero_image.name)
    assert "evil" not in article.hero_image.name and "php" not in article.hero_image.name
    assert (article.hero_width, article.hero_height) == (100, 200)  # upright, as readers see it
    stored = Path(article.hero_image.path).read_bytes()
    assert b"WGS-84" not in stored and PHP not in stored
    assert not opened(stored).getexif()
    assert [path.name for path in stored_files()] == [Path(article.hero_image.name).name]


def test_a_bad_image_is_refused_and_everything_else_typed_is_kept(admin_client):
    country = CountryFactory(code="KZ")
    response = admin_client.post(
        reverse("admin:journal_article_add"),
        article_post_data(
            title="Water talks in Tashkent",
            slug="water-talks-in-tashkent",
            standfirst="Five ministers, one river.",
            body="<p>The ministers agreed on quotas for the summer.</p>",
            hero_alt="Ministers at the table",
            hero_caption="The opening session",
            countries=[country.pk],
            hero_image=upload(b"<html><script>alert(1)</script></html>", "photo.jpg"),
        ),
    )

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert list(form.errors) == ["hero_image"]
    assert NOT_AN_IMAGE in form.errors["hero_image"][0]
    assert NOT_AN_IMAGE in response.text
    for typed in (
        'value="Water talks in Tashkent"',
        'value="water-talks-in-tashkent"',
        "Five ministers, one river.",
        "The ministers agreed on quotas for the summer.",
        'value="Ministers at the table"',
        'value="The opening session"',
        f'<option value="{country.pk}" selected>Kazakhstan</option>',
    ):
        assert typed in response.text
    assert not Article.objects.exists()
    assert stored_files() == []


def test_a_bad_replacement_leaves_the_current_image_in_place(admin_client):
    article = ArticleFactory(
        hero_image=checked_image(upload=upload(picture("JPEG"))), hero_alt="The hall"
    )
    current = article.hero_image.name

    response = admin_client.post(
        reverse("admin:journal_article_change", args=[article.pk]),
        article_post_data(
            title="Changed headline",
            slug=article.slug,
            hero_alt="The hall",
            hero_image=upload(noisy_jpeg()[:3000], "new.jpg"),
        ),
    )

    assert response.status_code == 200
    assert DAMAGED in response.context["adminform"].form.errors["hero_image"][0]
    assert 'value="Changed headline"' in response.text
    article.refresh_from_db()
    assert article.title != "Changed headline"
    assert article.hero_image.name == current


def test_a_hero_image_needs_a_description_for_readers(admin_client):
    response = admin_client.post(
        reverse("admin:journal_article_add"),
        article_post_data(hero_image=upload(picture("JPEG")), hero_alt="   "),
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["hero_alt"] == ["Describe the image for readers who cannot see it."]
    assert "hero_image" not in errors
    assert not Article.objects.exists()
    assert stored_files() == []


def test_an_image_can_still_be_removed(admin_client):
    article = ArticleFactory(
        hero_image=checked_image(upload=upload(picture("PNG"))), hero_alt="The hall"
    )

    response = admin_client.post(
        reverse("admin:journal_article_change", args=[article.pk]),
        article_post_data(slug=article.slug, **{"hero_image-clear": "on"}),
    )

    assert response.status_code == 302, response.context and response.context["errors"]
    article.refresh_from_db()
    assert not article.hero_image


def test_the_upload_rules_are_shown_next_to_the_field(admin_client):
    for url in (reverse("admin:journal_article_add"), reverse("admin:journal_contributor_add")):
        assert "JPEG, PNG, WebP or GIF, up to 20.0\xa0MB and 50 megapixels." in (
            admin_client.get(url).text
        ), url


def contributor_post_data(**overrides):
    data = {
        "name": "Aigerim Sadykova",
        "slug": "aigerim-sadykova",
        "kind": "guest",
        "position": "Former Ambassador",
        "affiliation": "",
        "bio": "Served in Seoul.",
        "email": "",
        "user": "",
    }
    data.update(overrides)
    return data


def test_a_contributor_photo_is_checked_and_stored_clean(admin_client):
    data = picture("PNG", exif=camera_exif()) + SCRIPT

    response = admin_client.post(
        reverse("admin:journal_contributor_add"),
        contributor_post_data(photo=upload(data, "<img src=x onerror=alert(1)>.png", "image/png")),
    )

    assert response.status_code == 302, response.context and response.context["errors"]
    contributor = Contributor.objects.get()
    assert re.fullmatch(r"contributors/[0-9a-f]{32}\.png", contributor.photo.name)
    stored = Path(contributor.photo.path).read_bytes()
    assert SCRIPT not in stored and b"WGS-84" not in stored
    assert (contributor.photo_width, contributor.photo_height) == (400, 300)


def test_a_bad_contributor_photo_is_refused_and_the_profile_kept(admin_client):
    response = admin_client.post(
        reverse("admin:journal_contributor_add"),
        contributor_post_data(photo=upload(b"%PDF-1.7\n%%EOF", "cv.pdf", "application/pdf")),
    )

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert list(form.errors) == ["photo"]
    assert NOT_AN_IMAGE in form.errors["photo"][0]
    assert 'value="Aigerim Sadykova"' in response.text
    assert "Served in Seoul." in response.text
    assert not Contributor.objects.exists()
    assert stored_files() == []


def test_replacing_a_contributor_photo_goes_through_the_same_check(admin_client, monkeypatch):
    contributor = ContributorFactory()
    monkeypatch.setattr(uploads, "MAX_PIXELS", 1_000)

    response = admin_client.post(
        reverse("admin:journal_contributor_change", args=[contributor.pk]),
        contributor_post_data(
            name=contributor.name, slug=contributor.slug, photo=upload(picture("JPEG"))
        ),
    )

    assert response.status_code == 200
    assert "400 × 300 pixels" in response.context["adminform"].form.errors["photo"][0]
    contributor.refresh_from_db()
    assert not contributor.photo
