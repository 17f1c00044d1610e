"""Two editors on one article in two browsers: the refused save says what the other changed,
in words and the journal's time, and History and Compare agree on what each save changed."""

import datetime
import re

import reversion
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import Page, expect

from journal.models import Article
from journal.tests.factories import ArticleFactory, ContributorFactory
from summits.tests.factories import CountryFactory

from .admin import saved

# As the plain-text import writes a body: a line for each block, <b> for bold.
BODY = (
    "<h2>What was agreed</h2>\n"
    "<p>The ministers met on <b>Monday</b> in Astana.</p>\n"
    "<ul>\n<li>A water accord</li>\n<li>A transport corridor</li>\n</ul>"
)


def published_article() -> Article:
    with reversion.create_revision():
        return ArticleFactory(
            title="Ministers meet in Astana",
            standfirst="The ministers met.",
            body=BODY,
            status=Article.Status.PUBLISHED,
            publish_at=timezone.now() - datetime.timedelta(days=1, microseconds=123456),
            countries=[CountryFactory()],
            authors=[ContributorFactory()],
        )


def save(page: Page) -> None:
    page.get_by_role("button", name="Save and continue editing").first.click()


def test_a_refused_save_lists_only_their_changes_and_keeps_both(make_user, open_page):
    article = published_article()
    url = f"/admin/journal/article/{article.pk}/change/"
    mine = open_page(user=make_user("editor", "Editors"))
    mine.goto(url)
    theirs = open_page(user=make_user("colleague", "Editors"))
    theirs.goto(url)

    theirs.get_by_label("Standfirst").fill("Their standfirst.")
    save(theirs)
    saved(theirs, "was changed successfully")

    mine.get_by_label("Title:").fill("My headline")
    save(mine)
    error = mine.locator(".errornote + ul.errorlist, ul.errorlist.nonfield").first
    expect(error).to_contain_text("colleague saved this article at")
    expect(error).to_contain_text("Standfirst: “Their standfirst.” (now in the form)")
    # The time as the rest of the admin shows it, in the journal's zone.
    when = timezone.localtime(Article.objects.get(pk=article.pk).updated_at)
    with translation.override("en"):
        expect(error).to_contain_text(f"at {date_format(when, 'DATETIME_FORMAT')},")
    for field in ("Title:", "Body:", "Publish time:", "Status:"):
        expect(error).not_to_contain_text(field)
    expect(error).not_to_contain_text(re.compile(r"<p>|\+00:00"))

    # Their standfirst is in my form with my headline; saving again keeps both.
    expect(mine.get_by_label("Standfirst")).to_have_value("Their standfirst.")
    expect(mine.get_by_label("Title:")).to_have_value("My headline")
    save(mine)
    saved(mine, "was changed successfully")
    article.refresh_from_db()
    assert (article.title, article.standfirst) == ("My headline", "Their standfirst.")

    # History names only what each save changed (the body, untouched, in neither),
    # and Compare of the same two revisions agrees.
    mine.goto(f"/admin/journal/article/{article.pk}/history/")
    comments = mine.locator("#change-history tbody tr td:nth-child(5)")
    expect(comments.nth(0)).to_have_text("Changed Title.")
    expect(comments.nth(1)).to_have_text("Changed Standfirst.")
    expect(mine.locator("#change-history")).not_to_contain_text("Body")
    mine.get_by_role("button", name="Compare A ↔ B").click()
    expect(mine.locator(".revision-diff h2")).to_have_text(["Title"])
    expect(mine.get_by_text("Unchanged:")).to_contain_text("Standfirst, Body")


def test_both_changing_the_body_shows_their_words(make_user, open_page):
    article = published_article()
    url = f"/admin/journal/article/{article.pk}/change/"
    mine = open_page(user=make_user("editor", "Editors"))
    mine.goto(url)
    theirs = open_page(user=make_user("colleague", "Editors"))
    theirs.goto(url)

    type_at_end_of(theirs, "A water accord", " on the Syr Darya")
    save(theirs)
    saved(theirs, "was changed successfully")

    type_at_end_of(mine, "A transport corridor", " to the Caspian")
    save(mine)
    error = mine.locator("ul.errorlist.nonfield").first
    expect(error).to_contain_text(
        "Body: “A water accord on the Syr Darya” (you changed it too: the form keeps yours)"
    )
    expect(error).not_to_contain_text(re.compile(r"<(p|li|strong|b)>|&lt;"))
    # My version stays in the editor, to merge theirs into by hand.
    body = mine.locator(".prose-editor .ProseMirror[contenteditable]")
    expect(body).to_contain_text("A transport corridor to the Caspian")
    expect(body).not_to_contain_text("Syr Darya")


def type_at_end_of(page: Page, text: str, typed: str) -> None:
    """Click at the end of a line of the body editor and type."""
    line = page.locator(".prose-editor .ProseMirror[contenteditable] li", has_text=text)
    line.click()
    page.keyboard.press("End")
    page.keyboard.type(typed)
