"""Roles and the article workflow: the buttons editors and writers see, and the server's checks."""

import datetime
import gettext
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models.signals import post_save
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import trans_real
from reversion.models import Version

from journal.models import Article, ArticleEvent
from journal.services.workflow import (
    Step,
    article_publish,
    article_send_back,
    article_submit,
    article_take_step,
)
from journal.tests.factories import ArticleFactory, ContributorFactory, article_post_data
from summits.tests.factories import CountryFactory

pytestmark = pytest.mark.django_db

Status = Article.Status
Action = ArticleEvent.Action


def change_url(article):
    return reverse("admin:journal_article_change", args=[article.pk])


ADD_URL = reverse("admin:journal_article_add")


def form_data(article, **overrides):
    """What the change form posts for `article`, with the given changes."""
    byline = article.bylines.first()
    data = article_post_data(
        title=article.title,
        slug=article.slug,
        language=article.language,
        translation_of=article.translation_of_id or "",
        body=article.body,
        countries=[country.pk for country in article.countries.all()],
        loaded_version=article.updated_at.isoformat(),
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


def press(client, article, step, **changes):
    """Press the workflow button `step` on the article's form, with edits in the form."""
    return client.post(change_url(article), form_data(article, workflow_step=step, **changes))


def time_fields(when: datetime.datetime) -> dict:
    local = timezone.localtime(when)
    return {
        "schedule_at_0": local.strftime("%d/%m/%Y"),
        "schedule_at_1": local.strftime("%H:%M:%S"),
    }


def buttons(page) -> list[str]:
    return re.findall(r'name="workflow_step" value="(\w+)"', page.text)


def ready_draft(owner, **kwargs):
    article = ArticleFactory(countries=[CountryFactory()], authors=[ContributorFactory()], **kwargs)
    article.created_by = owner
    article.save()
    return article


def in_days(days: float) -> datetime.datetime:
    return (timezone.now() + datetime.timedelta(days=days)).replace(microsecond=0)


# What each reader of the form is offered.

STARTS = {
    "draft": {"status": Status.DRAFT},
    "in review": {"status": Status.IN_REVIEW},
    "scheduled": {"status": Status.PUBLISHED, "publish_at": in_days(2)},
    "live": {"status": Status.PUBLISHED, "publish_at": in_days(-2)},
    "archived": {"status": Status.ARCHIVED},
}


@pytest.mark.parametrize(
    ("start", "offered"),
    [
        ("draft", ["submit", "publish", "schedule", "archive"]),
        ("in review", ["publish", "schedule", "send_back", "archive"]),
        ("scheduled", ["publish", "reschedule", "unpublish", "archive"]),
        ("live", ["unpublish", "archive"]),
        ("archived", ["return"]),
    ],
)
def test_editor_sees_the_steps_the_status_allows(client, editor, start, offered):
    client.force_login(editor)
    article = ready_draft(None, **STARTS[start])
    page = client.get(change_url(article))
    assert buttons(page) == offered
    # Status and publish time are shown, not edited.
    assert 'name="status"' not in page.text
    assert 'name="publish_at_0"' not in page.text
    assert "field-status" in page.text and "field-publish_at" in page.text
    assert ('name="schedule_at_0"' in page.text) == any("schedule" in s for s in offered)
    assert ('name="send_back_note"' in page.text) == ("send_back" in offered)


def test_writer_sees_submit_on_own_draft_and_nothing_once_submitted(client, writer):
    client.force_login(writer)
    article = ready_draft(writer)
    assert buttons(client.get(change_url(article))) == ["submit"]
    assert buttons(client.get(ADD_URL)) == ["submit"]
    article_submit(article=article, user=writer)
    page = client.get(change_url(article))
    assert page.status_code == 200
    assert buttons(page) == []
    assert 'name="_save"' not in page.text


def test_a_new_article_can_be_saved_submitted_published_or_scheduled(client, editor):
    client.force_login(editor)
    assert buttons(client.get(ADD_URL)) == ["submit", "publish", "schedule"]


def test_restoring_a_revision_offers_no_steps(client, editor):
    client.force_login(editor)
    article = ready_draft(None)
    client.post(change_url(article), form_data(article, title="Second headline"))
    version = Version.objects.get_for_object(article).get()
    page = client.get(reverse("admin:journal_article_revision", args=[article.pk, version.pk]))
    assert page.status_code == 200
    assert buttons(page) == []


# Each button: saves the edits in the form and takes its step.


@pytest.mark.parametrize(
    ("start", "step", "days", "status", "action", "live"),
    [
        ("in review", "publish", None, Status.PUBLISHED, Action.PUBLISHED, True),
        ("draft", "schedule", 3, Status.PUBLISHED, Action.SCHEDULED, False),
        ("in review", "schedule", -400, Status.PUBLISHED, Action.PUBLISHED, True),
        ("scheduled", "reschedule", 5, Status.PUBLISHED, Action.SCHEDULED, False),
        ("scheduled", "publish", None, Status.PUBLISHED, Action.PUBLISHED, True),
        ("in review", "send_back", None, Status.DRAFT, Action.SENT_BACK, False),
        ("live", "unpublish", None, Status.DRAFT, Action.UNPUBLISHED, False),
        ("live", "archive", None, Status.ARCHIVED, Action.ARCHIVED, False),
        ("archived", "return", None, Status.DRAFT, Action.SENT_BACK, False),
    ],
)  # fmt: skip
def test_each_button_saves_the_edits_and_takes_its_step(
    client, editor, start, step, days, status, action, live
):
    """`days`: the publish time typed in for Schedule or Reschedule, from now."""
    client.force_login(editor)
    article = ready_draft(None, **STARTS[start])
    when = in_days(days) if days else None
    extra = time_fields(when) if when else {"send_back_note": "Add the figures."}
    response = press(client, article, step, title="Edited with the step", **extra)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert response.url == change_url(article)  # back to the article
    article.refresh_from_db()
    assert article.title == "Edited with the step"
    assert article.status == status
    assert article.is_live == live
    event = article.events.first()
    assert (event.action, event.user) == (action, editor)
    if when:
        assert article.publish_at == event.publish_at == when
    assert '<li class="success">' in client.get(response.url).text
    # One revision, named after the step.
    revision = Version.objects.get_for_object(article).first().revision
    assert revision.get_comment().startswith(f"{Step(step).label}. Changed Title")
    assert "workflow" not in revision.get_comment()


def test_writer_submits_and_reads_the_note_the_editor_sends_back(client, writer, editor):
    client.force_login(writer)
    response = client.post(
        ADD_URL, article_post_data(countries=[CountryFactory().pk], workflow_step="submit")
    )
    article = Article.objects.get()
    assert response.url == change_url(article)
    assert (article.status, article.created_by) == (Status.IN_REVIEW, writer)
    assert (article.events.get().action, article.events.get().user) == (Action.SUBMITTED, writer)

    client.force_login(editor)
    response = press(client, article, "send_back", send_back_note="Add the Samarkand figures.")
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.status, article.review_note) == (Status.DRAFT, "Add the Samarkand figures.")
    assert article.events.first().note == "Add the Samarkand figures."

    client.force_login(writer)
    page = client.get(change_url(article))
    assert "Add the Samarkand figures." in page.text
    assert buttons(page) == ["submit"]


