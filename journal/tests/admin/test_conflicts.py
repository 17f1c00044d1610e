"""Two people on one article: what the conflict message, History and Compare say changed."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from reversion.models import Version

from journal.models import Article, Correction
from journal.sanitiser import body_lines, body_marks
from journal.services.workflow import article_publish
from journal.tests.admin.test_revisions import compare_url, posted_form, save_in_admin
from journal.tests.factories import ArticleFactory, ContributorFactory
from summits.tests.factories import CountryFactory

pytestmark = pytest.mark.django_db

# A body as the plain-text import writes it: a line for each block.
BODY = (
    "<h2>What was agreed</h2>\n"
    "<p>The ministers met on <b>Monday</b> in Astana.</p>\n"
    "<ul>\n<li>A water accord</li>\n<li>A transport corridor</li>\n</ul>\n"
    '<p>Read <a href="https://www.example.org/statement">the statement</a>.</p>'
)
# The same body as the editor in the browser writes it back.
EDITOR_BODY = (
    "<h2>What was agreed</h2><p>The ministers met on <strong>Monday</strong> in Astana.</p>"
    "<ul><li><p>A water accord</p></li><li><p>A transport corridor</p></li></ul>"
    '<p>Read <a href="https://www.example.org/statement" rel="noopener noreferrer nofollow">'
    "the statement</a>.</p><p></p>"
)


def change_url(article):
    return reverse("admin:journal_article_change", args=[article.pk])


def as_browser_posts(data: dict) -> dict:
    """Form data as a browser sends it: a text area's line endings become CRLF."""
    return {
        name: [value.replace("\r\n", "\n").replace("\n", "\r\n") for value in values]
        for name, values in data.items()
    }


def open_form(client, article) -> dict:
    """The article's change form as it is now, as the browser would post it unchanged."""
    return as_browser_posts(posted_form(client.get(change_url(article))))


def open_form_after(response) -> dict:
    """The form a refused save shows again, as the browser would post it."""
    return as_browser_posts(posted_form(response))


def comments(article) -> list[str]:
    return [
        version.revision.get_comment()
        for version in Version.objects.get_for_object(article).select_related("revision")
    ]


def conflict_message(response) -> str:
    assert response.status_code == 200
    (error,) = response.context["adminform"].form.non_field_errors()
    return error


@pytest.fixture
def article(client, editor):
    """A published article, saved once in the admin (so it has a revision), editor logged in."""
    client.force_login(editor)
    published = ArticleFactory(
        title="Ministers meet in Astana",
        standfirst="The ministers met.",
        body=BODY,
        status=Article.Status.PUBLISHED,
        # A time with microseconds, as the workflow sets it.
        publish_at=timezone.now() - datetime.timedelta(days=1, microseconds=123456),
        countries=[CountryFactory()],
        authors=[ContributorFactory()],
    )
    return save_in_admin(client, published)


@pytest.fixture
def colleague(make_user):
    other = Client()
    other.force_login(make_user("colleague", "Editors"))
    return other


# Comparing bodies as readers see them.


@pytest.mark.parametrize(
    "other",
    [BODY.replace("\n", "\r\n"), EDITOR_BODY, BODY.replace("</p>\n", "</p>\n\n  \n")],
    ids=["browser line endings", "the editor's markup", "spaces between paragraphs"],
)
def test_the_same_body_written_another_way_is_the_same(other):
    assert body_marks(other) == body_marks(BODY)
    assert body_lines(other) == body_lines(BODY)


@pytest.mark.parametrize(
    "other",
    [
        BODY.replace("<b>Monday</b>", "Monday"),
        BODY.replace('statement">', 'statement-2">'),
        BODY.replace("water", "energy"),
        BODY.replace("<li>A water accord</li>", "<li>A water</li><li>accord</li>"),
    ],
    ids=["emphasis", "a link's address", "a word", "a list item"],
)
def test_what_readers_would_notice_is_a_difference(other):
    assert body_marks(other) != body_marks(BODY)


def test_body_lines_are_words_not_markup():
    assert body_lines(BODY) == [
        "What was agreed",
        "The ministers met on Monday in Astana.",
        "A water accord",
        "A transport corridor",
        "Read the statement.",
    ]


# History: what a save changed.


def test_a_save_that_leaves_the_body_alone_does_not_record_a_body_change(client, article):
    data = open_form(client, article)
    data["standfirst"] = ["A new standfirst."]
    assert client.post(change_url(article), data).status_code == 302
    assert comments(article)[0] == "Changed Standfirst."

    # Compare agrees: the body is among the unchanged fields.
    new, old = Version.objects.get_for_object(article)[:2]
    page = client.get(compare_url(article, old, new)).text
    assert "Body" in page.split("Unchanged:")[1]
    assert 'id="diff-2"' not in page  # one section: the standfirst


def test_the_editor_writing_the_body_its_own_way_is_not_a_change(client, article):
    data = open_form(client, article)
    data["body"] = [EDITOR_BODY]
    assert client.post(change_url(article), data).status_code == 302
    assert "Body" not in comments(article)[0]


