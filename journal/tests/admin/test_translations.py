"""Translating an article in the admin: a draft in another language, paired with its original."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from journal.models import Article
from journal.tests.admin.test_workflow import form_data, press
from journal.tests.factories import ArticleFactory, PublishedArticleFactory

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:journal_article_change", args=[article.pk])


def translate_url(article, language):
    return reverse("admin:journal_article_translate", args=[article.pk, language])


@pytest.fixture
def original(world):
    return PublishedArticleFactory(
        title="Astana hosts the ministers",
        slug="astana-hosts",
        countries=[world.kz],
        frameworks=[world.c5],
        summits=[world.summit],
        authors=[world.aigerim],
    )


def test_an_editor_starts_a_translation_and_finds_it_paired(client, editor, original):
    client.force_login(editor)
    page = client.get(change_url(original)).text
    assert f'href="{translate_url(original, "ko")}"' in page  # "Start a translation"

    confirm = client.get(translate_url(original, "ko"))
    assert confirm.status_code == 200
    assert Article.objects.count() == 1  # asking changes nothing

    response = client.post(translate_url(original, "ko"), follow=True)
    draft = Article.objects.get(language="ko")
    assert response.redirect_chain[-1][0] == change_url(draft)
    assert "translation was started" in response.text
    assert draft.translation_of == original
    assert draft.status == Article.Status.DRAFT
    assert draft.slug == original.slug  # free: slugs are unique per language
    assert draft.title_is_provisional  # not publishable until the headline is translated
    assert list(draft.countries.all()) == [original.countries.get()]
    assert list(draft.summits.all()) == list(original.summits.all())
    assert [b.contributor for b in draft.bylines.all()] == [original.bylines.get().contributor]

    # Each page names the other.
    assert f'href="{change_url(draft)}" lang="ko"' in client.get(change_url(original)).text
    assert f'href="{change_url(original)}" lang="en"' in client.get(change_url(draft)).text


def test_a_translation_cannot_be_published_until_its_headline_is_confirmed(
    client, editor, original
):
    client.force_login(editor)
    client.post(translate_url(original, "ru"))
    draft = Article.objects.get(language="ru")
    page = press(client, draft, "publish", title_is_provisional="on").text  # as the form shows it
    assert "The headline was made up" in page
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT

    # Translated and unticked: published under its own language's address.
    press(client, draft, "publish", title="Министры встретились в Астане")
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED
    assert draft.get_absolute_url() == "/ru/articles/astana-hosts/"


def test_a_second_translation_into_the_same_language_is_refused(client, editor, original):
    client.force_login(editor)
    client.post(translate_url(original, "ko"))
    translation = Article.objects.get(language="ko")

    response = client.post(translate_url(original, "ko"), follow=True)
    assert "already has a translation in that language" in response.text
    # Translating the translation translates the original.
    response = client.post(translate_url(translation, "ko"), follow=True)
    assert "already has a translation in that language" in response.text
    assert Article.objects.filter(language="ko").count() == 1
    assert client.post(translate_url(original, "en"), follow=True).status_code == 200
    assert Article.objects.count() == 2


def test_writers_without_the_right_to_add_cannot_translate(client, make_user, original):
    reader = make_user("reader")  # staff, no newsroom group
    client.force_login(reader)
    assert client.post(translate_url(original, "ko")).status_code in (403, 302)
    assert Article.objects.count() == 1
    assert client.get(translate_url(original, "de")).status_code in (404, 302, 403)


def test_a_slug_is_unique_within_its_language_only(client, editor, original):
    client.force_login(editor)
    other = ArticleFactory(title="Another piece", slug="another-piece")
    response = client.post(change_url(other), form_data(other, slug="astana-hosts"))
    assert "Another article in this language has this address." in response.text
    response = client.post(change_url(other), form_data(other, slug="astana-hosts", language="ko"))
    assert response.status_code == 302
    other.refresh_from_db()
    assert (other.language, other.slug) == ("ko", "astana-hosts")


def test_a_translation_is_in_another_language_than_its_original(original):
    copy = Article(title="Copy", slug="copy", language="en", translation_of=original)
    with pytest.raises(ValidationError, match="another language than its original"):
        copy.full_clean()
