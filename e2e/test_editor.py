"""The newsroom's journey, through the admin's JavaScript: from a new contributor to a
published article that readers find on the front page, its tags' pages and the feed."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import Page, expect

from journal.models import Article, Contributor

from .admin import autocomplete, png, saved

TITLE = "Astana talks open a new C5+1 chapter"
STANDFIRST = "Ministers of the C5+1 met in Astana to agree on critical minerals."
LINK = "https://www.example.org/joint-statement"


def test_from_a_new_contributor_to_a_published_article(reference_data, make_user, open_page):
    editor = make_user("editor", "Editors")
    writer = make_user("writer", "Writers")

    desk = open_page(user=editor)
    add_contributor(desk)
    contributor = Contributor.objects.get(slug="aigerim-sadykova")
    assert contributor.photo

    newsroom = open_page(user=writer)
    write_article(newsroom)
    article = Article.objects.get(title=TITLE)
    assert article.status == Article.Status.DRAFT
    assert [c.slug for c in article.countries.all()] == ["kazakhstan"]
    assert [f.slug for f in article.frameworks.all()] == ["c5-plus-1"]
    assert [s.slug for s in article.summits.all()] == ["c5-plus-1-2023-02-28-astana"]
    assert "<h2>What was agreed</h2>" in article.body
    assert f'href="{LINK}"' in article.body
    assert re.search(r'<figure[^>]*><img[^>]*src="/media/images/', article.body)

    submit(newsroom)
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW

    review(desk, open_page)
    schedule(desk, open_page, article)
    publish_now(desk)
    article.refresh_from_db()
    assert article.is_live

    readers_find_it(open_page(), article)


def add_contributor(page: Page) -> None:
    page.goto("/admin/journal/contributor/add/")
    page.get_by_label("Name").press_sequentially("Aigerim Sadykova")
    # The slug is filled in from the name as it is typed.
    expect(page.get_by_label("Slug")).to_have_value("aigerim-sadykova")
    page.get_by_label("Position").fill("Central Asia correspondent")
    page.locator("#id_photo").set_input_files(png(width=600, height=600, name="aigerim.png"))
    page.get_by_role("button", name="Save and continue editing").first.click()
    saved(page, "was added successfully")
    expect(page.locator(".field-photo_preview img")).to_be_visible()


def write_article(page: Page) -> None:
    page.goto("/admin/journal/article/add/")
    page.get_by_label("Title:").press_sequentially(TITLE)
    expect(page.get_by_label("Slug")).to_have_value("astana-talks-open-a-new-c5-plus-1-chapter")
    page.get_by_label("Standfirst").fill(STANDFIRST)

    body = page.locator(".prose-editor .ProseMirror[contenteditable]")
    body.click()
    page.keyboard.type("The C5+1 ministerial meeting in Astana ended with a joint statement.")
    page.keyboard.press("Enter")
    # A subheading from the block type menu.
    page.locator(".prose-menubar__dropdown .prose-menubar__selected").click()
    page.locator(".prose-menubar__picker button[data-name=heading2]").click()
    page.keyboard.type("What was agreed")
    page.keyboard.press("Enter")
    # A link: type the words, select them, and give them an address.
    page.keyboard.type("Read the full text")
    for _ in range(len("full text")):
        page.keyboard.press("Shift+ArrowLeft")
    page.locator(".prose-menubar button[data-name=link]").click()
    dialog = page.locator("dialog.prose-editor-dialog[open]")
    dialog.get_by_label("URL").fill(LINK)
    dialog.get_by_role("button", name="Update").or_(
        dialog.get_by_role("button", name="Insert")
    ).click()
    expect(body.locator(f'a[href="{LINK}"]')).to_have_text("full text")
    # Back in the text (the dialog had the focus), after the link.
    body.press("ArrowRight")
    page.keyboard.type(" on the ministry's site.")
    page.keyboard.press("Enter")
    insert_figure(page)

    # Tags: a country and a summit through the autocomplete...
    autocomplete(page, "id_countries", "Kazakh", "Kazakhstan")
    autocomplete(page, "id_summits", "Astana", "C5+1 ministerial meeting in Astana")
    # ...and the framework from the suggestions made from the text.
    suggestions = page.locator(".tag-suggestions")
    suggestions.get_by_role("button", name="Suggest from text").click()
    expect(suggestions.get_by_role("status")).to_have_text(
        "Suggestions updated from the text in the form."
    )
    suggestions.get_by_role("button", name="Add C5+1", exact=True).click()
    expect(page.locator("#id_frameworks option:checked")).to_have_text(["C5+1"])
    expect(page.locator(".field-frameworks .select2-selection__choice")).to_contain_text("C5+1")

    autocomplete(page, "id_bylines-0-contributor", "Aigerim", "Aigerim Sadykova")
    page.get_by_role("button", name="Save and continue editing").first.click()
    saved(page, "was added successfully")


def insert_figure(page: Page) -> None:
    """An image from the library, uploaded through the picker the editor's dialog opens."""
    page.locator(".prose-menubar button[data-name=figure]").click()
    dialog = page.locator("dialog.prose-editor-dialog[open]")
    with page.expect_popup() as opened:
        dialog.get_by_role("button", name="Browse...").click()
    picker = opened.value
    picker.get_by_label("Image:", exact=True).set_input_files(png(name="astana.png"))
    picker.get_by_label("Image description").fill("Ministers around a round table in Astana")
    picker.get_by_label("Caption:").fill("The ministerial meeting in Astana.")
    with picker.expect_event("close"):
        # Uploading hands the new image straight to the editor and closes the picker.
        picker.get_by_role("button", name="Upload and use").click()
    expect(dialog.get_by_label("Image URL")).to_have_value(re.compile(r"^/media/images/"))
    expect(dialog.get_by_label("Alternative Text")).to_have_value(
        "Ministers around a round table in Astana"
    )
    dialog.get_by_role("button", name="Insert").click()
    figure = page.locator(".prose-editor .ProseMirror[contenteditable] figure")
    expect(figure.locator("img")).to_have_attribute(
        "alt", "Ministers around a round table in Astana"
    )
    expect(figure.locator("figcaption")).to_have_text("The ministerial meeting in Astana.")


