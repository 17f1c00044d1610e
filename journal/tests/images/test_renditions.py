"""Responsive renditions: made once when an image is saved, reused by {% picture %}."""

import io
import struct
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.template import Context, Template
from PIL import ExifTags, Image, ImageCms, ImageDraw

from journal.images.renditions import (
    WIDTHS,
    Outcome,
    ensure_renditions,
    planned_widths,
    renditions_for,
)
from journal.models import Article, Contributor
from journal.tests.factories import ArticleFactory, ContributorFactory, image_file

pytestmark = pytest.mark.django_db

HERO_TAG = (
    "{% picture article.hero_image alt=article.hero_alt width=article.hero_width "
    'height=article.hero_height sizes="(min-width: 48rem) 42rem, 100vw" loading="eager" '
    'class="hero-img" %}'
)
CARD_TAG = (
    '{% picture article.hero_image alt="" width=article.hero_width '
    'height=article.hero_height sizes="(min-width: 48rem) 12rem, 100vw" loading="lazy" '
    'class="card-img" %}'
)
PORTRAIT_TAG = (
    '{% picture contributor.photo alt="" width=contributor.photo_width '
    'height=contributor.photo_height sizes="120px" loading="lazy" class="portrait" %}'
)


def png_header(width, height):
    """A PNG that claims to be width x height, without the pixels to back it."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def folder(source):
    return Path(settings.MEDIA_ROOT) / "renditions" / source


def rendition_sizes(source):
    """{file name: (format, width, height)} for every rendition of a source."""
    sizes = {}
    for path in sorted(folder(source).iterdir()):
        if path.suffix != ".json":
            with Image.open(path) as image:
                sizes[path.name] = (image.format, image.width, image.height)
    return sizes


def stamps(source):
    """Modification time and inode of each file: a file written again gets a new inode."""
    return {
        path.name: (path.stat().st_mtime_ns, path.stat().st_ino)
        for path in folder(source).iterdir()
    }


def render(template, **context):
    return Template("{% load journal_images %}" + template).render(Context(context))


class TagCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def parse(html):
    collector = TagCollector()
    collector.feed(html)
    collector.close()
    return collector.tags


def srcset(value):
    return [tuple(entry.rsplit(" ", 1)) for entry in value.split(", ")]


@pytest.fixture
def saved(django_capture_on_commit_callbacks):
    """Create with a factory and run what waits for the commit, as a real save would."""

    def create(factory, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return factory(**kwargs)

    return create


@pytest.mark.parametrize(
    ("width", "expected"),
    [
        (100, (100,)),
        (320, (320,)),
        (500, (320, 500)),
        (1200, (320, 640, 960, 1200)),
        (1600, WIDTHS),
        (5000, WIDTHS),
    ],
)
def test_widths_follow_the_ladder_up_to_the_original(width, expected):
    assert planned_widths(width) == expected


def test_saving_an_article_makes_webp_and_jpeg_renditions(saved):
    article = saved(ArticleFactory, hero_image=image_file("summit.jpg"), hero_alt="The hall")
    source = article.hero_image.name

    assert rendition_sizes(source) == {
        f"{width}w.{extension}": (format_, width, round(675 * width / 1200))
        for width in (320, 640, 960, 1200)
        for extension, format_ in [("webp", "WEBP"), ("jpg", "JPEG")]
    }
    # Written through temporary files that are renamed into place, none left over.
    assert not [path for path in folder(source).iterdir() if path.name.startswith(".")]


def test_a_small_image_is_never_upscaled(saved):
    article = saved(ArticleFactory, hero_image=image_file("small.jpg", (500, 300)))

    assert rendition_sizes(article.hero_image.name) == {
        "320w.webp": ("WEBP", 320, 192),
        "320w.jpg": ("JPEG", 320, 192),
        "500w.webp": ("WEBP", 500, 300),
        "500w.jpg": ("JPEG", 500, 300),
    }


def test_contributor_photo_gets_renditions(saved):
    contributor = saved(ContributorFactory, photo=image_file("face.png", (400, 400), format="PNG"))

    html = render(PORTRAIT_TAG, contributor=contributor)

    [_, (_, source), (_, img)] = parse(html)
    assert [width for _, width in srcset(source["srcset"])] == ["320w", "400w"]
    assert (img["width"], img["height"], img["sizes"]) == ("400", "400", "120px")
    assert img["class"] == "portrait"


def test_picture_tag_offers_webp_with_a_jpeg_fallback(saved):
    article = saved(
        ArticleFactory, hero_image=image_file("summit.jpg"), hero_alt="Leaders at the table"
    )
    base = f"{settings.MEDIA_URL}renditions/{article.hero_image.name}"

    html = render(HERO_TAG, article=article)

    assert html.startswith("<picture>") and html.endswith("</picture>")
    [(picture, _), (source_tag, source), (img_tag, img)] = parse(html)
    assert (picture, source_tag, img_tag) == ("picture", "source", "img")
    assert source["type"] == "image/webp"
    assert srcset(source["srcset"]) == [
        (f"{base}/{width}w.webp", f"{width}w") for width in (320, 640, 960, 1200)
    ]
    assert srcset(img["srcset"]) == [
        (f"{base}/{width}w.jpg", f"{width}w") for width in (320, 640, 960, 1200)
    ]
    assert img["src"] == f"{base}/960w.jpg"
    assert source["sizes"] == img["sizes"] == "(min-width: 48rem) 42rem, 100vw"
    assert (img["width"], img["height"]) == ("1200", "675")
    assert img["alt"] == "Leaders at the table"
    assert (img["loading"], img["decoding"], img["class"]) == ("eager", "async", "hero-img")


def test_card_picture_is_lazy_with_empty_alt(saved):
    article = saved(ArticleFactory, hero_image=image_file("card.jpg"), hero_alt="Decorative")

    [_, _, (_, img)] = parse(render(CARD_TAG, article=article))

    assert img["alt"] == ""
    assert (img["loading"], img["class"]) == ("lazy", "card-img")


def test_alt_text_is_escaped(saved):
    hostile = '"><script>alert(1)</script>'
    article = saved(ArticleFactory, hero_image=image_file("x.jpg"), hero_alt=hostile)

    html = render(HERO_TAG, article=article)

    assert "<script>" not in html
    assert "&quot;&gt;&lt;script&gt;" in html
    [_, _, (_, img)] = parse(html)
    assert img["alt"] == hostile


def test_an_article_without_an_image_renders_nothing():
    article = ArticleFactory()

    assert render(HERO_TAG, article=article) == ""
    assert render("{% picture nothing %}") == ""


def test_the_tag_makes_no_database_queries(saved, django_assert_num_queries):
    saved(ArticleFactory, hero_image=image_file("a.jpg"), hero_alt="A")
    saved(ContributorFactory, photo=image_file("p.jpg", (400, 400)))
    article, contributor = Article.objects.get(), Contributor.objects.get()

    with django_assert_num_queries(0):
        html = render(HERO_TAG + CARD_TAG, article=article)
        html += render(PORTRAIT_TAG, contributor=contributor)

    assert html.count("<source") == 3


def test_without_renditions_the_original_is_used(django_capture_on_commit_callbacks):
    # Not run after a commit, so no renditions yet: the state of images saved
    # before renditions existed, until the backfill command runs.
    article = ArticleFactory(hero_image=image_file("old.jpg", (800, 450)), hero_alt="Old")

    html = render(HERO_TAG, article=article)

    assert not folder(article.hero_image.name).exists()
    [_, (tag, img)] = parse(html)
    assert tag == "img" and "srcset" not in img
    assert img["src"] == article.hero_image.url
    assert (img["width"], img["height"], img["alt"]) == ("800", "450", "Old")


def test_without_a_stored_size_the_original_is_used(saved):
    article = saved(ArticleFactory, hero_image=image_file("a.jpg"), hero_alt="A")
    article.hero_width = article.hero_height = None

    [_, (tag, img)] = parse(render(HERO_TAG, article=article))

    assert tag == "img"
    assert img["src"] == article.hero_image.url
    assert "width" not in img and "height" not in img


@pytest.mark.parametrize(
    "content",
    [
        lambda: image_file("photo.jpg"),
        lambda: image_file("scan.png", format="PNG"),
        lambda: image_file("opaque.png", mode="RGBA", format="PNG"),
    ],
    ids=["jpeg-photo", "rgb-png", "png-with-unused-alpha"],
)
def test_opaque_images_fall_back_to_jpeg(saved, content):
    article = saved(ArticleFactory, hero_image=content(), hero_alt="A")

    assert renditions_for(article.hero_image.name).fallback == "jpg"
    [_, _, (_, img)] = parse(render(CARD_TAG, article=article))
    assert [url.rsplit(".", 1)[1] for url, _ in srcset(img["srcset"])] == ["jpg"] * 4
    with Image.open(folder(article.hero_image.name) / "320w.jpg") as jpeg:
        assert (jpeg.format, jpeg.mode) == ("JPEG", "RGB")


@pytest.mark.slow
def test_a_transparent_png_falls_back_to_png(saved):
    logo = Image.new("RGBA", (800, 400), (0, 0, 0, 0))
    ImageDraw.Draw(logo).ellipse((100, 50, 700, 350), fill=(180, 30, 40, 255))
    buffer = io.BytesIO()
    logo.save(buffer, "PNG")
    article = saved(ArticleFactory, hero_image=ContentFile(buffer.getvalue(), name="logo.png"))

    sizes = rendition_sizes(article.hero_image.name)
    [_, _, (_, img)] = parse(render(CARD_TAG, article=article))

    assert sorted(sizes) == sorted(
        f"{width}w.{extension}" for width in (320, 640, 800) for extension in ("png", "webp")
    )
    assert [url.rsplit(".", 1)[1] for url, _ in srcset(img["srcset"])] == ["png"] * 3
    with Image.open(folder(article.hero_image.name) / "640w.png") as png:
        assert png.mode == "RGBA" and png.getpixel((0, 0))[3] == 0
    with Image.open(folder(article.hero_image.name) / "640w.webp") as webp:
        assert webp.mode == "RGBA"


def test_exif_orientation_is_applied_and_metadata_stripped(saved):
    # Stored on its side: red on the left; the camera says "turn 90° clockwise".
    raw = Image.new("RGB", (200, 100), (0, 0, 255))
    ImageDraw.Draw(raw).rectangle((0, 0, 99, 99), fill=(255, 0, 0))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "Field camera"
    buffer = io.BytesIO()
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    raw.save(buffer, "JPEG", exif=exif, icc_profile=srgb, quality=95)
    article = saved(
        ArticleFactory, hero_image=ContentFile(buffer.getvalue(), name="turned.jpg"), hero_alt="A"
    )
    source = article.hero_image.name

    assert (article.hero_width, article.hero_height) == (200, 100)  # as stored, unturned
    for name in ("100w.jpg", "100w.webp"):
        with Image.open(folder(source) / name) as image:
            assert image.size == (100, 200)
            red, _, blue = image.convert("RGB").getpixel((50, 40))
            assert red > 200 and blue < 60  # the left edge is now the top
            assert not image.getexif() and "icc_profile" not in image.info
    [_, _, (_, img)] = parse(render(HERO_TAG, article=article))
    assert (img["width"], img["height"]) == ("100", "200")


@pytest.mark.parametrize(
    "content",
    [
        lambda: ContentFile(image_file("x.jpg").read()[:2000], name="truncated.jpg"),
        lambda: ContentFile(b"%PDF-1.7 not a picture", name="notes.jpg"),
    ],
    ids=["truncated-jpeg", "not-an-image"],
)
def test_a_broken_image_breaks_neither_the_save_nor_the_page(saved, caplog, content):
    article = saved(ArticleFactory, hero_image=content(), hero_alt="Broken")

    assert "No renditions for" in caplog.text
    assert renditions_for(article.hero_image.name) is None
    [_, (tag, img)] = parse(render(HERO_TAG, article=article))
    assert tag == "img" and img["src"] == article.hero_image.url


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_a_decompression_bomb_is_skipped(saved, caplog):
    # 100 million pixels: Pillow only warns below twice its limit; we refuse.
    bomb = ContentFile(png_header(10_000, 10_000), name="bomb.png")
    article = saved(ArticleFactory, hero_image=bomb, hero_alt="Bomb")

    assert article.hero_width == 10_000
    assert "too many pixels" in caplog.text
    assert not folder(article.hero_image.name).exists()
    [_, (tag, _)] = parse(render(HERO_TAG, article=article))
    assert tag == "img"

    # Beyond twice the limit Pillow refuses to open it at all.
    name = default_storage.save("articles/huge.png", ContentFile(png_header(30_000, 30_000)))
    assert ensure_renditions(name) is Outcome.SKIPPED


def test_replacing_the_image_removes_the_old_renditions(saved, django_capture_on_commit_callbacks):
    article = saved(ArticleFactory, hero_image=image_file("first.jpg"), hero_alt="A")
    old = article.hero_image.name
    article = Article.objects.get(pk=article.pk)

    article.hero_image = image_file("second.jpg", (640, 360))
    with django_capture_on_commit_callbacks(execute=True):
        article.save()

    assert not folder(old).exists()
    assert sorted(rendition_sizes(article.hero_image.name)) == [
        "320w.jpg",
        "320w.webp",
        "640w.jpg",
        "640w.webp",
    ]
    assert "640w" in render(HERO_TAG, article=article)


def test_saving_without_changing_the_image_leaves_renditions_alone(
    saved, django_capture_on_commit_callbacks
):
    article = saved(ArticleFactory, hero_image=image_file("a.jpg"), hero_alt="A")
    before = stamps(article.hero_image.name)
    article = Article.objects.get(pk=article.pk)

    article.title = "A new headline"
    with django_capture_on_commit_callbacks(execute=True):
        article.save()

    assert stamps(article.hero_image.name) == before


def test_deleting_an_article_removes_its_renditions(saved, django_capture_on_commit_callbacks):
    article = saved(ArticleFactory, hero_image=image_file("gone.jpg"), hero_alt="A")
    source = article.hero_image.name

    with django_capture_on_commit_callbacks(execute=True):
        article.delete()

    assert not folder(source).exists()


def test_renditions_stay_while_another_article_uses_the_image(
    saved, django_capture_on_commit_callbacks
):
    original = saved(ArticleFactory, hero_image=image_file("shared.jpg"), hero_alt="A")
    copy = ArticleFactory(hero_image=original.hero_image.name, hero_alt="A")  # "save as new"

    with django_capture_on_commit_callbacks(execute=True):
        copy.delete()

    assert renditions_for(original.hero_image.name) is not None


def test_command_backfills_missing_renditions_and_leaves_present_ones(saved):
    done = saved(ArticleFactory, hero_image=image_file("done.jpg"), hero_alt="A")
    # Saved without their commit callbacks running: no renditions yet.
    missing = ArticleFactory(hero_image=image_file("missing.jpg", (700, 400)), hero_alt="B")
    contributor = ContributorFactory(photo=image_file("face.jpg", (400, 400)))
    ArticleFactory()  # no image at all
    before = stamps(done.hero_image.name)

    out = io.StringIO()
    call_command("generate_renditions", stdout=out)

    assert "articles (hero image): 1 generated, 1 already there, 0 skipped" in out.getvalue()
    assert "contributors (photo): 1 generated, 0 already there, 0 skipped" in out.getvalue()
    assert stamps(done.hero_image.name) == before
    assert renditions_for(missing.hero_image.name).widths == (320, 640, 700)
    assert renditions_for(contributor.photo.name).widths == (320, 400)

    generated = stamps(missing.hero_image.name)
    out = io.StringIO()
    call_command("generate_renditions", stdout=out)

    assert "Done: 0 generated, 3 already there, 0 skipped." in out.getvalue()
    assert stamps(missing.hero_image.name) == generated
    assert stamps(done.hero_image.name) == before


def test_command_ends_what_readers_were_shown_only_when_it_made_renditions(saved):
    from journal import content_generation

    saved(ArticleFactory, hero_image=image_file("done.jpg"), hero_alt="A")
    before = content_generation.current()

    call_command("generate_renditions", stdout=io.StringIO())

    # Nothing was missing: kept pages and cards stay.
    assert content_generation.current() == before

    # Saved without its commit callbacks: kept cards show the original.
    ArticleFactory(hero_image=image_file("missing.jpg", (700, 400)), hero_alt="B")
    call_command("generate_renditions", stdout=io.StringIO())

    after = content_generation.current()
    assert after.id != before.id and after.listing != before.listing


def test_command_remakes_an_incomplete_set(saved):
    article = saved(ArticleFactory, hero_image=image_file("a.jpg"), hero_alt="A")
    lost = folder(article.hero_image.name) / "640w.webp"
    lost.unlink()

    call_command("generate_renditions", stdout=io.StringIO())

    assert lost.exists()


def test_command_force_remakes_everything(saved):
    article = saved(ArticleFactory, hero_image=image_file("a.jpg"), hero_alt="A")
    before = stamps(article.hero_image.name)

    out = io.StringIO()
    call_command("generate_renditions", "--force", stdout=out)

    assert "1 generated" in out.getvalue()
    after = stamps(article.hero_image.name)
    assert after.keys() == before.keys()
    assert all(after[name][1] != before[name][1] for name in before)
