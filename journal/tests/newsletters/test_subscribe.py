"""Subscribing: the form, the confirmation e-mail and link, and what the form never tells."""

import datetime
import re

import pytest
from django.core import signing
from django.urls import reverse

from journal import content_generation
from journal.models import OutgoingEmail, Subscriber
from journal.services.newsletters import (
    PER_ADDRESS,
    PER_CLIENT,
    confirmation_token,
    link_token,
)
from journal.tests.factories import SubscriberFactory
from journal.tests.newsletters.conftest import links

pytestmark = pytest.mark.django_db

CHECKED = re.compile(r'<input type="checkbox" name="(\w+)" value="([-\w]+)"[^>]* checked>')


def test_a_reader_subscribes_confirms_by_the_emailed_link_and_is_subscribed(
    client, subscribe, mail_server, world
):
    page = client.get("/en/newsletter/")
    assert page.status_code == 200
    assert "Follow the journal by e-mail" in page.text
    assert 'name="csrfmiddlewaretoken"' in page.text

    response = subscribe("Reader@Example.org", countries=[world.kz], frameworks=[world.c5])

    assert response.status_code == 200
    assert "Check your inbox" in response.text
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "reader@example.org"
    assert subscriber.language == "en"
    assert subscriber.frequency == "weekly"
    assert not subscriber.is_confirmed
    [received] = mail_server.messages
    assert received.recipients == ["reader@example.org"]
    assert received.subject == "[Diplomacy Journal] Confirm your subscription"
    assert "Follows: Kazakhstan, C5+1" in received.text
    assert "it works for 3 days" in received.text
    confirm = links(received.text)["confirm"]
    assert confirm in received.html
    # Delivered, the link is kept nowhere but in the reader's mailbox.
    assert OutgoingEmail.objects.get().body == ""

    ask = client.get(confirm)
    assert ask.status_code == 200
    assert "Confirm and subscribe" in ask.text
    # Opening the link (as mail scanners do) confirms nothing: the button does.
    subscriber.refresh_from_db()
    assert not subscriber.is_confirmed

    done = client.post(confirm)
    assert done.status_code == 200
    assert "You are subscribed" in done.text
    subscriber.refresh_from_db()
    assert subscriber.is_confirmed
    assert subscriber.sent_up_to == subscriber.confirmed_at
    assert list(subscriber.countries.all()) == [world.kz]
    assert list(subscriber.frameworks.all()) == [world.c5]
    assert f"/en/newsletter/preferences/{link_token(subscriber)}/" in done.text

    again = client.post(confirm)
    assert "You are already subscribed" in again.text


def test_the_page_language_is_the_digest_language(client, subscribe, mail_server, world):
    subscribe("ko@example.org", language="ko", everything=True)
    assert Subscriber.objects.get().language == "ko"
    assert links(mail_server.messages[0].text)["confirm"].startswith("/ko/newsletter/confirm/")


def test_the_form_needs_an_address_and_something_to_follow(client, subscribe, mail_server, world):
    nothing = subscribe("reader@example.org")
    assert nothing.status_code == 200
    assert "Choose the whole journal, or at least one country or framework." in nothing.text
    wrong = subscribe("not an address", everything=True)
    assert "Enter a valid email address." in wrong.text
    unknown = client.post(
        "/en/newsletter/",
        {"email": "reader@example.org", "countries": ["atlantis"], "frequency": "hourly"},
    )
    assert unknown.status_code == 200
    assert "Select a valid choice." in unknown.text
    assert not Subscriber.objects.exists()
    assert not mail_server.messages


def test_follow_links_on_country_and_framework_pages_tick_them_in_advance(client, world):
    country = client.get(world.kz.get_absolute_url())
    assert 'href="/en/newsletter/?country=kazakhstan"' in country.text
    assert "Follow Kazakhstan by e-mail" in country.text
    framework = client.get(world.c5.get_absolute_url())
    assert f'href="/en/newsletter/?framework={world.c5.slug}"' in framework.text
    assert "Follow C5+1 by e-mail" in framework.text
    assert 'href="/en/newsletter/"' in client.get("/en/").text  # the footer

    def ticked(page):
        return sorted(CHECKED.findall(page.text))

    page = client.get(f"/en/newsletter/?country=kazakhstan&framework={world.c5.slug}")
    assert ticked(page) == [("countries", "kazakhstan"), ("frameworks", world.c5.slug)]
    # A slug that is not one ticks nothing, and is no error.
    odd = client.get("/en/newsletter/?country=atlantis")
    assert odd.status_code == 200
    assert ticked(odd) == []


def test_the_answer_is_the_same_for_a_new_and_a_known_address(
    client, subscribe, subscribed, mail_server, world
):
    known = subscribed("known@example.org", countries=[world.kz])
    mail_server.messages.clear()

    for_known = subscribe("known@example.org", everything=True, frequency="daily")
    for_new = subscribe("new@example.org", everything=True, frequency="daily")

    assert for_known.status_code == for_new.status_code == 200
    assert for_known.text.replace("known@", "X@") == for_new.text.replace("new@", "X@")
    assert sorted(for_known.headers) == sorted(for_new.headers)
    # The known reader's choices stand; they are sent a way to change them.
    known.refresh_from_db()
    assert not known.everything and known.frequency == "weekly"
    [manage] = mail_server.to("known@example.org")
    assert manage.subject == "[Diplomacy Journal] Your newsletter subscription"
    assert set(links(manage.text)) == {"preferences", "unsubscribe"}
    [confirmation] = mail_server.to("new@example.org")
    assert set(links(confirmation.text)) == {"confirm"}


