"""The generated archive used by the benchmarks: `manage.py generate_demo_data`."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from bench.management.commands import generate_demo_data
from journal.models import Article, Byline, Contributor
from journal.tests.factories import PublishedArticleFactory

pytestmark = pytest.mark.django_db


def generate(*args) -> str:
    # The tests run on the site's settings, which do not install the benchmark's app.
    out = io.StringIO()
    call_command(generate_demo_data.Command(), *args, stdout=out)
    return out.getvalue()


def snapshot():
    # Publish times count from the current hour, so compare their order.
    return list(
        Article.objects.order_by("publish_at", "slug").values_list(
            "slug", "title", "status", "section", "hero_image"
        )
    )


@pytest.mark.slow
def test_generates_a_realistic_archive(record, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    output = generate("--articles", "300", "--seed", "7")

    assert "Generated 300 articles" in output
    articles = Article.objects.all()
    assert articles.count() == 300
    statuses = set(articles.values_list("status", flat=True))
    assert statuses == set(Article.Status.values)
    assert Article.objects.scheduled().exists()
    years = {a.publish_at.year for a in Article.objects.published()}
    assert max(years) - min(years) >= 10
    # Every article has a byline and tags; illustrations are shared files.
    assert not articles.filter(bylines__isnull=True).exists()
    assert not articles.filter(countries__isnull=True).exists()
    assert not articles.filter(frameworks__isnull=True).exists()
    assert articles.filter(summits__isnull=False).exists()
    heroes = set(articles.exclude(hero_image="").values_list("hero_image", flat=True))
    assert 1 < len(heroes) <= 12
    assert all((tmp_path / name).exists() for name in heroes)
    # An old article is not shown as freshly updated.
    old = Article.objects.published().order_by("publish_at").first()
    assert old.revised_at is None


@pytest.mark.slow
def test_generated_articles_are_served_and_searchable(record, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    generate("--articles", "120")
    article = Article.objects.published().order_by("-publish_at").first()

    assert client.get(article.get_absolute_url()).status_code == 200
    word = article.title.split()[-1]
    response = client.get(reverse("journal:search"), {"q": word})
    assert article.title in response.text


@pytest.mark.slow
def test_the_same_seed_gives_the_same_archive(record, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    generate("--articles", "80", "--seed", "3")
    first = snapshot()

    generate("--articles", "80", "--seed", "3", "--clear")

    assert snapshot() == first


@pytest.mark.slow
def test_clear_replaces_only_generated_rows(record, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    own = PublishedArticleFactory(title="The desk's own story")
    generate("--articles", "50")

    with pytest.raises(CommandError, match="--clear"):
        generate("--articles", "50")

    generate("--articles", "20", "--clear")
    assert Article.objects.count() == 21
    assert Article.objects.filter(pk=own.pk).exists()
    assert Byline.objects.filter(article__in=Article.objects.exclude(pk=own.pk)).exists()
    assert Contributor.objects.count() >= 10


def test_needs_reference_data():
    with pytest.raises(CommandError, match="load_reference_data"):
        generate("--articles", "5")
