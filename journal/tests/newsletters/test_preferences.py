"""A subscriber's preferences and unsubscribing, through the signed links in their e-mails."""

import re

import pytest
from django.test import Client

from journal.models import OutgoingEmail, Subscriber
from journal.services.newsletters import link_token
from journal.tests.factories import SubscriberFactory
from journal.tests.newsletters.conftest import links

pytestmark = pytest.mark.django_db

CHECKED = re.compile(
    r'<input type="(?:checkbox|radio)" name="(\w+)" value="([-\w]+)"[^>]* checked>'
)


def preferences(subscriber) -> str:
    return f"/{subscriber.language}/newsletter/preferences/{link_token(subscriber)}/"


def unsubscribe(subscriber) -> str:
    return f"/{subscriber.language}/newsletter/unsubscribe/{link_token(subscriber)}/"


def test_a_subscriber_changes_what_they_follow_from_the_link_in_an_email(
    client, subscribe, subscribed, mail_server, world
):
    subscriber = subscribed("reader@example.org", countries=[world.kz])
    # Asking again sends the link to the preferences (as every digest carries).
    subscribe("reader@example.org", everything=True)
    page_path = links(mail_server.messages[-1].text)["preferences"]

    page = client.get(page_path)

    assert page.status_code == 200
    assert "reader@example.org" in page.text
    assert sorted(CHECKED.findall(page.text)) == [
        ("countries", "kazakhstan"),
        ("frequency", "weekly"),
    ]
    assert 'value="en" selected' in page.text

    saved = client.post(
        page_path,
        {"frameworks": [world.c5.slug, world.japan.slug], "frequency": "daily", "language": "ru"},
    )

    assert saved.status_code == 200
    assert "Your choices are saved." in saved.text
    subscriber.refresh_from_db()
    assert subscriber.frequency == "daily"
    assert subscriber.language == "ru"
    assert not subscriber.countries.exists()
    assert set(subscriber.frameworks.all()) == {world.c5, world.japan}
    assert subscriber.is_confirmed

    everything = client.post(
        page_path, {"everything": "on", "frequency": "weekly", "language": "ko"}
    )
    assert everything.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.everything and not subscriber.frameworks.exists()


def test_preferences_must_follow_something_and_change_nothing_otherwise(client, world):
    subscriber = SubscriberFactory(countries=[world.kz])
    response = client.post(preferences(subscriber), {"frequency": "weekly", "language": "en"})
    assert response.status_code == 200
    assert "Choose the whole journal, or at least one country or framework." in response.text
    subscriber.refresh_from_db()
    assert list(subscriber.countries.all()) == [world.kz]
    assert subscriber.frequency == "daily"


def test_the_preferences_form_needs_its_csrf_token(world):
    subscriber = SubscriberFactory(countries=[world.kz])
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(
        preferences(subscriber), {"everything": "on", "frequency": "weekly", "language": "en"}
    )
    assert response.status_code == 403
    subscriber.refresh_from_db()
    assert not subscriber.everything


def test_a_tampered_or_spent_preferences_link_says_so(client, world):
    subscriber = SubscriberFactory(countries=[world.kz])
    path = preferences(subscriber)
    tampered = path.replace(link_token(subscriber), link_token(subscriber)[:-3] + "abc")
    response = client.get(tampered)
    assert response.status_code == 404
    assert "This link is not valid" in response.text
    assert response["X-Robots-Tag"] == "noindex"

    subscriber.delete()
    gone = client.get(path)
    assert gone.status_code == 410
    assert "This link no longer works" in gone.text


def test_unsubscribing_asks_first_then_deletes_everything_kept(
    client, subscribed, mail_server, world
):
    subscriber = subscribed("leaving@example.org", countries=[world.kz])
    assert OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.NEWSLETTER).exists()
    path = unsubscribe(subscriber)

    ask = client.get(path)
    assert ask.status_code == 200
    assert "Unsubscribe?" in ask.text
    assert "leaving@example.org" in ask.text
    assert "no-store" in ask["Cache-Control"]
    assert Subscriber.objects.filter(pk=subscriber.pk).exists()

    # The preferences page's button posts here; no CSRF token is needed.
    assert f'action="{path}"' in client.get(preferences(subscriber)).text
    done = Client(enforce_csrf_checks=True).post(path)

    assert done.status_code == 200
    assert "You are unsubscribed" in done.text
    assert not Subscriber.objects.filter(email="leaving@example.org").exists()
    # The e-mails to the address went too: nothing is kept of someone who left.
    assert not OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.NEWSLETTER).exists()

    again = client.get(path)
    assert again.status_code == 200
    assert "You are not subscribed" in again.text
    assert client.get(preferences(subscriber)).status_code == 410


def test_a_forged_unsubscribe_link_unsubscribes_nobody(world):
    subscriber = SubscriberFactory(countries=[world.kz])
    forged = unsubscribe(subscriber).replace(":", "x:", 1)
    response = Client().post(
        forged, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 404
    assert Subscriber.objects.filter(pk=subscriber.pk).exists()
