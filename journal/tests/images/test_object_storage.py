"""Uploads on S3-compatible object storage: in the bucket, linked at its address, served by it.

Every test here runs against moto's S3 server, started by the `s3_server`
fixture, with buckets of its own (`object_storage`): pages are read with the
test client, files with boto3, and the addresses pages give with a plain
HTTP request, as a reader's browser would fetch them.
"""

import io
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from journal.images.renditions import renditions_for
from journal.models import Article, LibraryImage
from journal.services.previews import preview_link_create, preview_token
from journal.tests.factories import (
    ArticleFactory,
    ContributorFactory,
    PublishedArticleFactory,
    article_post_data,
    image_file,
)
from journal.tests.images.test_uploads import picture, upload
from journal.tests.object_storage import MEDIA_PREFIX, fetch
from summits.tests.factories import CountryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.external]

LADDER = (320, 640, 960, 1200)


class Pictures(HTMLParser):
    """The <source> and <img> elements of a page's <picture>s, as attribute dicts."""

    def __init__(self):
        super().__init__()
        self.elements = []
        self._inside = False

    def handle_starttag(self, tag, attrs):
        if tag == "picture":
            self._inside = True
        elif self._inside and tag in ("source", "img"):
            self.elements.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag == "picture":
            self._inside = False


def pictures(html: str) -> list[tuple[str, dict]]:
    parser = Pictures()
    parser.feed(html)
    return parser.elements


def srcset_urls(value: str) -> list[str]:
    return [entry.rsplit(" ", 1)[0] for entry in value.split(", ")]


def rendition_keys(source: str, widths=LADDER, fallback="jpg") -> list[str]:
    folder = f"{MEDIA_PREFIX}/renditions/{source}"
    return sorted(
        [f"{folder}/renditions.json"]
        + [f"{folder}/{width}w.{extension}" for width in widths for extension in ("webp", fallback)]
    )


def bucket_address(object_storage) -> str:
    return f"{object_storage.server.endpoint}/{object_storage.media}/{MEDIA_PREFIX}/"


def test_an_upload_through_the_admin_puts_the_image_and_its_renditions_in_the_bucket(
    admin_client, object_storage, commit
):
    with commit():
        response = admin_client.post(
            reverse("admin:journal_article_add"),
            article_post_data(
                hero_image=upload(picture("JPEG", (1200, 675))), hero_alt="The conference hall"
            ),
        )

    assert response.status_code == 302, response.context and response.context["errors"]
    source = Article.objects.get().hero_image.name
    assert object_storage.keys(object_storage.media) == sorted(
        [f"{MEDIA_PREFIX}/{source}", *rendition_keys(source)]
    )
    assert object_storage.keys(object_storage.backups) == []
    # Nothing was written to this server's disk.
    media_root = Path(settings.MEDIA_ROOT)
    assert not media_root.exists() or not any(media_root.rglob("*"))


def test_pages_link_the_renditions_at_the_bucket_which_serves_them_to_anyone(
    client, object_storage, commit
):
    with commit():
        article = PublishedArticleFactory(
            hero_image=image_file("hall.jpg", (1200, 675)),
            hero_alt="The conference hall",
            countries=[CountryFactory(code="KZ")],
            authors=[ContributorFactory()],
        )
    base = bucket_address(object_storage) + f"renditions/{article.hero_image.name}/"

    page = client.get(article.get_absolute_url())

    assert page.status_code == 200
    [(_, source), (_, img)] = pictures(page.text)
    assert srcset_urls(source["srcset"]) == [f"{base}{width}w.webp" for width in LADDER]
    assert srcset_urls(img["srcset"]) == [f"{base}{width}w.jpg" for width in LADDER]
    assert img["src"] == f"{base}960w.jpg"
    for url, width, content_type in [
        *((f"{base}{width}w.webp", width, "image/webp") for width in LADDER),
        *((f"{base}{width}w.jpg", width, "image/jpeg") for width in LADDER),
    ]:
        status, body, served_as = fetch(url)
        assert (status, served_as) == (200, content_type), url
        key = url.removeprefix(f"{object_storage.server.endpoint}/{object_storage.media}/")
        assert body == object_storage.read(object_storage.media, key)
        assert Image.open(io.BytesIO(body)).width == width
    # The original too, and the share card names it at the bucket.
    assert fetch(article.hero_image.url)[0] == 200
    assert f'<meta property="og:image" content="{article.hero_image.url}">' in page.text


def test_the_bucket_lets_no_one_read_outside_the_uploads(object_storage):
    client = object_storage.server.client()
    client.put_object(Bucket=object_storage.media, Key="private/notes.txt", Body=b"secret")

    url = f"{object_storage.server.endpoint}/{object_storage.media}/private/notes.txt"
    assert fetch(url)[0] == 403