def test_a_real_change_to_the_body_is_recorded_and_compared_as_text(client, article):
    data = open_form(client, article)
    data["body"] = [EDITOR_BODY.replace("<strong>Monday</strong>", "Monday")]
    assert client.post(change_url(article), data).status_code == 302
    assert comments(article)[0] == "Changed Body."
    new, old = Version.objects.get_for_object(article)[:2]
    page = client.get(compare_url(article, old, new)).text
    assert "The words are the same; formatting, links or images changed." in page

    save_in_admin(client, article, body=BODY.replace("water", "energy"))
    new, old = Version.objects.get_for_object(article)[:2]
    page = client.get(compare_url(article, old, new)).text
    assert "A <mark>water</mark> accord" in page
    assert "A <mark>energy</mark> accord" in page
    assert "&lt;li&gt;" not in page and "&lt;p&gt;" not in page


# The conflict message: what the other person changed.


def test_a_conflict_lists_only_what_the_other_person_changed(client, colleague, article):
    mine = open_form(client, article)
    theirs = open_form(colleague, article)
    theirs["standfirst"] = ["Their standfirst."]
    assert colleague.post(change_url(article), theirs).status_code == 302

    mine["title"] = ["My headline"]
    message = conflict_message(client.post(change_url(article), mine))
    assert "colleague saved this article at" in message
    assert "<strong>Standfirst</strong>: “Their standfirst.” (now in the form)" in message
    # Not my own change, nor what neither of us touched.
    for field in ("Title", "Body", "Publish time", "Status"):
        assert f"<strong>{field}</strong>" not in message
    article.refresh_from_db()
    assert (article.title, article.standfirst) == ("Ministers meet in Astana", "Their standfirst.")

    # The form now holds their standfirst and my headline: saving again keeps both.
    again = open_form_after(client.post(change_url(article), mine))
    assert again["standfirst"] == ["Their standfirst."] and again["title"] == ["My headline"]
    assert client.post(change_url(article), again).status_code == 302
    article.refresh_from_db()
    assert (article.title, article.standfirst) == ("My headline", "Their standfirst.")


def test_a_body_conflict_shows_their_words_not_markup(client, colleague, article):
    mine = open_form(client, article)
    theirs = open_form(colleague, article)
    theirs["body"] = [BODY.replace("A water accord", "An energy accord")]
    assert colleague.post(change_url(article), theirs).status_code == 302

    mine["body"] = [BODY.replace("in Astana", "in Astana on Monday")]
    message = conflict_message(client.post(change_url(article), mine))
    assert "<strong>Body</strong>: “An energy accord” (you changed it too" in message
    # The message's own list aside, no markup.
    assert not re.search(r"&lt;|<(?!/?(ul|li|strong)>)", message)


def test_times_in_the_conflict_message_are_the_journals(client, colleague, editor, article):
    mine = open_form(client, article)
    moved = (timezone.now() + datetime.timedelta(days=3)).replace(second=0, microsecond=0)
    article_publish(article=article, user=editor, at=moved)
    article.refresh_from_db()

    message = conflict_message(client.post(change_url(article), mine))
    local = timezone.localtime(moved)
    assert f"<strong>Publish time</strong>: “{date_format(local, 'DATETIME_FORMAT')}”" in message
    saved_at = date_format(timezone.localtime(article.updated_at), "DATETIME_FORMAT")
    assert f"saved this article at {saved_at}" in message
    assert "+00:00" not in message and "UTC" not in message


def test_a_save_that_loses_nothing_of_theirs_goes_through(client, colleague, article):
    mine = open_form(client, article)
    # They save without changing anything, then add the headline I am about to write.
    assert colleague.post(change_url(article), open_form(colleague, article)).status_code == 302
    theirs = open_form(colleague, article)
    theirs["title"] = ["My headline"]
    assert colleague.post(change_url(article), theirs).status_code == 302

    mine["title"] = ["My headline"]
    mine["credit_line"] = ["Courtesy of the ministry"]
    assert client.post(change_url(article), mine).status_code == 302
    article.refresh_from_db()
    assert (article.title, article.credit_line) == ("My headline", "Courtesy of the ministry")


def test_a_correction_they_edited_is_not_written_back(client, colleague, article):
    correction = Correction.objects.create(article=article, text="The meeting was on Monday.")
    mine = open_form(client, article)
    theirs = open_form(colleague, article)
    theirs["corrections-0-text"] = ["The meeting was on Tuesday."]
    assert colleague.post(change_url(article), theirs).status_code == 302

    mine["title"] = ["My headline"]
    message = conflict_message(client.post(change_url(article), mine))
    assert "<li>Corrections</li>" in message
    correction.refresh_from_db()
    assert correction.text == "The meeting was on Tuesday."


def test_a_forged_opening_time_is_refused_not_an_error(client, colleague, article):
    mine = open_form(client, article)
    theirs = open_form(colleague, article)
    theirs["standfirst"] = ["Their standfirst."]
    assert colleague.post(change_url(article), theirs).status_code == 302

    mine["loaded_version"] = ["2020-01-01T00:00:00"]  # no time zone: not the form's
    message = conflict_message(client.post(change_url(article), mine))
    assert "saved this article at" in message
