"""The image library: checked uploads, the editor's picker, and images in article bodies."""

import datetime
import html
import json
import re
from pathlib import Path

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from journal.images.uploads import checked_image
from journal.models import Article, LibraryImage
from journal.tests.factories import ArticleFactory, PublishedArticleFactory, article_post_data
from journal.tests.images.test_uploads import (
    NOT_AN_IMAGE,
    camera_exif,
    claiming_size,
    opened,
    picture,
    png_with_metadata,
    stored_files,
    upload,
)

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:journal_libraryimage_add")
CHANGELIST_URL = reverse("admin:journal_libraryimage_changelist")
PICKER_URL = reverse("admin:journal_libraryimage_picker")
STORED_NAME = re.compile(r"images/\d{4}/\d{2}/[0-9a-f]{32}\.(jpg|png)")


def library_image(alt_text="Ministers at the table", **fields) -> LibraryImage:
    return LibraryImage.objects.create(
        image=checked_image(upload=upload(picture("JPEG", (120, 80)))), alt_text=alt_text, **fields
    )


def figure(image: LibraryImage, caption="The opening session") -> str:
    """A figure as the body editor writes it after "Browse..." (before sanitising)."""
    return (
        f'<figure class="figure"><img src="{image.image.url}" alt="{image.alt_text}" '
        f'data-file="{image.pk}"><figcaption class="figure-caption">{caption}</figcaption>'
        "</figure>"
    )


# Uploading through the library's admin


def test_every_library_page_opens(admin_client):
    image = library_image()
    for url in [
        CHANGELIST_URL,
        ADD_URL,
        reverse("admin:journal_libraryimage_change", args=[image.pk]),
        reverse("admin:journal_libraryimage_delete", args=[image.pk]),
        reverse("admin:journal_libraryimage_history", args=[image.pk]),
        f"{PICKER_URL}?CKEditorFuncNum=1",
    ]:
        assert admin_client.get(url).status_code == 200, url


def test_an_upload_is_stored_re_encoded_under_a_generated_name(client, writer):
    client.force_login(writer)
    response = client.post(
        ADD_URL,
        {
            "image": upload(png_with_metadata(), "../../evil name.php.png", "image/png"),
            "alt_text": "Ministers at the table",
            "caption": "The opening session",
            "credit": "Field Office",
        },
    )

    assert response.status_code == 302, response.context and response.context["errors"]
    image = LibraryImage.objects.get()
    assert STORED_NAME.fullmatch(image.image.name)
    assert "evil" not in image.image.name and "php" not in image.image.name
    assert (image.width, image.height) == (400, 300)
    assert image.uploaded_by == writer
    stored = Path(image.image.path).read_bytes()
    assert b"WGS-84" not in stored and b"Field camera" not in stored and b"xmpmeta" not in stored
    assert not opened(stored).getexif()
    assert [path.name for path in stored_files()] == [Path(image.image.name).name]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<html><script>alert(1)</script></html>", NOT_AN_IMAGE),
        (claiming_size(picture("PNG", (40, 30)), 50_000, 50_000), "far too many pixels"),
    ],
    ids=["text-named-jpg", "decompression-bomb"],
)
def test_a_bad_file_is_refused_and_what_was_typed_is_kept(client, writer, data, message):
    client.force_login(writer)
    response = client.post(
        ADD_URL,
        {
            "image": upload(data, "photo.jpg"),
            "alt_text": "Ministers at the table",
            "caption": "The opening session",
            "credit": "Field Office",
        },
    )

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert list(form.errors) == ["image"]
    assert message in form.errors["image"][0]
    assert message in response.text
    for typed in (
        'value="Ministers at the table"',
        'value="The opening session"',
        'value="Field Office"',
    ):
        assert typed in response.text
    assert not LibraryImage.objects.exists()
    assert stored_files() == []


def test_an_image_needs_a_description(client, writer):
    client.force_login(writer)
    response = client.post(ADD_URL, {"image": upload(picture()), "alt_text": "  ", "caption": ""})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["alt_text"] == [
        "Describe the image for readers who cannot see it."
    ]
    assert not LibraryImage.objects.exists()


def test_the_change_page_shows_where_the_image_is_used_and_keeps_the_file(client, editor):
    client.force_login(editor)
    image = library_image()
    used = ArticleFactory(title="Water talks", body=figure(image))
    ArticleFactory(title="Unrelated", body="<p>No pictures.</p>")

    response = client.get(reverse("admin:journal_libraryimage_change", args=[image.pk]))

    assert response.status_code == 200
    assert image.image.url in response.text
    assert reverse("admin:journal_article_change", args=[used.pk]) in response.text
    assert "Water talks</a> (draft)" in response.text
    assert "Unrelated" not in response.text
    # The file cannot be swapped: articles refer to it by its address.
    assert 'type="file"' not in response.text


