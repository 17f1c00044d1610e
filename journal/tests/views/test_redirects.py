"""A changed slug keeps old links working: the old address answers 301 to the new one.

Only published articles are redirected to; an unpublished article's old
address is a 404 that does not give its new slug away.
"""

import datetime

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from journal import content_generation
from journal.models import Article, ArticleSlugHistory
from journal.services.workflow import article_publish, article_unpublish
from journal.tests.factories import (
    ArticleFactory,
    ContributorFactory,
    PublishedArticleFactory,
)
from summits.tests.factories import CountryFactory

pytestmark = pytest.mark.django_db


def url(slug: str) -> str:
    return reverse("journal:article_detail", kwargs={"slug": slug})


def rename(article: Article, slug: str) -> Article:
    article.slug = slug
    article.save()
    return article


def old_slugs(article: Article) -> set[str]:
    return set(article.slug_history.values_list("old_slug", flat=True))


def assert_moved(client, old: str, new: str):
    response = client.get(url(old))
    assert response.status_code == 301
    assert response["Location"] == url(new)


def assert_hidden(client, old: str, new: str):
    response = client.get(url(old))
    assert response.status_code == 404
    assert new not in response.text
    assert "Location" not in response


@pytest.fixture
def live():
    return PublishedArticleFactory(
        title="Ministers meet in Astana",
        slug="ministers-meet",
        countries=[CountryFactory()],
        authors=[ContributorFactory()],
    )


def change_form_data(article: Article, **overrides) -> dict:
    """The article's admin change form as an editor would send it back."""
    local = timezone.localtime(article.publish_at) if article.publish_at else None
    bylines = list(article.bylines.all())
    data = {
        "title": article.title,
        "slug": article.slug,
        "language": article.language,
        "standfirst": article.standfirst,
        "body": article.body,
        "editors_note": article.editors_note,
        "credit_line": article.credit_line,
        "section": article.section,
        "status": article.status,
        "publish_at_0": local.strftime("%d/%m/%Y") if local else "",
        "publish_at_1": local.strftime("%H:%M:%S") if local else "",
        "hero_alt": "",
        "hero_caption": "",
        "hero_credit": "",
        "countries": [country.pk for country in article.countries.all()],
        "bylines-TOTAL_FORMS": str(len(bylines)),
        "bylines-INITIAL_FORMS": str(len(bylines)),
        "bylines-MIN_NUM_FORMS": "0",
        "bylines-MAX_NUM_FORMS": "1000",
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
        "corrections-MIN_NUM_FORMS": "0",
        "corrections-MAX_NUM_FORMS": "1000",
    }
    for index, byline in enumerate(bylines):
        data |= {
            f"bylines-{index}-id": byline.pk,
            f"bylines-{index}-article": article.pk,
            f"bylines-{index}-order": byline.order,
            f"bylines-{index}-contributor": byline.contributor_id,
            f"bylines-{index}-role": byline.role,
        }
    return data | overrides


# Where slug changes come from.


def test_slug_changed_with_save_redirects_permanently(client, live):
    rename(live, "ministers-meet-in-astana")
    assert_moved(client, "ministers-meet", "ministers-meet-in-astana")
    assert client.get(url("ministers-meet-in-astana")).status_code == 200
    assert old_slugs(live) == {"ministers-meet"}


def test_slug_changed_in_the_admin_redirects_permanently(admin_client, client, live):
    response = admin_client.post(
        reverse("admin:journal_article_change", args=[live.pk]),
        change_form_data(live, slug="ministers-meet-in-astana"),
    )
    assert response.status_code == 302, response.context and response.context.get("errors")
    live.refresh_from_db()
    assert live.slug == "ministers-meet-in-astana"
    assert_moved(client, "ministers-meet", "ministers-meet-in-astana")


def test_saving_in_the_admin_without_a_slug_change_records_nothing(admin_client, live):
    response = admin_client.post(
        reverse("admin:journal_article_change", args=[live.pk]),
        change_form_data(live, title="Ministers meet again"),
    )
    assert response.status_code == 302
    assert not ArticleSlugHistory.objects.exists()


def test_slug_change_through_a_deferred_slug_is_recorded(client, live):
    article = Article.objects.only("title").get(pk=live.pk)
    rename(article, "ministers-meet-in-astana")
    assert old_slugs(live) == {"ministers-meet"}
    assert_moved(client, "ministers-meet", "ministers-meet-in-astana")


def test_saving_a_new_instance_over_an_existing_row_is_recorded(live):
    fields = ["title", "body", "section", "status", "publish_at", "created_at"]
    replacement = Article(pk=live.pk, **{name: getattr(live, name) for name in fields})
    rename(replacement, "ministers-meet-in-astana")
    assert Article.objects.get().slug == "ministers-meet-in-astana"
    assert old_slugs(live) == {"ministers-meet"}


