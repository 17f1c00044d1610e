"""A new editor's first forms: times written one way in the journal's zone, named once;
slugs as the record writes them, following the headline until publication; a body
editor with room to write, growing with the text."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from journal.models import Article
from journal.tests.factories import PublishedArticleFactory
from summits.slugs import slugify

from .admin import autocomplete, saved

# Texts the browser must spell as the server does (summits/slugs.py is the rule).
TEXTS = [
    "C5+1 ministers meet",
    "Ｃ５＋１ leaders’ summit, Washington, D.C.",
    "Xi'an and Kazakhstan's president",
    "EU–Central Asia: a new chapter",
    "Côte d’Ivoire, Straße, Oʻzbekiston, Almatı",
    "Саммит С5+1 в Ташкенте — Қазақстан",
    "C5+1 정상회의, 타슈켄트 김대식",
    "  --Leading and trailing__ !!! ",
]


def test_times_are_written_one_way_and_the_zone_named_once(reference_data, make_user, open_page):
    PublishedArticleFactory(
        title="Ministers meet",
        publish_at=timezone.make_aware(datetime.datetime(2025, 12, 6, 19, 3)),
    )
    # An editor travelling: the browser's clock is five hours behind the journal's.
    desk = open_page(user=make_user("desk", "Summit desk"), timezone_id="Europe/London")

    desk.goto("/admin/summits/summit/add/")
    header = desk.locator("#header .desk-time-zone")
    expect(header).to_contain_text("Times are Asia/Almaty time (UTC+0500).")
    expect(header).to_contain_text("Your computer is set to another time zone")
    # Not a warning under each input, and none about times under a date.
    expect(desk.locator(".timezonewarning")).to_have_count(0)
    expect(desk.get_by_text("Enter times in")).to_have_count(0)

    # The calendar writes the date as the lists show it, on the journal's day.
    shortcuts = desk.locator("#id_start_date + .datetimeshortcuts")
    shortcuts.get_by_role("button", name=re.compile("^Today")).click()
    expect(desk.get_by_label("Start date:")).to_have_value(f"{timezone.localdate():%Y-%m-%d}")
    expect(desk.get_by_label("Start date:")).not_to_have_attribute(
        "aria-describedby", re.compile("timezone")
    )

    editor = open_page(user=make_user("editor", "Editors"), timezone_id="Europe/London")
    editor.goto("/admin/journal/article/")
    row = editor.locator("#result_list tr", has_text="Ministers meet")
    expect(row.locator(".field-publish_at")).to_have_text("2025-12-06 19:03")


def test_the_browser_spells_slugs_as_the_server_does(make_user, open_page):
    desk = open_page(user=make_user("editor", "Editors"))
    desk.goto("/admin/journal/article/add/")

    spelled = desk.evaluate(
        """texts => texts.map(text => [
            window.journalSlugs.slugify(text),
            window.journalSlugs.slugify(text, {allowUnicode: true}),
        ])""",
        TEXTS,
    )

    assert spelled == [[slugify(text), slugify(text, allow_unicode=True)] for text in TEXTS]


def test_an_articles_slug_follows_its_headline_until_it_is_published(make_user, open_page):
    desk = open_page(user=make_user("editor", "Editors"))
    desk.goto("/admin/journal/article/add/")
    headline, slug = desk.get_by_label("Title:"), desk.get_by_label("Slug:")

    headline.press_sequentially("C5+1 ministers meet")
    expect(slug).to_have_value("c5-plus-1-ministers-meet")
    desk.get_by_role("textbox", name="Body:").click()
    desk.keyboard.type("The ministers met in Astana.")
    desk.get_by_role("button", name="Save and continue editing").first.click()
    saved(desk, "was added successfully")

    # A draft: a rewritten headline takes the slug with it.
    headline.fill("C5+1 ministers meet in Astana")
    expect(slug).to_have_value("c5-plus-1-ministers-meet-in-astana")
    desk.get_by_role("button", name="Save and continue editing").first.click()
    saved(desk, "was changed successfully")
    article = Article.objects.get()
    assert article.slug == "c5-plus-1-ministers-meet-in-astana"

    # A slug typed by hand stays, whatever the headline becomes.
    slug.fill("astana-ministers")
    headline.fill("Ministers agree in Astana")
    expect(slug).to_have_value("astana-ministers")

    # Once published, the address stays put.
    Article.objects.filter(pk=article.pk).update(
        status=Article.Status.PUBLISHED, publish_at=timezone.now()
    )
    desk.reload()
    headline.fill("Ministers agree on minerals")
    expect(slug).to_have_value("c5-plus-1-ministers-meet-in-astana")


def test_a_new_summits_slug_fills_in_from_framework_date_and_city(
    reference_data, make_user, open_page
):
    desk = open_page(user=make_user("desk", "Summit desk"))
    desk.goto("/admin/summits/summit/add/")
    slug = desk.get_by_label("Slug:")
    expect(slug).to_have_value("")

    # A Korean title first, as the form asks for it first: the slug does not depend on it.
    desk.get_by_label("Title [ko]:").fill("C5+1 정상회의, 타슈켄트")
    autocomplete(desk, "id_framework", "C5", "C5+1")
    expect(slug).to_have_value("c5-plus-1-virtual")
    desk.get_by_label("Start date:").press_sequentially("2026-12-20")
    desk.get_by_label("City [en]:").press_sequentially("Tashkent")
    expect(slug).to_have_value("c5-plus-1-2026-12-20-tashkent")

    # Prepopulated slugs elsewhere take the same rule: a contributor's.
    editor = open_page(user=make_user("editor", "Editors"))
    editor.goto("/admin/journal/contributor/add/")
    editor.get_by_label("Name").press_sequentially("Aigerim O'Neill-Sadykova")
    expect(editor.get_by_label("Slug")).to_have_value("aigerim-o-neill-sadykova")


def test_the_body_editor_has_room_to_write_and_grows(make_user, open_page):
    desk = open_page(user=make_user("writer", "Writers"))
    desk.goto("/admin/journal/article/add/")
    body = desk.get_by_role("textbox", name="Body:")

    empty = body.bounding_box()["height"]
    assert empty >= 300, f"the empty editor is {empty}px high"

    body.click()
    for number in range(30):
        desk.keyboard.type(f"Paragraph {number} of what the ministers agreed in Astana.")
        desk.keyboard.press("Enter")
    grown = body.bounding_box()["height"]
    assert grown > empty + 200, f"{empty}px before, {grown}px after thirty paragraphs"
    assert re.search(r"Paragraph 29", body.inner_text())
