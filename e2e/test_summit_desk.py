"""The summit desk records a meeting with its participants, and readers see it on the
framework's timeline."""

import datetime

from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import Page, expect

from summits.models import Summit

from .admin import autocomplete, saved

TITLE = "C5+1 leaders' summit in Tashkent"


def test_a_summit_with_participants_reaches_its_frameworks_timeline(
    reference_data, make_user, open_page
):
    # A meeting to come, whenever the test runs.
    day = timezone.localdate() + datetime.timedelta(days=100)
    slug = f"c5-plus-1-{day:%Y-%m-%d}-tashkent"
    desk = open_page(user=make_user("desk", "Summit desk"))
    desk.goto("/admin/summits/summit/add/")
    autocomplete(desk, "id_framework", "C5", "C5+1")
    # Title and city in each language; framework, date and English city make the slug.
    desk.get_by_label("Title [en]:").press_sequentially(TITLE)
    desk.get_by_label("Status:").select_option(label="Planned")
    desk.get_by_label("Level:").select_option(label="Heads of state")
    desk.get_by_label("Start date:").fill(f"{day:%d/%m/%Y}")
    desk.get_by_label("Title [ko]:").fill("C5+1 정상회의, 타슈켄트")
    desk.get_by_label("Title [ru]:").fill("Саммит С5+1 в Ташкенте")
    desk.get_by_label("City [en]:").fill("Tashkent")
    expect(desk.get_by_label("Slug:")).to_have_value(slug)
    desk.get_by_label("City [ko]:").fill("타슈켄트")
    desk.get_by_label("City [ru]:").fill("Ташкент")
    autocomplete(desk, "id_host_country", "Uzbek", "Uzbekistan")

    # Participants, through the inline's "Add another" rows.
    add_participant(desk, 0, "Kazakh", "Kazakhstan", "Kassym-Jomart Tokayev", "President")
    add_participant(desk, 1, "United St", "United States", "", "President")
    desk.get_by_role("button", name="Save and continue editing").first.click()
    # The host is missing from the participants: refused, with the rows kept.
    expect(desk.locator(".inline-group .errorlist")).to_contain_text(
        "The host country, Uzbekistan, must be among the participants."
    )
    expect(desk.locator("#id_participations-1-country option:checked")).to_have_text(
        "United States"
    )
    add_participant(desk, 2, "Uzbek", "Uzbekistan", "Shavkat Mirziyoyev", "President")
    desk.get_by_role("button", name="Save and continue editing").first.click()
    saved(desk, "was added successfully")

    summit = Summit.objects.get(slug=slug)
    assert [p.country.name for p in summit.participations.order_by("order")] == [
        "Kazakhstan",
        "United States",
        "Uzbekistan",
    ]

    reader = open_page()
    reader.goto("/en/frameworks/c5-plus-1/")
    entry = reader.locator(".timeline-item", has_text=TITLE)
    expect(entry).to_have_class("timeline-item is-upcoming")
    expect(entry).to_contain_text(f"{date_format(day, 'DATE_FORMAT')} · Tashkent, Uzbekistan")
    entry.get_by_role("link", name=TITLE).click()
    expect(reader.get_by_role("heading", level=1)).to_have_text(TITLE)
    participants = reader.locator("section", has=reader.get_by_role("heading", name="Participants"))
    expect(participants.get_by_role("listitem")).to_have_text(
        [
            "Kazakhstan: Kassym-Jomart Tokayev, President",
            "United States",
            "Uzbekistan: Shavkat Mirziyoyev, President",
        ]
    )

    # The Korean reader meets the meeting by its Korean title and city.
    reader.goto("/ko/frameworks/c5-plus-1/")
    korean = reader.locator(".timeline-item", has_text="C5+1 정상회의, 타슈켄트")
    expect(korean).to_contain_text("타슈켄트, 우즈베키스탄")


def add_participant(page: Page, row: int, search: str, country: str, name: str, title: str):
    page.get_by_role("button", name="Add another Participant").click()
    page.locator(f"#id_participations-{row}-order").fill(str(row))
    autocomplete(page, f"id_participations-{row}-country", search, country)
    page.locator(f"#id_participations-{row}-representative_name").fill(name)
    page.locator(f"#id_participations-{row}-representative_title").fill(title)
