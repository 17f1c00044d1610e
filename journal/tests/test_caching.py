"""Anonymous readers get cached pages; editors and changes are never served stale."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from journal.models import Article, Correction
from journal.services.workflow import article_publish
from journal.tests.factories import ArticleFactory, ContributorFactory, PublishedArticleFactory
from summits.tests.factories import CountryFactory, SummitFactory

pytestmark = pytest.mark.django_db

HOME = reverse("journal:home")


def from_cache(response) -> bool:
    # Django's cache middleware gives a page it replays an Age.
    return "Age" in response


def test_a_second_visit_is_served_from_the_cache(client, django_assert_num_queries):
    PublishedArticleFactory(title="Caspian talks resume")
    first = client.get(HOME)
    assert not from_cache(first)

    with django_assert_num_queries(0):
        second = client.get(HOME)

    assert second.status_code == 200
    assert from_cache(second)
    assert second.content == first.content
    assert "Caspian talks resume" in second.text


def test_a_repeat_visit_with_the_etag_gets_a_304_until_the_page_changes(client):
    article = PublishedArticleFactory(title="Caspian talks resume")
    first = client.get(HOME)
    etag = first["ETag"]
    # Browsers ask again every time, and get a 304 while nothing changed.
    assert "max-age=0" in first["Cache-Control"]

    assert client.get(HOME, headers={"if-none-match": etag}).status_code == 304
    assert client.get(HOME, headers={"if-none-match": '"other"'}).status_code == 200

    article.title = "Talks collapse"
    article.save()
    after = client.get(HOME, headers={"if-none-match": etag})
    assert after.status_code == 200
    assert "Talks collapse" in after.text


@pytest.mark.parametrize(
    ("change", "shown"),
    [
        (lambda a: setattr(a, "title", "Talks collapse") or a.save(), "Talks collapse"),
        (lambda a: Correction.objects.create(article=a, text="We misdated it."), "misdated"),
        (lambda a: a.countries.add(CountryFactory(name="Oman", slug="oman")), "Oman"),
    ],
    ids=["edit", "correct", "tag"],
)
def test_any_change_shows_at_once(client, change, shown):
    article = PublishedArticleFactory(title="Caspian talks resume")
    url = article.get_absolute_url()
    client.get(url)
    assert from_cache(client.get(url))

    change(article)

    after = client.get(url)
    assert not from_cache(after)
    assert shown in after.text


def test_a_deleted_article_goes_at_once(client):
    article = PublishedArticleFactory(title="Caspian talks resume")
    assert "Caspian talks resume" in client.get(HOME).text
    assert from_cache(client.get(HOME))

    article.delete()

    assert "Caspian talks resume" not in client.get(HOME).text
    assert client.get(article.get_absolute_url()).status_code == 404


def test_a_summit_change_shows_at_once(client):
    summit = SummitFactory(title="Leaders meet in Astana")
    url = summit.get_absolute_url()
    assert "Leaders meet in Astana" in client.get(url).text

    summit.title = "Leaders meet in Samarkand"
    summit.save()

    assert "Leaders meet in Samarkand" in client.get(url).text


def test_a_scheduled_article_appears_when_its_time_comes(client, travel):
    PublishedArticleFactory(title="Already out")
    PublishedArticleFactory(
        title="Embargoed until noon", publish_at=timezone.now() + datetime.timedelta(hours=1)
    )
    assert "Embargoed until noon" not in client.get(HOME).text
    assert from_cache(client.get(HOME))

    travel(datetime.timedelta(minutes=61))

    response = client.get(HOME)
    assert not from_cache(response)
    assert "Embargoed until noon" in response.text


def test_editors_always_get_fresh_pages(client, admin_client):
    article = PublishedArticleFactory(title="First headline")
    url = article.get_absolute_url()
    client.get(url)
    assert from_cache(client.get(url))

    for _ in range(2):
        response = admin_client.get(url)
        assert not from_cache(response)
        assert response.context is not None  # rendered, not replayed


def test_no_cached_page_ever_shows_a_draft(client, admin_client):
    draft = ArticleFactory(
        title="Secret draft", countries=[CountryFactory()], authors=[ContributorFactory()]
    )
    # An editor previews it; readers' pages are cached meanwhile.
    assert admin_client.get(reverse("journal:article_preview", args=[draft.pk])).status_code == 200
    assert "Secret draft" not in client.get(HOME).text
    assert client.get(draft.get_absolute_url()).status_code == 404

    article_publish(article=draft)
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED

    assert "Secret draft" in client.get(HOME).text


def test_only_reader_pages_are_cached(client):
    article = PublishedArticleFactory()
    for url in [
        reverse("admin:login"),
        reverse("health"),
        reverse("journal:article_preview", args=[article.pk]),
        "/articles/no-such-article/",
    ]:
        client.get(url)
        assert not from_cache(client.get(url)), url


def test_the_cache_can_be_turned_off(client, settings):
    settings.CACHE_MIDDLEWARE_SECONDS = 0
    PublishedArticleFactory()
    client.get(HOME)

    assert not from_cache(client.get(HOME))
