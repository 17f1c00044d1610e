"""Roles and the article workflow, enforced on the server."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from journal.models import Article, ArticleEvent
from journal.services.workflow import article_publish, article_send_back, article_submit
from journal.tests.factories import ArticleFactory, ContributorFactory
from journal.tests.test_admin import article_post_data
from summits.tests.factories import CountryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer(make_user):
    return make_user("writer", "Writers")


@pytest.fixture
def editor(make_user):
    return make_user("editor", "Editors")


def change_url(article):
    return reverse("admin:journal_article_change", args=[article.pk])


def form_data(article, **overrides):
    """What the change form posts for `article`, with the given changes."""
    byline = article.bylines.first()
    data = article_post_data(
        title=article.title,
        slug=article.slug,
        body=article.body,
        status=article.status,
        countries=[country.pk for country in article.countries.all()],
        loaded_version=article.updated_at.isoformat(),
    )
    if article.publish_at:
        local = timezone.localtime(article.publish_at)
        data.update(
            publish_at_0=local.strftime("%d/%m/%Y"), publish_at_1=local.strftime("%H:%M:%S")
        )
    if byline:
        data.update(
            {
                "bylines-TOTAL_FORMS": "1",
                "bylines-INITIAL_FORMS": "1",
                "bylines-0-id": byline.pk,
                "bylines-0-article": article.pk,
                "bylines-0-order": "0",
                "bylines-0-contributor": byline.contributor.pk,
                "bylines-0-role": "author",
            }
        )
    data.update(overrides)
    return data


def ready_draft(owner, **kwargs):
    article = ArticleFactory(countries=[CountryFactory()], authors=[ContributorFactory()], **kwargs)
    article.created_by = owner
    article.save()
    return article


def test_writer_creates_a_draft_and_submits_it(client, writer):
    client.force_login(writer)
    country = CountryFactory()
    response = client.post(
        reverse("admin:journal_article_add"),
        article_post_data(countries=[country.pk]),
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.created_by == writer
    assert article.status == Article.Status.DRAFT

    response = client.post(change_url(article), form_data(article, status="in_review"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW
    event = article.events.get()
    assert (event.action, event.user) == (ArticleEvent.Action.SUBMITTED, writer)


def test_writer_cannot_publish_even_by_posting_directly(client, writer):
    client.force_login(writer)
    article = ready_draft(writer)
    response = client.post(change_url(article), form_data(article, status="published"))
    assert response.status_code == 200
    assert "Select a valid choice" in response.text or "Only editors" in response.text
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert not article.events.exists()


def test_writer_cannot_publish_through_the_list_action(client, writer):
    client.force_login(writer)
    article = ready_draft(writer)
    client.post(
        reverse("admin:journal_article_changelist"),
        {"action": "publish_selected", "_selected_action": [article.pk]},
    )
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_writer_cannot_set_the_publish_time_or_feature(client, writer):
    client.force_login(writer)
    article = ready_draft(writer)
    client.post(
        change_url(article),
        form_data(article, featured="on", publish_at_0="01/01/2030", publish_at_1="09:00:00"),
    )
    article.refresh_from_db()
    assert article.publish_at is None
    assert article.featured is False


def test_writer_cannot_edit_others_articles_or_own_in_review(client, writer, editor):
    client.force_login(writer)
    someone_elses = ready_draft(editor, title="Not yours")
    mine_in_review = ready_draft(writer, status=Article.Status.IN_REVIEW)
    for article in (someone_elses, mine_in_review):
        response = client.post(change_url(article), form_data(article, title="Changed"))
        assert response.status_code == 403
        article.refresh_from_db()
        assert article.title != "Changed"
        page = client.get(change_url(article))
        assert page.status_code == 200  # may read it
        assert 'name="_save"' not in page.text


def test_writer_edits_own_draft_when_credited_by_byline(client, writer):
    client.force_login(writer)
    article = ready_draft(None)
    contributor = article.bylines.get().contributor
    contributor.user = writer
    contributor.save()
    response = client.post(change_url(article), form_data(article, title="Better headline"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Better headline"


def test_editor_sends_back_with_a_note(client, editor, writer):
    client.force_login(editor)
    article = ready_draft(writer, status=Article.Status.IN_REVIEW)
    response = client.post(change_url(article), form_data(article, status="draft"))
    assert response.status_code == 200
    assert "Tell the writer what to change." in response.text

    response = client.post(
        change_url(article),
        form_data(article, status="draft", review_note="Add the Samarkand figures."),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert article.review_note == "Add the Samarkand figures."
    event = article.events.get()
    assert (event.action, event.user, event.note) == (
        ArticleEvent.Action.SENT_BACK,
        editor,
        "Add the Samarkand figures.",
    )


def test_editor_schedules_then_publishes_now(client, editor, writer):
    client.force_login(editor)
    article = ready_draft(writer, status=Article.Status.IN_REVIEW)
    later = timezone.localtime() + datetime.timedelta(days=2)
    response = client.post(
        change_url(article),
        form_data(
            article,
            status="published",
            publish_at_0=later.strftime("%d/%m/%Y"),
            publish_at_1=later.strftime("%H:%M:%S"),
        ),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.is_scheduled
    assert article not in Article.objects.published()
    assert article.events.get().action == ArticleEvent.Action.SCHEDULED

    now = timezone.localtime() - datetime.timedelta(minutes=1)
    response = client.post(
        change_url(article),
        form_data(
            article,
            publish_at_0=now.strftime("%d/%m/%Y"),
            publish_at_1=now.strftime("%H:%M:%S"),
        ),
    )
    assert response.status_code == 302
    assert article in Article.objects.published()
    assert article.events.first().action == ArticleEvent.Action.PUBLISHED


def test_editor_unpublishes_and_archives_with_audit(client, editor):
    client.force_login(editor)
    article = ready_draft(None)
    article_publish(article=article, user=editor)
    changelist = reverse("admin:journal_article_changelist")
    client.post(changelist, {"action": "unpublish_selected", "_selected_action": [article.pk]})
    client.post(changelist, {"action": "archive_selected", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.status == Article.Status.ARCHIVED
    assert [event.action for event in article.events.order_by("at", "pk")] == [
        ArticleEvent.Action.PUBLISHED,
        ArticleEvent.Action.UNPUBLISHED,
        ArticleEvent.Action.ARCHIVED,
    ]
    assert all(event.user == editor for event in article.events.all())
    audit = client.get(reverse("admin:journal_articleevent_changelist"))
    assert audit.status_code == 200
    assert "Archived" in audit.text


def test_services_enforce_roles_too(writer, editor):
    article = ready_draft(writer)
    with pytest.raises(PermissionDenied):
        article_publish(article=article, user=writer)
    article_submit(article=article, user=writer)
    with pytest.raises(ValidationError):
        article_send_back(article=article, user=editor, note="  ")
    with pytest.raises(PermissionDenied):
        article_send_back(article=article, user=writer, note="I changed my mind")
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW


def test_second_of_two_simultaneous_edits_is_refused_with_the_changes(client, editor):
    client.force_login(editor)
    article = ready_draft(None, title="Original headline")
    opened_by_me = form_data(article)  # the page as I opened it

    # Meanwhile a colleague saves a new headline.
    colleague = form_data(article, title="Colleague's headline")
    assert client.post(change_url(article), colleague).status_code == 302

    mine = {**opened_by_me, "title": "My headline"}
    response = client.post(change_url(article), mine)
    assert response.status_code == 200
    assert "after you opened it" in response.text
    assert "Colleague&#x27;s headline" in response.text or "Colleague's headline" in response.text
    article.refresh_from_db()
    assert article.title == "Colleague's headline"

    # Having seen their version, saving again is a deliberate overwrite.
    mine["loaded_version"] = article.updated_at.isoformat()
    assert client.post(change_url(article), mine).status_code == 302
    article.refresh_from_db()
    assert article.title == "My headline"


def test_dashboard_shows_drafts_queue_scheduled_and_recent(client, writer, editor):
    ready_draft(writer, title="Writer's own draft")
    ready_draft(editor, title="Someone else's draft")
    ready_draft(writer, title="Waiting for review", status=Article.Status.IN_REVIEW)
    ArticleFactory(
        title="Goes out Friday",
        status=Article.Status.PUBLISHED,
        publish_at=timezone.now() + datetime.timedelta(days=3),
    )
    ArticleFactory(
        title="Out yesterday",
        status=Article.Status.PUBLISHED,
        publish_at=timezone.now() - datetime.timedelta(days=1),
    )
    client.force_login(writer)
    page = client.get(reverse("admin:index")).text
    drafts = page.split("My drafts")[1].split("Review queue")[0]
    assert "Writer&#x27;s own draft" in drafts
    assert "Someone else" not in drafts
    assert "Waiting for review" in page.split("Review queue")[1].split("Scheduled")[0]
    assert "Goes out Friday" in page.split("Scheduled")[1].split("Recently published")[0]
    assert "Out yesterday" in page.split("Recently published")[1]


def test_summit_desk_gets_no_dashboard(client, make_user):
    client.force_login(make_user("desk", "Summit desk"))
    page = client.get(reverse("admin:index"))
    assert page.status_code == 200
    assert "Review queue" not in page.text