def test_the_list_shows_thumbnails_and_searches_descriptions(client, editor):
    client.force_login(editor)
    library_image("Ministers at the table")
    library_image("A river delta", credit="Field Office")

    response = client.get(CHANGELIST_URL, {"q": "field office"})

    assert response.status_code == 200
    assert "A river delta" in response.text
    assert "Ministers at the table" not in response.text
    # The thumbnail links to the image's page, so it needs the description.
    assert re.search(r'<a [^>]*><img [^>]*alt="A river delta" class="library-thumb"', response.text)


# The picker the body editor opens


def test_the_body_editor_offers_the_picker(admin_client):
    response = admin_client.get(reverse("admin:journal_article_add"))

    textarea = re.search(r'<textarea[^>]*name="body"[^>]*>', response.text)[0]
    config = json.loads(
        html.unescape(re.search(r'data-django-prose-editor-configurable="([^"]*)"', textarea)[1])
    )
    assert config["extensions"]["Figure"] == {"pickerUrl": PICKER_URL}
    assert config["extensions"]["Image"] is True


def test_the_picker_lists_images_with_what_the_editor_needs(client, writer):
    client.force_login(writer)
    older = library_image("Ministers at the table", caption="The opening session")
    newer = library_image("A river delta", caption="The Amu Darya", credit="Field Office")

    response = client.get(PICKER_URL, {"CKEditorFuncNum": "-3"})

    assert response.status_code == 200
    assert 'data-callback="-3"' in response.text
    assert response.text.index(newer.image.url) < response.text.index(older.image.url)
    assert (
        f'data-url="{newer.image.url}" data-alt="A river delta" '
        f'data-caption="The Amu Darya (Field Office)" data-id="{newer.pk}"'
    ) in response.text
    assert "/static/journal/admin/image-picker.js" in response.text
    assert "<script>" not in response.text  # no inline script
    assert 'type="file"' in response.text  # writers may upload


def test_the_picker_searches_and_keeps_the_callback(client, writer):
    client.force_login(writer)
    library_image("Ministers at the table")
    library_image("A river delta")

    response = client.get(PICKER_URL, {"CKEditorFuncNum": "2", "q": "river"})

    assert "A river delta" in response.text
    assert "Ministers at the table" not in response.text
    assert '<input type="hidden" name="CKEditorFuncNum" value="2">' in response.text


def test_the_picker_pages_through_a_large_library(client, writer):
    client.force_login(writer)
    for number in range(25):
        library_image(f"Picture {number}")

    first = client.get(PICKER_URL, {"CKEditorFuncNum": "1"})
    second = client.get(PICKER_URL, {"CKEditorFuncNum": "1", "page": "2"})

    assert first.text.count("Use this image") == 24
    assert "?CKEditorFuncNum=1&amp;page=2" in first.text
    assert second.text.count("Use this image") == 1
    assert "Picture 0<" in second.text


@pytest.mark.parametrize("number", [None, "", "abc", "1.5", "1;alert(1)", "99999999999"])
def test_the_picker_refuses_a_missing_or_invalid_callback_number(client, writer, number):
    client.force_login(writer)
    library_image()

    response = client.get(PICKER_URL, {} if number is None else {"CKEditorFuncNum": number})

    assert response.status_code == 400
    assert "Open it with the Browse… button" in response.text
    assert "data-callback" not in response.text
    assert "Use this image" not in response.text


def test_the_picker_is_for_the_newsroom_only(client, make_user):
    url = f"{PICKER_URL}?CKEditorFuncNum=1"

    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("admin:login"))

    client.force_login(make_user("desk", "Summit desk"))
    assert client.get(url).status_code == 403
    post = client.post(url, {"image": upload(picture()), "alt_text": "Ministers"})
    assert post.status_code == 403
    assert not LibraryImage.objects.exists()


def test_an_upload_from_the_picker_is_used_at_once(client, writer):
    client.force_login(writer)
    response = client.post(
        f"{PICKER_URL}?CKEditorFuncNum=-1",
        {
            "image": upload(picture("JPEG", exif=camera_exif()), "IMG_0001.JPG"),
            "alt_text": "Ministers at the table",
            "caption": "The opening session",
            "credit": "",
        },
    )

    image = LibraryImage.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{PICKER_URL}?CKEditorFuncNum=-1&uploaded={image.pk}"
    assert STORED_NAME.fullmatch(image.image.name)
    assert image.uploaded_by == writer
    assert b"WGS-84" not in Path(image.image.path).read_bytes()
    assert LogEntry.objects.get().action_flag == ADDITION

    page = client.get(response["Location"])
    assert 'data-callback="-1"' in page.text
    assert re.search(r"<button [^>]*data-use-now [^>]*data-url=\"" + image.image.url, page.text)
    assert "Uploaded “Ministers at the table”." in page.text


