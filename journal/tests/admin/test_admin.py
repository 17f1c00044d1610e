"""The newsroom admin: every page opens, articles are made there, each desk keeps to its own."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from journal.models import Article
from journal.tests.factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    PublishedArticleFactory,
    article_post_data,
)
from summits.models import Summit
from summits.tests.factories import CountryFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


def test_every_admin_page_opens_for_a_superuser(admin_client, one_of_each, rf, admin_user):
    visited = 0
    request = rf.get("/")
    request.user = admin_user
    for model, model_admin in admin.site._registry.items():
        name = model._meta.model_name
        prefix = f"admin:{model._meta.app_label}_{name}"
        urls = [reverse(f"{prefix}_changelist")]
        # Read-only lists (old article addresses) have no add page.
        if model_admin.has_add_permission(request):
            urls.append(reverse(f"{prefix}_add"))
        urls.append(reverse(f"{prefix}_change", args=[one_of_each[name].pk]))
        for url in urls:
            response = admin_client.get(url)
            assert response.status_code == 200, url
            visited += 1
    assert visited >= 8 * 3


def test_admin_index_lists_both_desks(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert 'href="/admin/journal/article/"' in response.text
    assert 'href="/admin/summits/summit/"' in response.text
    assert "Diplomatic record" in response.text


def test_article_changelist_shows_bylines_and_scheduled_time(admin_client):
    scheduled = PublishedArticleFactory(
        title="Coming soon", publish_at=timezone.now() + datetime.timedelta(days=2)
    )
    BylineFactory(article=scheduled, contributor=ContributorFactory(name="Aigerim Sadykova"))
    response = admin_client.get(reverse("admin:journal_article_changelist"))
    assert "Aigerim Sadykova" in response.text
    assert "Scheduled for" in response.text


def test_article_changelist_search_finds_contributor_name(admin_client):
    article = ArticleFactory(title="Water talks")
    BylineFactory(article=article, contributor=ContributorFactory(name="Timur Rakhimov"))
    ArticleFactory(title="Unrelated")
    response = admin_client.get(reverse("admin:journal_article_changelist"), {"q": "Rakhimov"})
    assert "Water talks" in response.text
    assert "Unrelated" not in response.text


def test_editor_creates_article_with_byline_and_tags(admin_client, admin_user):
    country = CountryFactory(code="KZ")
    contributor = ContributorFactory()
    response = admin_client.post(
        reverse("admin:journal_article_add"),
        article_post_data(
            workflow_step="publish",
            countries=[country.pk],
            **{
                "bylines-TOTAL_FORMS": "1",
                "bylines-0-order": "0",
                "bylines-0-contributor": contributor.pk,
                "bylines-0-role": "author",
            },
        ),
    )
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    article = Article.objects.get(slug="ministers-meet-in-astana")
    assert article in Article.objects.published()
    assert list(article.countries.all()) == [country]
    assert article.bylines.get().contributor == contributor
    assert article.created_by == admin_user


def test_publishing_without_country_or_byline_is_refused_with_messages(admin_client):
    response = admin_client.post(
        reverse("admin:journal_article_add"), article_post_data(workflow_step="publish")
    )
    assert response.status_code == 200
    assert "Tag at least one country before publishing." in response.text
    assert "Add at least one byline before publishing." in response.text
    assert not Article.objects.exists()


def test_draft_may_be_saved_without_tags(admin_client):
    response = admin_client.post(reverse("admin:journal_article_add"), article_post_data())
    assert response.status_code == 302
    assert Article.objects.get().status == Article.Status.DRAFT


def test_publish_action_publishes_complete_and_reports_incomplete(admin_client):
    ready = ArticleFactory(
        title="Ready", countries=[CountryFactory()], authors=[ContributorFactory()]
    )
    not_ready = ArticleFactory(title="Not ready")
    response = admin_client.post(
        reverse("admin:journal_article_changelist"),
        {"action": "publish_selected", "_selected_action": [ready.pk, not_ready.pk]},
        follow=True,
    )
    assert "1 article published." in response.text
    assert "“Not ready” was not published" in response.text
    assert list(Article.objects.published()) == [ready]


def test_unpublish_action_takes_article_off_the_site(admin_client):
    article = PublishedArticleFactory()
    admin_client.post(
        reverse("admin:journal_article_changelist"),
        {"action": "unpublish_selected", "_selected_action": [article.pk]},
    )
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_groups_exist_after_migrations():
    assert set(Group.objects.values_list("name", flat=True)) >= {"Editors", "Summit desk"}


def test_editor_manages_articles_but_only_views_summits(staff):
    client = staff("Editors")
    summit = ParticipantFactory().summit
    article = ArticleFactory()

    assert client.get(reverse("admin:journal_article_change", args=[article.pk])).status_code == 200
    contributor_form = client.get(reverse("admin:journal_contributor_add"))
    assert contributor_form.status_code == 200
    assert 'name="user"' not in contributor_form.text  # linking logins is for user admins

    # Editors may look at the record (they tag articles with it) but not change it.
    change_url = reverse("admin:summits_summit_change", args=[summit.pk])
    page = client.get(change_url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.text
    response = client.post(change_url, {"title": "Defaced"})
    assert response.status_code == 403
    assert client.get(reverse("admin:summits_summit_add")).status_code == 403
    assert (
        client.post(
            reverse("admin:summits_summit_delete", args=[summit.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    summit.refresh_from_db()
    assert summit.title != "Defaced"


def test_editor_adds_a_correction_and_the_article_shows_as_updated(staff):
    client = staff("Editors")
    article = PublishedArticleFactory(
        countries=[CountryFactory()],
        authors=[ContributorFactory()],
        publish_at=timezone.now() - datetime.timedelta(days=3),
    )
    Article.objects.filter(pk=article.pk).update(updated_at=article.publish_at)
    byline = article.bylines.get()
    data = article_post_data(
        title=article.title,
        slug=article.slug,
        body=article.body,
        status="published",
        publish_at_0=timezone.localtime(article.publish_at).strftime("%d/%m/%Y"),
        publish_at_1=timezone.localtime(article.publish_at).strftime("%H:%M:%S"),
        countries=[c.pk for c in article.countries.all()],
        **{
            "bylines-TOTAL_FORMS": "1",
            "bylines-INITIAL_FORMS": "1",
            "bylines-0-id": byline.pk,
            "bylines-0-article": article.pk,
            "bylines-0-order": "0",
            "bylines-0-contributor": byline.contributor.pk,
            "bylines-0-role": "author",
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-published_at_0": timezone.localdate().strftime("%d/%m/%Y"),
            "corrections-0-published_at_1": "10:00:00",
            "corrections-0-text": "The meeting was in Astana, not Almaty.",
        },
    )
    response = client.post(reverse("admin:journal_article_change", args=[article.pk]), data)
    assert response.status_code == 302, response.context and response.context.get("errors")
    article.refresh_from_db()
    assert article.corrections.get().text == "The meeting was in Astana, not Almaty."
    assert article.revised_at is not None
    page = client.get(article.get_absolute_url())
    assert "The meeting was in Astana, not Almaty." in page.text
    assert "Updated" in page.text


def test_editor_can_use_country_autocomplete(staff):
    client = staff("Editors")
    CountryFactory(name="Kyrgyzstan")
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "journal", "model_name": "article", "field_name": "countries", "term": "Kyr"},
    )
    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == ["Kyrgyzstan"]


def test_summit_desk_manages_summits_but_cannot_touch_articles(staff):
    client = staff("Summit desk")
    summit = ParticipantFactory().summit
    article = ArticleFactory(title="Original")

    assert client.get(reverse("admin:summits_summit_change", args=[summit.pk])).status_code == 200
    assert client.get(reverse("admin:summits_country_add")).status_code == 200

    for url in [
        reverse("admin:journal_article_changelist"),
        reverse("admin:journal_article_add"),
        reverse("admin:journal_article_change", args=[article.pk]),
        reverse("admin:journal_contributor_changelist"),
    ]:
        assert client.get(url).status_code == 403, url
    response = client.post(
        reverse("admin:journal_article_change", args=[article.pk]),
        article_post_data(title="Hacked"),
    )
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.title == "Original"
    assert Summit.objects.filter(pk=summit.pk).exists()
