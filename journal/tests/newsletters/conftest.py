"""What the newsletter tests share: the site's address in links, and a reader's way through."""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from journal.models import Subscriber

SITE = "https://journal.example.org"
LINK = re.compile(r"https://journal\.example\.org(/\w\w/newsletter/(\w+)/[^\s\"<>]+/)")


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    settings.DEFAULT_FROM_EMAIL = "Diplomacy Journal <newsroom@journal.example.org>"
    settings.NEWSLETTER_UNSUBSCRIBE_EMAIL = "unsubscribe@journal.example.org"


def links(text: str) -> dict[str, str]:
    """The site's newsletter links in an e-mail, by kind: {"confirm": "/en/newsletter/…/"}."""
    return {kind: path for path, kind in LINK.findall(text)}


def path_of(url: str) -> str:
    return urlsplit(url).path


@pytest.fixture
def subscribe(client, commit):
    """Fill in and send the subscribe form, as a reader on `language`'s page would."""

    def send(email, *, language="en", countries=(), frameworks=(), everything=False, **extra):
        data = {"email": email, "frequency": extra.pop("frequency", "weekly")}
        if everything:
            data["everything"] = "on"
        data["countries"] = [c.slug for c in countries]
        data["frameworks"] = [f.slug for f in frameworks]
        with commit():
            return client.post(f"/{language}/newsletter/", data, **extra)

    return send


@pytest.fixture
def subscribed(subscribe, client, mail_server):
    """A reader who subscribed and followed the confirmation link: their Subscriber."""

    def make(email, **choices):
        subscribe(email, **choices)
        confirm = links(mail_server.to(email)[-1].text)["confirm"]
        client.post(confirm)
        return Subscriber.objects.get(email=email)

    return make


def newsletter_url(language="en") -> str:
    from django.utils import translation

    with translation.override(language):
        return reverse("journal:newsletter")