def test_a_bad_upload_in_the_picker_keeps_the_description(client, writer):
    client.force_login(writer)
    response = client.post(
        f"{PICKER_URL}?CKEditorFuncNum=-1",
        {
            "image": upload(b"GIF89a not really", "map.gif", "image/gif"),
            "alt_text": "A river delta",
            "caption": "The Amu Darya",
        },
    )

    assert response.status_code == 200
    assert NOT_AN_IMAGE in response.text
    assert 'value="A river delta"' in response.text
    assert 'value="The Amu Darya"' in response.text
    assert 'data-callback="-1"' in response.text
    assert not LibraryImage.objects.exists()
    assert stored_files() == []


def test_the_picker_upload_needs_a_description(client, writer):
    client.force_login(writer)
    response = client.post(
        f"{PICKER_URL}?CKEditorFuncNum=-1", {"image": upload(picture()), "alt_text": ""}
    )

    assert response.status_code == 200
    assert "Describe the image for readers who cannot see it." in response.text
    assert not LibraryImage.objects.exists()


# Deleting


@pytest.mark.parametrize(
    "publish_at",
    [
        timezone.now() - datetime.timedelta(days=1),
        timezone.now() + datetime.timedelta(days=1),
    ],
    ids=["published", "scheduled"],
)
def test_an_image_readers_see_cannot_be_deleted(client, editor, publish_at):
    client.force_login(editor)
    image = library_image()
    article = PublishedArticleFactory(
        title="Water talks", body=figure(image), publish_at=publish_at
    )
    url = reverse("admin:journal_libraryimage_delete", args=[image.pk])

    page = client.get(url)
    refused = client.post(url, {"post": "yes"})

    assert page.status_code == 200
    assert "cannot be deleted" in page.text
    assert reverse("admin:journal_article_change", args=[article.pk]) in page.text
    assert "Yes, I’m sure" not in page.text
    assert refused.status_code == 200
    assert LibraryImage.objects.filter(pk=image.pk).exists()


def test_the_list_action_does_not_delete_an_image_readers_see(client, editor):
    client.force_login(editor)
    shown, unused = library_image("Shown"), library_image("Unused")
    PublishedArticleFactory(title="Water talks", body=figure(shown))

    response = client.post(
        CHANGELIST_URL,
        {"action": "delete_selected", "_selected_action": [shown.pk, unused.pk], "post": "yes"},
    )

    assert response.status_code == 200
    assert "cannot be deleted" in response.text
    assert "Water talks" in response.text
    assert LibraryImage.objects.count() == 2


def test_an_image_only_drafts_use_is_deleted_with_a_warning(client, editor):
    client.force_login(editor)
    image = library_image()
    ArticleFactory(title="Work in progress", body=figure(image))
    url = reverse("admin:journal_libraryimage_delete", args=[image.pk])

    page = client.get(url)
    deleted = client.post(url, {"post": "yes"})

    assert "Articles that readers do not see yet also show this image" in page.text
    assert "Work in progress</a> (draft)" in page.text
    assert deleted.status_code == 302
    assert not LibraryImage.objects.exists()


def test_writers_cannot_delete_library_images(client, writer):
    client.force_login(writer)
    image = library_image()

    response = client.post(
        reverse("admin:journal_libraryimage_delete", args=[image.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert LibraryImage.objects.exists()


# What readers see


def test_a_figure_from_the_library_is_published_with_its_caption_and_description(admin_client):
    image = library_image("Ministers at the table")
    body = f"<p>They met.</p>{figure(image, caption='The opening session (Field Office)')}"

    response = admin_client.post(reverse("admin:journal_article_add"), article_post_data(body=body))
    assert response.status_code == 302, response.context and response.context["errors"]
    stored = Article.objects.get().body
    expected = (
        f'<figure><img src="{image.image.url}" alt="Ministers at the table">'
        "<figcaption>The opening session (Field Office)</figcaption></figure>"
    )
    assert stored == f"<p>They met.</p>{expected}"

    article = PublishedArticleFactory(slug="water-talks", body=body)
    page = admin_client.get(article.get_absolute_url())
    assert page.status_code == 200
    assert expected in page.text
    assert admin_client.get(image.image.url).status_code == 200


def test_a_library_figure_without_a_description_is_refused(admin_client):
    image = library_image()
    body = figure(image).replace(f'alt="{image.alt_text}"', 'alt=""')

    response = admin_client.post(reverse("admin:journal_article_add"), article_post_data(body=body))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["body"] == [
        "Describe every image in the body for readers who cannot see it."
    ]


@pytest.mark.parametrize("url", [f"{PICKER_URL}?CKEditorFuncNum=1", CHANGELIST_URL])
def test_library_lists_cost_the_same_few_queries_however_many_images(client, writer, url):
    client.force_login(writer)
    library_image()
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for number in range(5):
        library_image(f"Picture {number}")
    with CaptureQueriesContext(connection) as six:
        assert client.get(url).status_code == 200

    assert len(six) == len(one) <= 11  # one of them: has the user a two-factor device?
