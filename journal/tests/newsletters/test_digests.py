"""Digests: what goes in, when, once only, through a mail outage, with one-click unsubscribing."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from journal.models import Article, Subscriber
from journal.services.digests import STOP_AFTER_FAILURES
from journal.tests.conftest import free_port
from journal.tests.factories import ArticleFactory, PublishedArticleFactory, SubscriberFactory
from journal.tests.newsletters.conftest import links

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def send_newsletters() -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("send_newsletters", stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def titles(received) -> list[str]:
    """The article titles a digest lists, in order, from its plain text."""
    return re.findall(r"^(Piece [^\n\[]+?)(?: \[[^\]]+\])?$", received.text, re.MULTILINE)


def piece(title, *, hours_ago=3, **fields):
    return PublishedArticleFactory(
        title=f"Piece {title}",
        slug=f"piece-{title.lower().replace(' ', '-')}",
        publish_at=timezone.now() - datetime.timedelta(hours=hours_ago),
        **fields,
    )


def test_a_digest_brings_only_what_the_reader_follows_and_readers_may_see(
    mail_server, world, travel
):
    reader = SubscriberFactory(email="kz@example.org", countries=[world.kz])
    framework_reader = SubscriberFactory(email="c5@example.org", frameworks=[world.c5])
    everything = SubscriberFactory(email="all@example.org", everything=True)
    piece("Kazakh news", hours_ago=2, countries=[world.kz])
    piece("Uzbek news", hours_ago=3, countries=[world.uz])
    piece("Summit news", hours_ago=4, countries=[world.uz], frameworks=[world.c5])
    piece("Too old", hours_ago=30, countries=[world.kz])  # before the last digest
    ArticleFactory(title="Piece draft", countries=[world.kz])
    ArticleFactory(title="Piece in review", status=Article.Status.IN_REVIEW, countries=[world.kz])
    ArticleFactory(
        title="Piece archived",
        status=Article.Status.ARCHIVED,
        publish_at=timezone.now() - datetime.timedelta(hours=2),
        countries=[world.kz],
    )
    unpublished = piece("Taken down", countries=[world.kz])
    unpublished.status = Article.Status.DRAFT
    unpublished.save()

    output = send_newsletters()

    assert titles(mail_server.to("kz@example.org")[0]) == ["Piece Kazakh news"]
    assert titles(mail_server.to("c5@example.org")[0]) == ["Piece Summit news"]
    assert titles(mail_server.to("all@example.org")[0]) == [
        "Piece Kazakh news",
        "Piece Uzbek news",
        "Piece Summit news",
    ]
    assert "Sent 3 digests (C5+1: 1, Kazakhstan: 1, whole journal: 1)" in output
    for subscriber in (reader, framework_reader, everything):
        subscriber.refresh_from_db()
        assert subscriber.sent_up_to > timezone.now() - datetime.timedelta(minutes=10)


def test_a_scheduled_piece_waits_until_it_is_live_then_comes_once(mail_server, world, travel):
    SubscriberFactory(email="kz@example.org", countries=[world.kz])
    piece("Live now", countries=[world.kz])
    scheduled = ArticleFactory(
        title="Piece scheduled",
        status=Article.Status.PUBLISHED,
        publish_at=timezone.now() + datetime.timedelta(hours=6),
        countries=[world.kz],
    )

    send_newsletters()
    [first] = mail_server.to("kz@example.org")
    assert titles(first) == ["Piece Live now"]
    assert "scheduled" not in first.text.lower()

    # Not due again within the day, whatever was published meanwhile.
    travel(datetime.timedelta(hours=12))
    assert "Sent 0 digests" in send_newsletters()
    assert len(mail_server.messages) == 1

    travel(datetime.timedelta(hours=12))
    send_newsletters()
    [_, second] = mail_server.to("kz@example.org")
    assert titles(second) == ["Piece scheduled"]
    assert scheduled.get_absolute_url() in second.text

    # Nothing new: nothing sent, and never the same piece again.
    travel(DAY)
    output = send_newsletters()
    assert len(mail_server.messages) == 2
    assert "1 with nothing new" in output
    piece("Next day", hours_ago=0, countries=[world.kz])
    travel(DAY)
    send_newsletters()
    assert titles(mail_server.to("kz@example.org")[-1]) == ["Piece Next day"]


def test_weekly_readers_get_a_week_at_a_time(mail_server, world, travel):
    SubscriberFactory(
        email="weekly@example.org",
        frequency=Subscriber.Frequency.WEEKLY,
        everything=True,
        sent_up_to=timezone.now() - datetime.timedelta(hours=1),
    )
    piece("Monday", hours_ago=0, countries=[world.kz])
    travel(3 * DAY)
    send_newsletters()
    assert not mail_server.messages
    travel(4 * DAY)
    send_newsletters()
    [digest] = mail_server.messages
    assert titles(digest) == ["Piece Monday"]
    assert re.fullmatch(r"Diplomacy Journal: your weekly digest, .+ – .+", digest.subject)


def test_the_digest_is_in_the_readers_language_theirs_first(mail_server, world):
    SubscriberFactory(email="ko@example.org", language="ko", countries=[world.kz])
    original = piece("English original", hours_ago=5, countries=[world.kz])
    piece(
        "Korean translation",
        hours_ago=4,
        language="ko",
        translation_of=original,
        countries=[world.kz],
    )
    piece("Russian report", hours_ago=3, language="ru", countries=[world.kz])
    piece("Korean report", hours_ago=6, language="ko", countries=[world.kz])

    send_newsletters()

    [digest] = mail_server.messages
    # Korean pieces first (newest first), then the others; a piece and its
    # translation once, in Korean.
    assert titles(digest) == [
        "Piece Korean translation",
        "Piece Korean report",
        "Piece Russian report",
    ]
    assert "[Русский]" in digest.text
    assert 'lang="ru"' in digest.html
    assert '<html lang="ko">' in digest.html
    assert "https://journal.example.org/ko/articles/piece-russian-report/" in digest.text
    assert set(links(digest.text)) == {"preferences", "unsubscribe"}
    assert links(digest.text)["preferences"].startswith("/ko/newsletter/preferences/")


def test_a_digest_renders_for_mail_programs_and_tracks_nothing(mail_server, world):
    SubscriberFactory(email="kz@example.org", countries=[world.kz], frameworks=[world.c5])
    piece(
        "With standfirst",
        countries=[world.kz],
        standfirst="Ministers <met> & agreed.",
        authors=[world.aigerim],
    )

    send_newsletters()

    [digest] = mail_server.messages
    assert digest.subject.startswith("Diplomacy Journal: your daily digest, ")
    assert "You follow: Kazakhstan, C5+1" in digest.text
    assert "Ministers <met> & agreed." in digest.text
    assert "Aigerim Sadykova" in digest.text
    html = digest.html
    assert "Ministers &lt;met&gt; &amp; agreed." in html
    assert '<table role="presentation"' in html
    # Inline styles only, no outside image, style sheet or script: nothing to
    # load, so nothing that tells anyone the message was opened.
    assert "<img" not in html and "<link" not in html and "<script" not in html
    assert "<style" not in html
    assert all(
        url.startswith("https://journal.example.org/")
        for url in re.findall(r'href="([^"]+)"', html)
    )
    assert "utm_" not in html and "utm_" not in digest.text


def test_every_digest_carries_one_click_unsubscribe_headers(client, mail_server, world):
    subscriber = SubscriberFactory(email="kz@example.org", countries=[world.kz])
    piece("News", countries=[world.kz])
    send_newsletters()
    [digest] = mail_server.messages

    # As carried: plain URLs, not RFC 2047 words, which mail programs do not decode here.
    header = dict(digest.message.raw_items())["List-Unsubscribe"]
    assert "=?" not in header
    web, mailto = re.fullmatch(r"<([^>]+)>, <([^>]+)>", " ".join(header.split())).groups()
    assert web.startswith("https://journal.example.org/en/newsletter/unsubscribe/")
    assert web in digest.text
    assert mailto.startswith("mailto:unsubscribe@journal.example.org?subject=unsubscribe%20")
    assert digest.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "digest.journal.example.org" in digest.message["List-Id"]

    # What a mail program does when the reader presses its button (RFC 8058):
    # a POST with that body, no cookie, no CSRF token.
    from django.test import Client

    mail_program = Client(enforce_csrf_checks=True)
    path = web.removeprefix("https://journal.example.org")
    response = mail_program.post(
        path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert "You are unsubscribed" in response.text
    assert not Subscriber.objects.filter(pk=subscriber.pk).exists()
    # Again (mail programs retry): still fine.
    assert (
        mail_program.post(
            path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        ).status_code
        == 200
    )
    piece("Later", hours_ago=0, countries=[world.kz])
    send_newsletters()
    assert len(mail_server.messages) == 1


@pytest.fixture
def readers(world):
    """Six readers of Kazakhstan, with one new piece to send them."""
    piece("Outage", countries=[world.kz])
    return [
        SubscriberFactory(email=f"reader-{n}@example.org", countries=[world.kz]) for n in range(6)
    ]


def refuse_after(mail_server, accepted: int, answer: str) -> None:
    """The mail server takes `accepted` messages, then answers every other with `answer`."""
    accept = mail_server.handle_DATA

    async def handle_DATA(server, session, envelope):
        if len(mail_server.messages) >= accepted:
            return answer
        return await accept(server, session, envelope)

    mail_server.handle_DATA = handle_DATA


def take_everything(mail_server) -> None:
    del mail_server.handle_DATA


@pytest.mark.parametrize(
    "answer",
    [
        "451 4.3.0 Mail server busy, try again later",  # refuses, stays connected
        "421 4.3.2 Service shutting down",  # refuses and hangs up
    ],
)
def test_a_mail_outage_halfway_loses_and_repeats_nothing(mail_server, readers, answer):
    refuse_after(mail_server, 2, answer)

    output = send_newsletters()

    assert len(mail_server.messages) == 2
    assert f"{STOP_AFTER_FAILURES} failed" in output
    assert "the rest are sent by the next run" in output
    sent = {received.recipients[0] for received in mail_server.messages}
    for reader in readers:
        reader.refresh_from_db()
        # Marked sent only when the server took the message.
        assert (reader.sent_up_to > timezone.now() - datetime.timedelta(hours=1)) == (
            reader.email in sent
        )
        assert reader.claimed_until is None

    take_everything(mail_server)
    output = send_newsletters()

    assert "Sent 4 digests" in output
    recipients = [received.recipients[0] for received in mail_server.messages]
    assert sorted(recipients) == sorted(reader.email for reader in readers)
    assert all(titles(received) == ["Piece Outage"] for received in mail_server.messages)
    assert "Sent 0 digests" in send_newsletters()


@pytest.mark.parametrize(
    ("answer", "again"), [("550 5.1.1 No such user", False), ("450 4.2.1 Try later", True)]
)
def test_an_address_the_server_refuses_is_tried_again_only_if_it_may_work(
    mail_server, readers, answer, again
):
    refused = readers[2].email

    async def handle_RCPT(server, session, envelope, address, rcpt_options):
        if address == refused:
            return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    mail_server.handle_RCPT = handle_RCPT
    output = send_newsletters()
    assert "Sent 5 digests" in output
    assert ("1 refused for good" in output) != again
    del mail_server.handle_RCPT

    output = send_newsletters()
    assert ("Sent 1 digests" in output) == again
    assert len(mail_server.to(refused)) == (1 if again else 0)


def test_a_mail_server_down_from_the_start_sends_nothing_and_marks_nothing(
    settings, mail_server, readers
):
    mail_server.send_here(settings, port=free_port())
    output = send_newsletters()
    assert "Stopped" in output
    assert not Subscriber.objects.filter(sent_up_to__gt=timezone.now() - DAY / 2).exists()

    mail_server.send_here(settings)
    assert "Sent 6 digests" in send_newsletters()
    assert len(mail_server.messages) == 6


def test_a_reader_held_by_another_run_is_left_to_it(mail_server, readers):
    held = readers[0]
    Subscriber.objects.filter(pk=held.pk).update(
        claimed_until=timezone.now() + datetime.timedelta(minutes=5)
    )
    output = send_newsletters()
    assert "Sent 5 digests" in output
    assert not mail_server.to(held.email)


def test_unconfirmed_readers_are_sent_nothing(mail_server, world):
    SubscriberFactory(
        email="unsure@example.org", everything=True, confirmed_at=None, sent_up_to=None
    )
    piece("News", countries=[world.kz])
    send_newsletters()
    assert not mail_server.messages


def test_a_long_digest_lists_the_newest_and_links_the_rest(mail_server, world, settings):
    from journal.services import digests

    SubscriberFactory(email="all@example.org", everything=True)
    for number in range(digests.MOST_ARTICLES + 2):
        piece(f"Number {number}", hours_ago=1 + number / 10, countries=[world.kz])
    send_newsletters()
    [digest] = mail_server.messages
    assert len(titles(digest)) == digests.MOST_ARTICLES
    assert "And 2 more articles on the site:" in digest.text
    assert "https://journal.example.org/en/articles/" in digest.text