def steps(page: Page):
    """The workflow buttons under the article form (not the date widget's shortcuts)."""
    return page.locator('.workflow button[name="workflow_step"]')


def submit(page: Page) -> None:
    """The writer's one button: the edits are saved and the piece goes to the editors."""
    expect(steps(page)).to_have_text(["Submit for review"])
    page.get_by_role("button", name="Submit for review").click()
    saved(page, "was submitted for review")
    expect(page.locator(".field-status .readonly")).to_have_text("In review")
    # Submitted, the piece is the editors' now: the writer reads it, without buttons.
    expect(page.locator(".workflow")).to_have_count(0)


def review(page: Page, open_page) -> None:
    """The editor finds the piece in the review queue, previews it and shares a preview."""
    page.goto("/admin/")
    queue = page.locator(
        ".newsroom-dashboard .module", has=page.get_by_role("heading", name="Review queue")
    )
    queue.get_by_role("link", name=TITLE).click()
    expect(page.locator(".field-status .readonly")).to_have_text("In review")
    expect(steps(page)).to_have_text(["Publish now", "Schedule", "Send back to draft", "Archive"])

    page.get_by_role("link", name="Preview", exact=True).click()
    expect(page.locator(".preview-banner")).to_contain_text(
        "In review: readers cannot see this article."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".body h2")).to_have_text("What was agreed")
    expect(page.locator(f'.body a[href="{LINK}"]')).to_have_text("full text")
    image_loaded(page, ".body figure img")
    page.go_back()

    page.get_by_role("link", name="Share a preview link").click()
    page.get_by_role("button", name="Make a preview link").click()
    saved(page, "Preview link made")
    link = page.get_by_label("Preview link").input_value()

    outsider = open_page()
    outsider.goto(link)
    expect(outsider.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(outsider.locator(".preview-banner")).to_contain_text("This preview link works until")
    image_loaded(outsider, ".body figure img")
    page.locator(".breadcrumbs").get_by_role("link", name=TITLE).click()


def schedule(page: Page, open_page, article: Article) -> None:
    """Scheduled for tomorrow at nine: nowhere on the site yet."""
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    publish_time = page.get_by_role("group", name="Publish time")
    publish_time.get_by_label("Date:").fill(tomorrow.strftime("%d/%m/%Y"))
    publish_time.get_by_label("Time:").fill("09:00:00")
    page.get_by_role("button", name="Schedule", exact=True).click()
    saved(page, "is scheduled to go live on")
    article.refresh_from_db()
    assert article.is_scheduled
    expect(page.locator(".workflow-state")).to_contain_text("Scheduled: goes live on")

    page.goto("/admin/journal/article/")
    row = page.locator("#result_list tr", has_text=TITLE)
    expect(row).to_contain_text("Scheduled for")

    reader = open_page()
    reader.goto("/")
    expect(reader.get_by_role("link", name=TITLE)).to_have_count(0)
    assert reader.goto(article.get_absolute_url()).status == 404
    assert not open_page.problems(reader, page_status=404)
    row.get_by_role("link", name=TITLE).click()


def publish_now(page: Page) -> None:
    """The scheduled piece goes out at once; the editor could also reschedule or unpublish it."""
    expect(steps(page)).to_have_text(["Publish now", "Reschedule", "Unpublish", "Archive"])
    page.get_by_role("button", name="Publish now").click()
    saved(page, "was published")
    expect(steps(page)).to_have_text(["Unpublish", "Archive"])


def readers_find_it(page: Page, article: Article) -> None:
    for address in ("/en/", "/en/countries/kazakhstan/", "/en/frameworks/c5-plus-1/"):
        page.goto(address)
        expect(page.get_by_role("link", name=TITLE).first).to_be_visible()
    page.get_by_role("link", name=TITLE).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".bylines")).to_contain_text("Aigerim Sadykova")
    image_loaded(page, ".body figure img")

    feed = page.request.get("/en/feeds/rss/")
    assert feed.ok
    assert f"<title>{TITLE}</title>" in feed.text()
    assert article.get_absolute_url() in feed.text()


def image_loaded(page: Page, selector: str) -> None:
    """The image is shown, and its file arrived and decoded (waiting while it loads)."""
    image = page.locator(selector)
    expect(image).to_be_visible()
    image.scroll_into_view_if_needed()
    loaded = image.evaluate(
        """img => img.complete ? img.naturalWidth > 0 : new Promise((resolve) => {
          img.addEventListener("load", () => resolve(img.naturalWidth > 0));
          img.addEventListener("error", () => resolve(false));
        })"""
    )
    assert loaded, f"{selector} did not load"