def test_unpublishing_keeps_the_publish_time(client, editor):
    client.force_login(editor)
    article = ready_draft(None, **STARTS["live"])
    press(client, article, "unpublish")
    article.refresh_from_db()
    assert article.publish_at == STARTS["live"]["publish_at"]
    assert article not in Article.objects.published()


def test_a_scheduled_article_goes_live_by_itself(client, editor):
    client.force_login(editor)
    article = ready_draft(None)
    press(client, article, "schedule", **time_fields(in_days(1)))
    assert article not in Article.objects.published()
    assert article in Article.objects.published(now=in_days(1.5))


# Refused: nothing saved, and the form says why.


def assert_unchanged(article, before):
    article.refresh_from_db()
    assert (article.title, article.status, article.publish_at) == before
    assert not article.events.exists()


@pytest.mark.parametrize("step", ["publish", "schedule", "archive", "send_back", "unpublish"])
def test_writer_cannot_take_an_editors_step_even_by_posting_it(client, writer, step):
    client.force_login(writer)
    article = ready_draft(writer)
    before = (article.title, article.status, article.publish_at)
    response = press(client, article, step, title="Changed", **time_fields(in_days(1)))
    assert response.status_code == 200
    assert "Only editors can" in response.text or "is not possible for" in response.text
    assert_unchanged(article, before)