def test_replacing_an_image_removes_its_renditions_from_the_bucket(
    admin_client, object_storage, commit
):
    with commit():
        article = ArticleFactory(hero_image=image_file("first.jpg"), hero_alt="First")
    old = article.hero_image.name
    assert set(rendition_keys(old)) <= set(object_storage.keys(object_storage.media))

    with commit():
        response = admin_client.post(
            reverse("admin:journal_article_change", args=[article.pk]),
            article_post_data(
                slug=article.slug,
                hero_image=upload(picture("JPEG", (640, 360))),
                hero_alt="Second",
            ),
        )

    assert response.status_code == 302, response.context and response.context["errors"]
    new = Article.objects.get().hero_image.name
    keys = object_storage.keys(object_storage.media)
    assert not [key for key in keys if key.startswith(f"{MEDIA_PREFIX}/renditions/{old}/")]
    assert set(rendition_keys(new, widths=(320, 640))) <= set(keys)
    # Django keeps a replaced original; only what was derived from it goes.
    assert f"{MEDIA_PREFIX}/{old}" in keys


def test_deleting_an_article_removes_its_renditions_from_the_bucket(object_storage, commit):
    with commit():
        article = ArticleFactory(hero_image=image_file("gone.jpg", (700, 400)), hero_alt="Gone")
    source = article.hero_image.name

    with commit():
        article.delete()

    keys = object_storage.keys(object_storage.media)
    assert not [key for key in keys if key.startswith(f"{MEDIA_PREFIX}/renditions/")]
    assert keys == [f"{MEDIA_PREFIX}/{source}"]


def test_a_shared_preview_shows_the_draft_with_its_picture_from_the_bucket(
    client, editor, object_storage, commit
):
    with commit():
        draft = ArticleFactory(
            title="Water talks", hero_image=image_file("dam.jpg", (640, 360)), hero_alt="A dam"
        )
    link = preview_link_create(article=draft, user=editor)

    page = client.get(
        reverse("journal:article_share_preview", kwargs={"token": preview_token(link)})
    )

    assert page.status_code == 200
    assert "Water talks" in page.text
    [(_, source), (_, img)] = pictures(page.text)
    base = bucket_address(object_storage) + f"renditions/{draft.hero_image.name}/"
    assert srcset_urls(source["srcset"]) == [f"{base}320w.webp", f"{base}640w.webp"]
    assert fetch(img["src"])[0] == 200


def test_a_library_image_goes_to_the_bucket_and_article_bodies_show_it(
    admin_client, object_storage, commit
):
    response = admin_client.post(
        reverse("admin:journal_libraryimage_add"),
        {"image": upload(picture("PNG", (400, 300)), "map.png", "image/png"), "alt_text": "A map"},
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    image = LibraryImage.objects.get()
    assert f"{MEDIA_PREFIX}/{image.image.name}" in object_storage.keys(object_storage.media)
    assert image.image.url == bucket_address(object_storage) + image.image.name

    body = f'<figure><img src="{image.image.url}" alt="A map"><figcaption>The route</figcaption>'
    country = CountryFactory(code="KZ")
    with commit():
        article = PublishedArticleFactory(
            body=body + "</figure>", countries=[country], authors=[ContributorFactory()]
        )

    page = admin_client.get(article.get_absolute_url())
    assert f'<img src="{image.image.url}" alt="A map">' in page.text
    status, data, content_type = fetch(image.image.url)
    assert (status, content_type) == (200, "image/png")
    assert data == object_storage.read(object_storage.media, f"{MEDIA_PREFIX}/{image.image.name}")
    # The library knows where it is shown, so it will not delete it.
    change = admin_client.get(reverse("admin:journal_libraryimage_change", args=[image.pk]))
    assert article.title in change.text


def test_the_sites_own_media_address_sends_older_links_to_the_bucket(client, object_storage):
    response = client.get("/media/images/2026/01/map.png")

    assert response.status_code == 302
    assert response["Location"] == bucket_address(object_storage) + "images/2026/01/map.png"
    assert client.get("/media/../settings.py").status_code == 404


def test_a_body_may_show_uploads_at_the_bucket_or_the_site_but_nowhere_else(object_storage):
    from journal.sanitiser import clean_body_html

    bucket = bucket_address(object_storage)
    kept = [f"{bucket}images/2026/01/a.png", "/media/images/2026/01/b.png"]
    dropped = [
        f"{bucket}../private/notes.txt",
        f"{bucket}images//a.png",
        f"{object_storage.server.endpoint}/{object_storage.backups}/journal.tar.gz",
        "https://elsewhere.example/a.png",
    ]
    for address in kept:
        assert f'src="{address}"' in clean_body_html(f'<p><img src="{address}" alt="x"></p>')
    for address in dropped:
        assert "<img" not in clean_body_html(f'<p><img src="{address}" alt="x"></p>'), address


def test_the_command_makes_missing_renditions_in_the_bucket(object_storage):
    # Saved without its commit callbacks running: no renditions yet.
    article = ArticleFactory(hero_image=image_file("old.jpg", (700, 400)), hero_alt="Old")
    source = article.hero_image.name
    assert renditions_for(source) is None

    out = io.StringIO()
    call_command("generate_renditions", stdout=out)
    assert "articles (hero image): 1 generated" in out.getvalue()
    assert set(rendition_keys(source, widths=(320, 640, 700))) <= set(
        object_storage.keys(object_storage.media)
    )

    out = io.StringIO()
    call_command("generate_renditions", stdout=out)
    assert "Done: 0 generated, 1 already there, 0 skipped." in out.getvalue()