def test_saves_that_leave_the_slug_alone_record_nothing(live):
    live.title = "A new headline"
    # The UPDATE and the search index's statements; no look-up of the old slug.
    with CaptureQueriesContext(connection) as saved:
        live.save()
    statements = [query["sql"] for query in saved.captured_queries]
    saves = [sql for sql in statements if sql.startswith('UPDATE "journal_article" SET "title"')]
    assert len(saves) == 1
    assert not [sql for sql in statements if sql.startswith("SELECT") or "slughistory" in sql]
    article_unpublish(article=live)
    article_publish(article=live)
    assert not ArticleSlugHistory.objects.exists()


def test_publishing_after_a_rename_as_a_draft_redirects(client):
    draft = ArticleFactory(
        slug="first-draft-slug", countries=[CountryFactory()], authors=[ContributorFactory()]
    )
    rename(draft, "final-slug")
    assert_hidden(client, "first-draft-slug", "final-slug")
    article_publish(article=draft)
    assert_moved(client, "first-draft-slug", "final-slug")


# Chains, reuse and going back.


def test_a_chain_of_renames_redirects_in_one_hop(client, live):
    rename(live, "second")
    rename(live, "third")
    assert old_slugs(live) == {"ministers-meet", "second"}
    assert_moved(client, "ministers-meet", "third")
    assert_moved(client, "second", "third")
    response = client.get(url("ministers-meet"), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [(url("third"), 301)]


def test_going_back_to_an_old_slug_does_not_loop(client, live):
    rename(live, "second")
    rename(live, "ministers-meet")
    assert old_slugs(live) == {"second"}
    assert client.get(url("ministers-meet")).status_code == 200
    assert_moved(client, "second", "ministers-meet")
    response = client.get(url("second"), follow=True)
    assert response.redirect_chain == [(url("ministers-meet"), 301)]
    assert response.status_code == 200


def test_an_old_slug_taken_by_another_article_serves_that_article(client, commit, live):
    rename(live, "ministers-meet-in-astana")
    newcomer = PublishedArticleFactory(title="Another meeting", slug="ministers-meet")
    response = client.get(url("ministers-meet"))
    assert response.status_code == 200
    assert response.context["article"] == newcomer
    assert not ArticleSlugHistory.objects.filter(old_slug="ministers-meet").exists()
    # When the newcomer moves on, the address follows the newcomer.
    with commit():
        rename(newcomer, "another-meeting")
    assert_moved(client, "ministers-meet", "another-meeting")
    assert client.get(url("ministers-meet-in-astana")).status_code == 200


def test_an_old_slug_taken_by_a_draft_no_longer_redirects(client, live):
    rename(live, "ministers-meet-in-astana")
    ArticleFactory(title="SECRET DRAFT", slug="ministers-meet")
    response = client.get(url("ministers-meet"))
    assert response.status_code == 404
    assert "SECRET DRAFT" not in response.text


def test_a_live_slug_wins_over_a_history_row_written_behind_the_signals(client, live):
    other = PublishedArticleFactory(slug="elsewhere")
    ArticleSlugHistory.objects.create(article=other, old_slug=live.slug)
    response = client.get(url(live.slug))
    assert response.status_code == 200
    assert response.context["article"] == live


# Nothing unpublished is given away.

HIDDEN = {
    "draft": (Article.Status.DRAFT, None),
    "in review": (Article.Status.IN_REVIEW, datetime.timedelta(minutes=-1)),
    "archived": (Article.Status.ARCHIVED, datetime.timedelta(days=-3)),
    "scheduled": (Article.Status.PUBLISHED, datetime.timedelta(days=1)),
}


@pytest.mark.parametrize("status, offset", HIDDEN.values(), ids=HIDDEN.keys())
def test_an_unpublished_articles_old_slug_is_not_found(client, status, offset):
    article = ArticleFactory(
        slug="old-address",
        status=status,
        publish_at=timezone.now() + offset if offset is not None else None,
    )
    rename(article, "secret-new-address")
    assert old_slugs(article) == {"old-address"}
    assert_hidden(client, "old-address", "secret-new-address")


def test_unpublishing_ends_the_redirect(client, live):
    rename(live, "secret-new-address")
    article_unpublish(article=live)
    assert_hidden(client, "ministers-meet", "secret-new-address")


def test_an_unknown_slug_is_not_found(client, live):
    assert client.get(url("never-was")).status_code == 404


def test_deleting_the_article_deletes_its_old_slugs(client, live):
    rename(live, "second")
    live.delete()
    assert not ArticleSlugHistory.objects.exists()
    assert client.get(url("ministers-meet")).status_code == 404


# The redirect itself.


def test_the_query_string_goes_along(client, live):
    rename(live, "second")
    response = client.get(url("ministers-meet"), {"utm_source": "newsletter", "page": "2"})
    assert response.status_code == 301
    assert response["Location"] == url("second") + "?utm_source=newsletter&page=2"


@pytest.mark.parametrize(
    "query, location",
    [
        ("q=%C3%A9t%C3%A9", "q=%C3%A9t%C3%A9"),
        ("q=été", "q=%C3%A9t%C3%A9"),
        ("next=//evil.example/", "next=%2F%2Fevil.example%2F"),
        ("a=%ZZ&&=", "a=%25ZZ&="),
        ("%0d%0aSet-Cookie:x", "%0D%0ASet-Cookie%3Ax="),
    ],
)
def test_odd_query_strings_stay_on_the_article(client, live, query, location):
    rename(live, "second")
    response = client.get(f"{url('ministers-meet')}?{query}")
    assert response.status_code == 301
    assert response["Location"] == f"{url('second')}?{location}"


def test_head_requests_are_redirected_too(client, live):
    rename(live, "second")
    response = client.head(url("ministers-meet"))
    assert response.status_code == 301
    assert response["Location"] == url("second")


@pytest.mark.usefixtures("uncached")
def test_the_redirect_costs_two_queries(client, django_assert_num_queries, live):
    rename(live, "second")
    content_generation.current()  # started, as on a site that has served a page
    # The miss on live slugs, then the old slug joined to published articles.
    with django_assert_num_queries(2):
        assert client.get(url("ministers-meet")).status_code == 301


def test_feeds_and_sitemap_give_only_the_current_address(client, live):
    rename(live, "ministers-meet-in-astana")
    for address in [
        reverse("site:sitemap_section", args=["articles"]),
        reverse("journal:feed_latest_rss"),
        reverse("journal:feed_latest_atom"),
    ]:
        text = client.get(address).text
        assert url("ministers-meet-in-astana") in text, address
        assert url("ministers-meet") not in text, address


def test_the_page_names_its_current_address_as_canonical(client, live):
    rename(live, "second")
    response = client.get(url("ministers-meet"), follow=True)
    assert response.context["canonical_url"] == f"http://testserver{url('second')}"


def test_an_old_slug_belongs_to_one_article_only(live):
    ArticleSlugHistory.objects.create(article=live, old_slug="taken")
    with pytest.raises(IntegrityError):
        ArticleSlugHistory.objects.create(article=PublishedArticleFactory(), old_slug="taken")


# The admin list of old slugs.


@pytest.fixture
def editor_client(staff):
    return staff("Editors")


def test_editors_search_and_read_old_slugs_but_cannot_write_them(editor_client, live):
    rename(live, "ministers-meet-in-astana")
    PublishedArticleFactory(slug="unrelated-old").slug_history.create(old_slug="other-old")
    history = live.slug_history.get()

    changelist = reverse("admin:journal_articleslughistory_changelist")
    response = editor_client.get(changelist, {"q": "ministers"})
    assert response.status_code == 200
    assert "ministers-meet-in-astana" in response.text
    assert "other-old" not in response.text

    change_url = reverse("admin:journal_articleslughistory_change", args=[history.pk])
    page = editor_client.get(change_url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.text
    assert editor_client.post(change_url, {"old_slug": "hijacked"}).status_code == 403
    assert editor_client.get(reverse("admin:journal_articleslughistory_add")).status_code == 403
    history.refresh_from_db()
    assert history.old_slug == "ministers-meet"


def test_editors_delete_an_old_slug_to_end_its_redirect(editor_client, client, live):
    rename(live, "ministers-meet-in-astana")
    history = live.slug_history.get()
    response = editor_client.post(
        reverse("admin:journal_articleslughistory_delete", args=[history.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not ArticleSlugHistory.objects.exists()
    assert client.get(url("ministers-meet")).status_code == 404


def test_superuser_admin_pages_for_old_slugs_open(admin_client, live):
    rename(live, "second")
    history = live.slug_history.get()
    for page in [
        reverse("admin:journal_articleslughistory_changelist"),
        reverse("admin:journal_articleslughistory_changelist") + "?article__status__exact=draft",
        reverse("admin:journal_articleslughistory_change", args=[history.pk]),
        reverse("admin:journal_articleslughistory_delete", args=[history.pk]),
    ]:
        assert admin_client.get(page).status_code == 200, page