@pytest.mark.parametrize(
    ("start", "step"),
    [("draft", "unpublish"), ("draft", "send_back"), ("live", "publish"), ("live", "reschedule"),
     ("archived", "publish"), ("in review", "submit"), ("draft", "fly")],
)  # fmt: skip
def test_a_step_the_status_does_not_allow_is_refused(client, editor, start, step):
    client.force_login(editor)
    article = ready_draft(None, **STARTS[start])
    before = (article.title, article.status, article.publish_at)
    response = press(
        client, article, step, title="Changed", send_back_note="Note", **time_fields(in_days(1))
    )
    assert response.status_code == 200
    assert "is not possible for an article that is" in response.text or (
        "Select a valid choice" in response.text
    )
    assert_unchanged(article, before)


def test_a_forged_status_time_or_featuring_is_ignored(client, writer):
    client.force_login(writer)
    article = ready_draft(writer)
    forged = {"status": "published", "publish_at_0": "01/01/2030", "featured": "on"}
    response = client.post(change_url(article), form_data(article, title="Saved", **forged))
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.title, article.status, article.publish_at) == ("Saved", Status.DRAFT, None)
    assert article.featured is False


def test_writer_cannot_edit_others_articles_or_own_in_review(client, writer, editor):
    client.force_login(writer)
    someone_elses = ready_draft(editor, title="Not yours")
    mine_in_review = ready_draft(writer, status=Status.IN_REVIEW)
    for article in (someone_elses, mine_in_review):
        response = press(client, article, "submit", title="Changed")
        assert response.status_code == 403
        article.refresh_from_db()
        assert article.title != "Changed"
        page = client.get(change_url(article))
        assert page.status_code == 200  # may read it
        assert 'name="_save"' not in page.text
        assert buttons(page) == []


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


def test_writer_cannot_publish_through_the_list_action(client, writer):
    client.force_login(writer)
    article = ready_draft(writer)
    client.post(
        reverse("admin:journal_article_changelist"),
        {"action": "publish_selected", "_selected_action": [article.pk]},
    )
    article.refresh_from_db()
    assert article.status == Status.DRAFT


def test_a_refused_publish_shows_every_problem_and_saves_nothing(client, editor):
    client.force_login(editor)
    article = ArticleFactory(title="Untitled import", title_is_provisional=True)
    before = (article.title, article.status, article.publish_at)
    response = press(client, article, "publish", title="Edited", body="", title_is_provisional="on")
    assert response.status_code == 200
    for problem in [
        "untick “title needs confirming” before publishing",
        "An article needs a body before it is published.",
        "Tag at least one country before publishing.",
        "Add at least one byline before publishing.",
    ]:
        assert response.text.count(problem) == 1, problem
    assert_unchanged(article, before)


@pytest.mark.parametrize(
    ("start", "step", "problem"),
    [
        ("draft", "schedule", "Choose when the article goes live."),
        ("scheduled", "reschedule", "The article is already scheduled for this time."),
        ("in review", "send_back", "Tell the writer what to change."),
    ],
)
def test_a_step_without_its_time_or_note_is_refused(client, editor, start, step, problem):
    client.force_login(editor)
    article = ready_draft(None, **STARTS[start])
    before = (article.title, article.status, article.publish_at)
    same_time = time_fields(article.publish_at) if article.publish_at else {}
    response = press(client, article, step, title="Changed", **same_time)
    assert response.status_code == 200
    assert problem in response.text
    assert_unchanged(article, before)


def test_editing_a_live_article_keeps_it_publishable(client, editor):
    client.force_login(editor)
    article = ready_draft(None, **STARTS["live"])
    response = client.post(
        change_url(article), form_data(article, countries=[], **{"bylines-0-DELETE": "on"})
    )
    assert response.status_code == 200
    assert "Tag at least one country before publishing." in response.text
    assert "Add at least one byline before publishing." in response.text
    article.refresh_from_db()
    assert article.countries.exists() and article.bylines.exists()


