"""The demo content (`load_demo_content`): what it creates, once, reading like a live journal."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from PIL import Image

from journal.demo.content import ARTICLES, CONTRIBUTORS
from journal.models import Article, Byline, Contributor

pytestmark = pytest.mark.django_db

SCHEDULED = [
    item.slug
    for item in ARTICLES
    if item.status == Article.Status.PUBLISHED and item.publish_offset.total_seconds() > 0
]


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo_content", stdout=out)
    return out.getvalue()


def test_creates_contributors_and_articles_with_tags_and_bylines(record):
    output = load_demo()

    assert "contributors: 5 created, 0 already there" in output
    assert "articles: 10 created, 0 already there" in output
    assert Contributor.objects.count() == len(CONTRIBUTORS) == 5
    assert Article.objects.count() == len(ARTICLES) == 10
    for item in ARTICLES:
        article = Article.objects.get(slug=item.slug)
        assert article.title == item.title
        assert set(article.countries.values_list("code", flat=True)) == set(item.countries)
        assert set(article.frameworks.values_list("slug", flat=True)) == set(item.frameworks)
        assert set(article.summits.values_list("slug", flat=True)) == set(item.summits)
        bylines = article.bylines.order_by("order").values_list("contributor__slug", "role")
        assert list(bylines) == list(item.bylines)


def test_covers_every_section_and_the_desk_workflow(record):
    load_demo()

    assert set(Article.objects.values_list("section", flat=True)) == set(Article.Section.values)
    assert Article.objects.filter(featured=True).count() == 1
    assert Article.objects.filter(status=Article.Status.DRAFT).exists()
    assert Article.objects.filter(status=Article.Status.IN_REVIEW).exists()
    assert Byline.objects.filter(role=Byline.Role.TRANSLATOR).exists()
    contribution = Article.objects.get(section=Article.Section.CONTRIBUTION)
    assert contribution.editors_note.endswith("–Ed.")
    assert contribution.credit_line.startswith("Submitted through the Embassy of")


def test_second_run_creates_nothing_and_keeps_the_desks_edits(record):
    load_demo()
    article = Article.objects.get(slug=ARTICLES[0].slug)
    article.title = "A headline the desk rewrote"
    article.save()
    article.countries.clear()

    output = load_demo()

    assert "contributors: 0 created, 5 already there" in output
    assert "articles: 0 created, 10 already there" in output
    assert "Nothing new to load" in output
    assert Contributor.objects.count() == 5
    assert Article.objects.count() == 10
    assert Byline.objects.count() == sum(len(item.bylines) for item in ARTICLES)
    article.refresh_from_db()
    assert article.title == "A headline the desk rewrote"
    assert not article.countries.exists()


def test_exactly_one_article_is_scheduled_and_unpublished_work_stays_hidden(record):
    load_demo()

    assert len(SCHEDULED) == 1
    scheduled = Article.objects.scheduled()
    assert list(scheduled.values_list("slug", flat=True)) == SCHEDULED
    published = Article.objects.published()
    assert not published.filter(slug__in=SCHEDULED).exists()
    assert not published.exclude(status=Article.Status.PUBLISHED).exists()
    assert published.count() == Article.objects.filter(status="published").count() - 1
    assert (
        Article.objects.filter(status=Article.Status.DRAFT)
        .exclude(pk__in=published.values("pk"))
        .exists()
    )


def test_published_articles_pass_the_publication_checks(record):
    load_demo()

    articles = Article.objects.filter(status=Article.Status.PUBLISHED)
    assert articles.count() == 8
    for article in articles:
        assert article.publication_errors() == {}, article.slug


def test_images_are_generated_into_media_root(record, settings):
    output = load_demo()

    assert "images: 13 generated" in output
    media_root = Path(settings.MEDIA_ROOT)
    for article in Article.objects.filter(status=Article.Status.PUBLISHED):
        path = Path(article.hero_image.path)
        assert path.is_relative_to(media_root) and path.is_file()
        assert Image.open(path).size == (1200, 675)
        assert article.hero_alt
        assert article.hero_caption
        assert article.hero_credit == "Illustration: Diplomacy Journal"
    assert not Article.objects.exclude(status=Article.Status.PUBLISHED).exclude(hero_image="")
    for contributor in Contributor.objects.all():
        path = Path(contributor.photo.path)
        assert path.is_relative_to(media_root) and path.is_file()
        assert Image.open(path).size == (400, 400)


def test_missing_reference_data_is_a_clear_command_error():
    with pytest.raises(CommandError, match="manage.py load_reference_data"):
        load_demo()

    assert not Contributor.objects.exists()
    assert not Article.objects.exists()


def test_demo_articles_published_in_the_past_do_not_read_as_updated_today(record, client):
    call_command("load_demo_content")
    article = Article.objects.published().order_by("publish_at").first()
    assert article.updated_at == article.publish_at
    response = client.get(article.get_absolute_url())
    assert "Updated" not in response.text


def test_if_empty_leaves_a_journal_with_content_alone(record):
    call_command("load_demo_content")
    Article.objects.filter(slug=ARTICLES[0].slug).delete()
    out = io.StringIO()
    call_command("load_demo_content", if_empty=True, stdout=out)
    assert "demo content not loaded" in out.getvalue()
    assert not Article.objects.filter(slug=ARTICLES[0].slug).exists()
