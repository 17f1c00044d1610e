"""A reader follows Kazakhstan by e-mail: the form, the confirmation link from a real mail
server, a digest with its one-click unsubscribe (RFC 8058), and the way out a mail program takes.

The site's public address is https (DJANGO_SITE_URL), as e-mails must name it;
the live server stands in for it, so the test opens each e-mailed link's path there.
"""

import datetime
import io
import re
import time
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from journal.models import Subscriber
from journal.tests.conftest import MailServer, Received, running_mail_server
from journal.tests.factories import PublishedArticleFactory
from summits.models import Country

from .browser import axe_violations, tab_to

SITE = "https://journal.example.org"
READER = "aigerim@example.org"
DAY = datetime.timedelta(days=1)


@pytest.fixture
def inbox(settings):
    """A real SMTP server (aiosmtpd) on a free local port, as journal/tests' `mail_server`.

    The settings are the process's: the live server's threads send to it too.
    """
    with running_mail_server(settings) as server:
        yield server


def test_a_reader_follows_kazakhstan_by_e_mail_and_leaves_in_one_click(
    reference_data, inbox, live_server, open_page, travel, settings
):
    settings.SITE_URL = SITE
    kazakhstan = Country.objects.get(slug="kazakhstan")
    PublishedArticleFactory(title="Published before the reader came", countries=[kazakhstan])
    page = open_page()

    # From the country's page to the form, Kazakhstan ticked in advance.
    page.goto(kazakhstan.get_absolute_url())
    page.get_by_role("link", name="Follow Kazakhstan by e-mail").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Follow the journal by e-mail")
    expect(page.get_by_role("checkbox", name="Kazakhstan", exact=True)).to_be_checked()
    assert_accessible(page, open_page)
    page.get_by_label("Your e-mail address").click()
    page.keyboard.type(READER)
    page.get_by_role("radio", name="Daily").check()
    tab_to(page, lambda element: element["tag"] == "button" and element["text"] == "Subscribe")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")
    expect(page.get_by_text(READER)).to_be_visible()
    assert_accessible(page, open_page)

    # The confirmation link, from the e-mail, asks before it confirms.
    [confirmation] = wait_for_mail(inbox, READER, count=1)
    assert "Confirm your subscription" in confirmation.subject
    assert "Follows: Kazakhstan" in confirmation.text
    [confirm_url] = re.findall(r"^https://\S+/newsletter/confirm/\S+/$", confirmation.text, re.M)
    page.goto(on_live_server(confirm_url, live_server))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your subscription")
    assert not Subscriber.objects.get(email=READER).is_confirmed
    page.get_by_role("button", name="Confirm and subscribe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are subscribed")
    expect(page.locator(".facts")).to_contain_text("Kazakhstan")
    assert_accessible(page, open_page)
    subscriber = Subscriber.objects.get(email=READER)
    assert subscriber.is_confirmed
    assert subscriber.frequency == Subscriber.Frequency.DAILY

    # A day later the digest brings what was published since, tagged Kazakhstan.
    article = PublishedArticleFactory(
        title="Astana opens a new rail corridor to China",
        publish_at=timezone.now(),
        countries=[kazakhstan],
    )
    PublishedArticleFactory(
        title="Tashkent hosts the water ministers",
        publish_at=timezone.now(),
        countries=[Country.objects.get(slug="uzbekistan")],
    )
    travel(DAY)
    assert "Sent 1 digests (Kazakhstan: 1)" in send_newsletters()
    [_, digest] = wait_for_mail(inbox, READER, count=2)
    assert "your daily digest" in digest.subject
    assert article.title in digest.text
    assert "Tashkent" not in digest.text
    assert "Published before the reader came" not in digest.text
    unsubscribe_url, mailto = re.findall(r"<([^>]+)>", digest.message["List-Unsubscribe"])
    assert re.fullmatch(rf"{SITE}/en/newsletter/unsubscribe/\S+/", unsubscribe_url)
    assert mailto.startswith("mailto:")
    assert digest.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe_url in digest.text

    # Opened in a browser, the address asks first: a link checker unsubscribes nobody.
    page.goto(on_live_server(unsubscribe_url, live_server))
    expect(page.get_by_role("heading", level=1)).to_have_text("Unsubscribe?")
    expect(page.get_by_role("button", name="Unsubscribe")).to_be_visible()
    assert_accessible(page, open_page)
    assert Subscriber.objects.filter(email=READER).exists()

    # The mail program's button: one POST, no CSRF token, and the reader is gone.
    response = page.request.post(
        on_live_server(unsubscribe_url, live_server),
        data="List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.ok, response.status
    assert not Subscriber.objects.filter(email=READER).exists()
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are not subscribed")
    expect(page.get_by_role("link", name="Subscribe again")).to_be_visible()
    assert_accessible(page, open_page)

    # Nothing more is sent, whatever is published.
    PublishedArticleFactory(title="Kazakhstan after the reader left", countries=[kazakhstan])
    travel(DAY)
    assert "Sent 0 digests" in send_newsletters()
    assert len(inbox.to(READER)) == 2


def on_live_server(url: str, live_server) -> str:
    """An e-mailed link to the public site, as the live server serves it."""
    assert url.startswith(f"{SITE}/"), url
    return live_server.url + urlsplit(url).path


def send_newsletters() -> str:
    out = io.StringIO()
    call_command("send_newsletters", stdout=out, stderr=out)
    return out.getvalue()


def wait_for_mail(inbox: MailServer, address: str, *, count: int) -> list[Received]:
    """What `address` has received, once that is `count` messages (the server runs in a thread)."""
    deadline = time.monotonic() + 10
    while len(inbox.to(address)) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    received = inbox.to(address)
    assert len(received) == count, [message.subject for message in received]
    return received


def assert_accessible(page: Page, open_page) -> None:
    """No WCAG 2.2 A/AA violation axe finds, no console error and no CSP violation."""
    assert axe_violations(page) == []
    assert open_page.problems(page) == []