def test_a_step_on_a_form_opened_before_someone_elses_save_is_refused(client, editor):
    client.force_login(editor)
    article = ready_draft(None, status=Status.IN_REVIEW)
    opened_by_me = form_data(article, workflow_step="publish")
    assert client.post(change_url(article), form_data(article, title="Theirs")).status_code == 302

    response = client.post(change_url(article), opened_by_me)
    assert response.status_code == 200
    assert "after you opened it" in response.text
    assert "<strong>Title</strong>" in response.text
    assert "Workflow step" not in response.text  # a button, not a difference
    article.refresh_from_db()
    assert (article.title, article.status) == ("Theirs", Status.IN_REVIEW)


# One save.


@pytest.fixture
def article_saves():
    saves = []

    def count(sender, instance, **kwargs):
        saves.append(instance.pk)

    post_save.connect(count, sender=Article, weak=False, dispatch_uid="test_workflow.count")
    yield saves
    post_save.disconnect(sender=Article, dispatch_uid="test_workflow.count")


def article_updates(queries) -> list[str]:
    """UPDATEs of article rows (the search index keeps tables of its own)."""
    return [
        query["sql"] for query in queries if query["sql"].startswith('UPDATE "journal_article" SET')
    ]


def test_publishing_saves_the_article_once_with_its_edits_tags_bylines_and_corrections(
    client, editor, article_saves
):
    client.force_login(editor)
    article = ready_draft(None, status=Status.IN_REVIEW)
    country = CountryFactory(name="Tajikistan")
    correction = {
        "corrections-TOTAL_FORMS": "1",
        "corrections-0-published_at_0": timezone.localdate().strftime("%d/%m/%Y"),
        "corrections-0-published_at_1": "10:00:00",
        "corrections-0-text": "The meeting was in Astana.",
    }
    article_saves.clear()  # the ones that made the draft
    with CaptureQueriesContext(connection) as queries:
        response = press(
            client, article, "publish", title="Once", countries=[country.pk], **correction
        )
    assert response.status_code == 302
    assert article_saves == [article.pk]
    assert len(article_updates(queries)) == 1
    article.refresh_from_db()
    assert (article.title, article.is_live) == ("Once", True)
    assert list(article.countries.all()) == [country]
    assert article.corrections.get().text == "The meeting was in Astana."
    assert article.events.get().action == Action.PUBLISHED


def test_publishing_a_new_article_inserts_it_once(client, editor, article_saves):
    client.force_login(editor)
    data = article_post_data(
        countries=[CountryFactory().pk],
        workflow_step="publish",
        **{
            "bylines-TOTAL_FORMS": "1",
            "bylines-0-order": "0",
            "bylines-0-contributor": ContributorFactory().pk,
            "bylines-0-role": "author",
        },
    )
    with CaptureQueriesContext(connection) as queries:
        response = client.post(ADD_URL, data)
    article = Article.objects.get()
    assert response.url == change_url(article)
    assert article_saves == [article.pk]
    assert article_updates(queries) == []
    assert article.is_live and article.created_by == editor


# The list actions go through the same services.


