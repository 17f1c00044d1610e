"""The newsletter's pages and e-mails as HTML: valid, one h1, no skipped heading level."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from journal.services.newsletters import confirmation_token, link_token
from journal.tests.factories import PublishedArticleFactory, SubscriberFactory
from journal.tests.newsletters.test_digests import send_newsletters
from journal.tests.project.test_html import heading_problems, run_vnu, vnu  # noqa: F401

pytestmark = pytest.mark.django_db

MAIL_LAYOUT = re.compile(
    r"The “(width|cellpadding|cellspacing|border|align)” attribute on the “(table|td)” element "
    r"is obsolete\. Use CSS instead\."
)


@pytest.fixture
def pages(client, world, subscribe, mail_server):
    """Every state of every newsletter page, in each language, and the e-mails: name → HTML."""
    found = {}
    for language in ("en", "ko", "ru"):
        with translation.override(language):
            reader = SubscriberFactory(countries=[world.kz], frameworks=[world.c5])
            pending = SubscriberFactory(everything=True, confirmed_at=None, sent_up_to=None)

            def url(name, token):
                return reverse(f"journal:{name}", kwargs={"token": token})

            found.update(
                {
                    f"form-{language}": client.get(
                        reverse("journal:newsletter") + "?country=kazakhstan"
                    ),
                    f"form-errors-{language}": client.post(
                        reverse("journal:newsletter"), {"email": "x", "countries": ["atlantis"]}
                    ),
                    f"sent-{language}": subscribe(
                        f"new-{language}@example.org", language=language, everything=True
                    ),
                    f"confirm-{language}": client.get(
                        url("newsletter_confirm", confirmation_token(pending))
                    ),
                    f"confirmed-{language}": client.post(
                        url("newsletter_confirm", confirmation_token(pending))
                    ),
                    f"preferences-{language}": client.get(
                        url("newsletter_preferences", link_token(reader))
                    ),
                    f"preferences-saved-{language}": client.post(
                        url("newsletter_preferences", link_token(reader)),
                        {"everything": "on", "frequency": "daily", "language": language},
                    ),
                    f"unsubscribe-{language}": client.get(
                        url("newsletter_unsubscribe", link_token(reader))
                    ),
                    f"unsubscribed-{language}": client.post(
                        url("newsletter_unsubscribe", link_token(reader))
                    ),
                    f"not-subscribed-{language}": client.get(
                        url("newsletter_unsubscribe", link_token(reader))
                    ),
                    f"invalid-link-{language}": client.get(
                        url("newsletter_preferences", "forged:link")
                    ),
                    f"expired-link-{language}": client.get(
                        url("newsletter_preferences", link_token(reader))
                    ),
                }
            )
    html = {name: response.content.decode() for name, response in found.items()}
    # The e-mails: confirmation, preferences link, and a digest in each language.
    for language in ("en", "ko", "ru"):
        SubscriberFactory(
            email=f"digest-{language}@example.org", language=language, everything=True
        )
    PublishedArticleFactory(
        title="Ministers meet",
        publish_at=timezone.now() - datetime.timedelta(hours=2),
        countries=[world.kz],
    )
    send_newsletters()
    for number, received in enumerate(mail_server.messages):
        html[f"email-{number}-{received.subject[:20]}"] = received.html
    return html


def test_newsletter_pages_have_one_h1_and_no_skipped_level(pages):
    problems = {
        name: found
        for name, found in ((name, heading_problems(page)) for name, page in pages.items())
        if found and not name.startswith("email-")
    }
    assert not problems, problems


def mail_layout(message: dict) -> bool:
    """A table attribute e-mails keep on purpose: Outlook lays tables out by them, not by CSS."""
    return "/email-" in message.get("url", "") and bool(MAIL_LAYOUT.fullmatch(message["message"]))


@pytest.mark.external
def test_newsletter_pages_and_emails_are_valid_html(vnu, pages, tmp_path):  # noqa: F811
    files = []
    for name, page in pages.items():
        path = tmp_path / f"{name}.html"
        path.write_text(page)
        files.append(path)
    errors = [
        m
        for m in run_vnu(vnu, files)
        if m["type"] in ("error", "non-document-error") and not mail_layout(m)
    ]
    assert not errors, "\n".join(
        f"{m.get('url', '').rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in errors
    )
