"""The body editor: the elements it offers, its local assets, pasted Word HTML stored clean."""

import html
import json
import re

import pytest
from django.urls import reverse
from django_prose_editor.config import allowlist_from_extensions

from journal.admin.editor import BODY_EXTENSIONS
from journal.models import Article
from journal.sanitiser import BODY_TAGS
from journal.tests.factories import article_post_data

pytestmark = pytest.mark.django_db

# What Word puts on the clipboard, more or less.
WORD_HTML = (
    "<p class=MsoNormal style='margin:0cm;font-family:\"Calibri\",sans-serif'><o:p></o:p>"
    "<b>Bold</b><span style='mso-bidi-font-weight:bold;mso-ansi-language:EN-GB'>text</span></p>"
    "<h2 class=MsoHeading2>Head</h2><ul style='mso-list:l0'><li>one</li></ul>"
)


def test_body_editor_offers_exactly_the_published_elements():
    # <b> and <i> are published when pasted as such, but the editor writes
    # <strong> and <em>.
    assert allowlist_from_extensions(BODY_EXTENSIONS)["tags"] == BODY_TAGS - {"b", "i"}


def test_article_form_renders_the_body_editor_with_local_assets(admin_client):
    response = admin_client.get(reverse("admin:journal_article_add"))
    assert response.status_code == 200

    textarea = re.search(r'<textarea[^>]*name="body"[^>]*>', response.text)[0]
    assert "data-django-prose-editor-configurable" in textarea
    config = json.loads(
        html.unescape(re.search(r'data-django-prose-editor-configurable="([^"]*)"', textarea)[1])
    )
    assert config["extensions"]["Heading"] == {"levels": [2, 3, 4]}
    assert config["js_modules"] == [
        "/static/journal/editor/word-paste.js",
        "/static/journal/editor/field-label.js",
    ]

    media = str(response.context["media"])
    urls = re.findall(r'(?:src|href)="([^"]+)"', media)
    importmap = json.loads(re.search(r'<script type="importmap">(.*?)</script>', media)[1])
    urls += importmap["imports"].values()
    assert "/static/django_prose_editor/editor.js" in urls
    assert "/static/django_prose_editor/configurable.js" in urls
    assert "/static/django_prose_editor/editor.css" in urls
    assert [url for url in urls if not url.startswith("/static/")] == []
    assert not re.search(r"(?:https?:)?//", media)


def test_word_html_posted_through_the_admin_is_stored_clean(admin_client):
    response = admin_client.post(
        reverse("admin:journal_article_add"), article_post_data(body=WORD_HTML)
    )
    assert response.status_code == 302, response.context["errors"] if response.context else ""

    assert Article.objects.get().body == (
        "<p><b>Bold</b>text</p><h2>Head</h2><ul><li>one</li></ul>"
    )