def test_editor_unpublishes_and_archives_from_the_list_with_audit(client, editor):
    client.force_login(editor)
    article = ready_draft(None)
    article_publish(article=article, user=editor)
    changelist = reverse("admin:journal_article_changelist")
    client.post(changelist, {"action": "unpublish_selected", "_selected_action": [article.pk]})
    client.post(changelist, {"action": "archive_selected", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.status == Status.ARCHIVED
    assert [event.action for event in article.events.order_by("at", "pk")] == [
        Action.PUBLISHED,
        Action.UNPUBLISHED,
        Action.ARCHIVED,
    ]
    assert all(event.user == editor for event in article.events.all())
    audit = client.get(reverse("admin:journal_articleevent_changelist"))
    assert audit.status_code == 200
    assert "Archived" in audit.text


def test_services_enforce_roles_too(writer, editor):
    article = ready_draft(writer)
    with pytest.raises(PermissionDenied):
        article_publish(article=article, user=writer)
    with pytest.raises(PermissionDenied):
        article_take_step(article=article, step=Step.ARCHIVE, user=writer)
    article_submit(article=article, user=writer)
    with pytest.raises(ValidationError):
        article_send_back(article=article, user=editor, note="  ")
    with pytest.raises(PermissionDenied):
        article_send_back(article=article, user=writer, note="I changed my mind")
    with pytest.raises(PermissionDenied):
        article_take_step(article=article, step=Step.UNPUBLISH, user=editor)
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW


def test_the_service_checks_what_is_about_to_be_saved():
    article = ArticleFactory()
    with pytest.raises(ValidationError) as refused:
        article_take_step(article=article, step=Step.PUBLISH, user=None)
    assert set(refused.value.message_dict) == {"countries", "bylines"}
    assert article.status == Status.DRAFT

    saved = []
    article_take_step(
        article=article,
        step=Step.PUBLISH,
        user=None,
        countries=[CountryFactory()],
        bylines=[ContributorFactory()],
        save=saved.append,
    )
    assert saved == [article]  # the caller wrote it, with its tags and bylines
    assert article.status == Status.PUBLISHED


# Every message an editor reads goes through gettext.


class Bracketed(gettext.NullTranslations):
    """A language in which every translated message is bracketed: untranslated text shows bare."""

    def gettext(self, message):
        return f"⟦{message}⟧"

    def ngettext(self, singular, plural, n):
        return f"⟦{singular if n == 1 else plural}⟧"

    def to_language(self):
        return "xx"


@pytest.fixture
def bracketed(monkeypatch, settings, client):
    """The bracketed language, for the test and for the client's requests (by its cookie)."""
    settings.LANGUAGES = [*settings.LANGUAGES, ("xx", "Bracketed")]  # clears the catalogues
    monkeypatch.setitem(trans_real._translations, "xx", Bracketed())
    real_check = trans_real.check_for_language
    monkeypatch.setattr(
        trans_real, "check_for_language", lambda code: code == "xx" or real_check(code)
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    with translation.override("xx"):
        yield


def test_workflow_buttons_and_messages_are_translated(client, editor, writer, bracketed):
    client.force_login(editor)
    article = ArticleFactory(title="Draft", title_is_provisional=True, body="")
    page = client.get(change_url(article)).text
    for label in ["Submit for review", "Publish now", "Schedule", "Archive", "Publish time"]:
        assert f"⟦{label}⟧" in page, label
    assert "⟦Saves your changes and puts the article on the site now.⟧" in page

    page = press(client, article, "publish", title_is_provisional="on").text
    for problem in [
        "The headline was made up",
        "An article needs a body",
        "Tag at least one country",
        "Add at least one byline",
    ]:
        assert page.count(problem) == page.count(f"⟦{problem}") == 1, problem

    page = press(client, article, "schedule").text
    assert "⟦Choose when the article goes live.⟧" in page

    changelist = reverse("admin:journal_article_changelist")
    page = client.post(
        changelist, {"action": "publish_selected", "_selected_action": [article.pk]}, follow=True
    ).text
    assert "⟦“%(article)s” was not published" not in page  # formatted, once translated
    assert "⟦“Draft” was not published: ⟦" in page

    draft = ready_draft(writer)
    page = client.post(change_url(draft), form_data(draft, workflow_step="publish"), follow=True)
    page = page.text
    assert f"⟦“{draft.title}” was published.⟧" in page

    client.force_login(writer)
    mine = ready_draft(writer)
    page = press(client, mine, "archive").text
    assert "⟦Only editors can move an article from “⟦Draft⟧” to “⟦Archived⟧”.⟧" in page


# The dashboard.


def test_dashboard_shows_drafts_queue_scheduled_and_recent(client, writer, editor):
    ready_draft(writer, title="Writer's own draft")
    ready_draft(editor, title="Someone else's draft")
    ready_draft(writer, title="Waiting for review", status=Status.IN_REVIEW)
    ArticleFactory(
        title="Goes out Friday",
        status=Status.PUBLISHED,
        publish_at=timezone.now() + datetime.timedelta(days=3),
    )
    ArticleFactory(
        title="Out yesterday",
        status=Status.PUBLISHED,
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