def test_an_expired_confirmation_link_is_refused_and_says_so(
    client, subscribe, mail_server, world, travel
):
    subscribe("late@example.org", everything=True)
    confirm = links(mail_server.messages[0].text)["confirm"]
    travel(datetime.timedelta(days=3, minutes=1))

    response = client.post(confirm)

    assert response.status_code == 410
    assert "This link no longer works" in response.text
    assert "Confirmation links work for 3 days" in response.text
    assert not Subscriber.objects.get().is_confirmed


def test_a_tampered_link_is_refused_and_says_so(client, world):
    subscriber = SubscriberFactory(confirmed_at=None, sent_up_to=None, everything=True)
    token = confirmation_token(subscriber)
    value, stamp, signature = token.split(":")
    forged = [
        f"{value}x:{stamp}:{signature}",
        f"{value}:{stamp}:{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}",
        token[:-5],
        signing.TimestampSigner(salt="another.purpose").sign(subscriber.token),
        link_token(subscriber),  # a genuine token, for another page
    ]
    for token in forged:
        for method in (client.get, client.post):
            response = method(reverse("journal:newsletter_confirm", kwargs={"token": token}))
            assert response.status_code == 404, token
            assert "This link is not valid" in response.text
            assert "copy the whole address" in response.text
    assert not Subscriber.objects.get().is_confirmed


def test_unconfirmed_requests_are_sent_nothing_and_purged_after_three_days(
    subscribe, mail_server, world, travel
):
    from django.core.management import call_command

    subscribe("unsure@example.org", everything=True)
    travel(datetime.timedelta(days=2))
    call_command("send_newsletters", verbosity=0)
    assert Subscriber.objects.exists()
    travel(datetime.timedelta(days=1, minutes=1))
    call_command("send_newsletters", verbosity=0)
    assert not Subscriber.objects.exists()
    assert len(mail_server.messages) == 1  # the confirmation only


def test_asking_again_before_confirming_takes_the_new_choices(subscribe, mail_server, world):
    subscribe("twice@example.org", countries=[world.kz])
    subscribe("twice@example.org", frameworks=[world.c5], frequency="daily")
    subscriber = Subscriber.objects.get()
    assert list(subscriber.frameworks.all()) == [world.c5]
    assert not subscriber.countries.exists()
    assert subscriber.frequency == "daily"
    assert len(mail_server.to("twice@example.org")) == 2


def test_the_form_is_throttled_per_address(client, subscribe, mail_server, world):
    limit, _window = PER_ADDRESS
    for _ in range(limit):
        assert subscribe("target@example.org", everything=True).status_code == 200

    refused = subscribe("Target@example.org ", everything=True)

    assert refused.status_code == 429
    assert "You have asked for several e-mails in a short time." in refused.text
    assert len(mail_server.messages) == limit
    # Another address from the same client still may.
    assert subscribe("other@example.org", everything=True).status_code == 200


def test_the_form_is_throttled_per_client_address(settings, subscribe, mail_server, world):
    limit, _window = PER_CLIENT
    for number in range(limit):
        response = subscribe(f"r{number}@example.org", everything=True, REMOTE_ADDR="198.51.100.7")
        assert response.status_code == 200
    refused = subscribe("one-more@example.org", everything=True, REMOTE_ADDR="198.51.100.7")
    assert refused.status_code == 429
    assert len(mail_server.messages) == limit
    # Behind a proxy, the client is the address it saw, as for logins.
    settings.TRUSTED_PROXY_COUNT = 1
    behind = subscribe(
        "another@example.org",
        everything=True,
        REMOTE_ADDR="198.51.100.7",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    assert behind.status_code == 200


def test_the_form_needs_its_csrf_token(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/en/newsletter/", {"email": "reader@example.org", "everything": "on", "frequency": "daily"}
    )
    assert response.status_code == 403
    assert not Subscriber.objects.exists()


def test_newsletter_pages_are_never_cached_for_others(client, subscribe, mail_server, world):
    first = client.get("/en/newsletter/")
    second = client.get("/en/newsletter/")
    for page in (first, second):
        assert "private" in page["Cache-Control"]
        assert "public" not in page["Cache-Control"]
        assert "csrftoken" in page.cookies
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    assert token.search(first.text).group(1) != token.search(second.text).group(1)

    subscribe("reader@example.org", everything=True)
    confirm = links(mail_server.messages[0].text)["confirm"]
    for response in (client.get(confirm), client.post(confirm)):
        assert "no-store" in response["Cache-Control"]
        assert response["X-Robots-Tag"] == "noindex"
        # Not "no-referrer": browsers would post its button with "Origin: null".
        assert response["Referrer-Policy"] == "same-origin"


def test_subscribing_leaves_the_cached_pages_alone(subscribe, subscribed, world):
    before = content_generation.current().id
    subscribed("reader@example.org", everything=True)
    assert content_generation.current().id == before
