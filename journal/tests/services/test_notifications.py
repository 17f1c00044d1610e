"""Workflow e-mail as a mail server receives it: who is told what, when, and after an outage."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from journal import content_generation
from journal.models import Article, OutgoingEmail
from journal.services.outbox import email_queue
from journal.services.workflow import Step, article_submit, article_take_step
from journal.tests.conftest import free_port
from journal.tests.factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    article_post_data,
)
from summits.tests.factories import CountryFactory

pytestmark = pytest.mark.django_db

SITE = "https://journal.example.org"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    settings.DEFAULT_FROM_EMAIL = "Diplomacy Journal <newsroom@journal.example.org>"


@pytest.fixture
def people(make_user):
    """Two editors, an administrator, and the writer whose piece it is, all with addresses."""

    class People:
        dana = make_user("dana", "Editors", email="dana@example.org", first_name="Dana")
        oleg = make_user("oleg", "Editors", email="oleg@example.org")
        chief = make_user("chief", is_superuser=True, email="chief@example.org")
        # Editors who cannot be told: no address, or no longer here.
        silent = make_user("silent", "Editors")
        gone = make_user("gone", "Editors", email="gone@example.org", is_active=False)
        writer = make_user(
            "aigerim",
            "Writers",
            email="aigerim@example.org",
            first_name="Aigerim",
            last_name="Sadykova",
        )
        # A second writer: the contributor on the byline, with a login of their own.
        co_writer = make_user("timur", "Writers", email="timur@example.org")
        other_writer = make_user("nobody", "Writers", email="nobody@example.org")

    return People


def draft_by(writer, co_writer=None, **fields) -> Article:
    article = ArticleFactory(
        title="Water & power: the Rogun talks", standfirst="Five states, one river.", **fields
    )
    article.created_by = writer
    article.save()
    BylineFactory(article=article, contributor=ContributorFactory(name="Aigerim Sadykova"))
    if co_writer:
        BylineFactory(
            article=article, contributor=ContributorFactory(name="Timur Rakhimov", user=co_writer)
        )
    return article


def change_url(article) -> str:
    return SITE + reverse("admin:journal_article_change", args=[article.pk])


def dashboard(user) -> str:
    browser = Client()
    browser.force_login(user)
    return browser.get(reverse("admin:index")).text


def test_a_submission_tells_the_editors_what_is_waiting(commit, mail_server, people, client):
    client.force_login(people.writer)
    with commit():
        response = client.post(
            reverse("admin:journal_article_add"),
            article_post_data(
                title="Water & power: the Rogun talks",
                standfirst="Five states, one river.",
                workflow_step="submit",
            ),
        )
        assert response.status_code == 302
        assert mail_server.messages == []  # nothing leaves before the commit
    article = Article.objects.get()
    assert article.status == Article.Status.IN_REVIEW

    # Everyone who may publish, once each, and nobody else.
    assert sorted(r for m in mail_server.messages for r in m.recipients) == [
        "chief@example.org",
        "dana@example.org",
        "oleg@example.org",
    ]
    received = mail_server.to("dana@example.org")[0]
    assert received.subject == "[Diplomacy Journal] For review: Water & power: the Rogun talks"
    assert received.message["From"] == "Diplomacy Journal <newsroom@journal.example.org>"
    assert received.message["To"] == "dana@example.org"
    assert "Aigerim Sadykova submitted “Water & power: the Rogun talks” for review." in (
        received.text
    )
    assert "Five states, one river." in received.text
    assert change_url(article) in received.text
    assert "You receive this because you are an editor at Diplomacy Journal." in received.text
    # The HTML part says the same, escaped, with the link to the article's page.
    assert "<strong>“Water &amp; power: the Rogun talks”</strong>" in received.html
    assert f'href="{change_url(article)}"' in received.html
    assert '<html lang="en">' in received.html


def test_sending_back_tells_the_writers_with_the_editors_note(commit, mail_server, people):
    article = draft_by(people.writer, people.co_writer, status=Article.Status.IN_REVIEW)
    article.countries.add(CountryFactory())
    note = "Please check the dam's capacity <in MW>.\nAnd cite the ministry."
    with commit():
        article_take_step(article=article, step=Step.SEND_BACK, user=people.dana, note=note)

    assert sorted(r for m in mail_server.messages for r in m.recipients) == [
        "aigerim@example.org",
        "timur@example.org",
    ]
    received = mail_server.to("timur@example.org")[0]
    assert received.subject == (
        "[Diplomacy Journal] Sent back to you: Water & power: the Rogun talks"
    )
    assert "Dana sent “Water & power: the Rogun talks” back to draft, with this note:" in (
        received.text
    )
    assert note in received.text
    assert change_url(article) in received.text
    assert "Please check the dam&#x27;s capacity &lt;in MW&gt;.<br>And cite the ministry." in (
        received.html
    )
    assert f'href="{change_url(article)}"' in received.html


def test_nobody_is_told_of_what_they_did_themselves(commit, mail_server, people):
    article = draft_by(people.dana)
    with commit():
        article_submit(article=article, user=people.dana)
    assert "dana@example.org" not in [r for m in mail_server.messages for r in m.recipients]
    assert mail_server.to("oleg@example.org")


def test_mail_going_out_leaves_the_readers_cached_pages_alone(commit, mail_server, people):
    article = draft_by(people.writer)
    before = content_generation.current().id
    with commit():
        article_submit(article=article, user=people.writer)
    assert len(mail_server.messages) == 3
    assert content_generation.current().id == before


def test_nothing_is_sent_when_the_step_is_rolled_back(commit, mail_server, people):
    article = draft_by(people.writer)
    with commit():
        with pytest.raises(RuntimeError), transaction.atomic():
            article_submit(article=article, user=people.writer)
            raise RuntimeError("the request failed after the step")
    assert mail_server.messages == []
    assert not OutgoingEmail.objects.exists()
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_a_mail_outage_keeps_the_step_and_the_retry_delivers_once(
    commit, mail_server, people, client, settings, travel
):
    mail_server.send_here(settings, port=free_port())  # the server is down
    article = draft_by(people.writer)
    client.force_login(people.writer)
    with commit():
        response = client.post(
            reverse("admin:journal_article_change", args=[article.pk]),
            article_post_data(
                title=article.title,
                slug=article.slug,
                standfirst=article.standfirst,
                loaded_version=article.updated_at.isoformat(),
                workflow_step="submit",
            ),
        )
    # The writer's step is saved and they are told so, as on any day.
    assert response.status_code == 302
    assert "was submitted for review" in client.get(response.url).text.replace("\n", " ")
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW
    # The messages wait, with what went wrong, and the dashboard says so.
    waiting = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.QUEUED)
    assert waiting.count() == 3
    assert {email.attempts for email in waiting} == {1}
    assert "ConnectionRefusedError" in waiting.first().last_error
    warning = dashboard(people.dana)
    assert "E-mail is not going out: 3 messages could not be sent." in warning
    assert "ConnectionRefusedError" in warning
    assert "Tell whoever runs the site." in warning  # editors cannot open the outbox

    # The server is back; the cron job tries again once the message's turn has come.
    mail_server.send_here(settings)
    call_command("send_queued_email", verbosity=0)
    assert mail_server.messages == []
    travel(datetime.timedelta(minutes=2))
    call_command("send_queued_email", verbosity=0)
    assert len(mail_server.messages) == 3
    assert len(mail_server.to("dana@example.org")) == 1
    assert "For review: Water & power" in mail_server.to("dana@example.org")[0].subject

    # Never twice.
    travel(datetime.timedelta(hours=1))
    call_command("send_queued_email", verbosity=0)
    assert len(mail_server.messages) == 3
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {"sent"}
    assert "E-mail is not going out" not in dashboard(people.dana)


def test_a_message_refused_for_a_day_is_given_up_and_can_be_sent_again(
    commit, mail_server, people, settings, travel
):
    mail_server.send_here(settings, port=free_port())
    with commit():
        article_submit(article=draft_by(people.writer), user=people.writer)
    for _ in range(12):
        travel(datetime.timedelta(hours=13))
        call_command("send_queued_email", verbosity=0)
    given_up = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.FAILED)
    assert given_up.count() == 3
    assert {email.attempts for email in given_up} == {10}
    warning = dashboard(people.chief)
    assert "3 messages could not be sent" in warning
    assert f'href="{reverse("admin:journal_outgoingemail_changelist")}"' in warning

    # Once the mail settings are fixed, the operator sends them after all.
    mail_server.send_here(settings)
    call_command("send_queued_email", verbosity=0)
    assert mail_server.messages == []
    call_command("send_queued_email", "--retry-given-up", verbosity=0)
    assert len(mail_server.messages) == 3


def test_an_article_going_live_tells_the_editor_who_scheduled_it_once(
    commit, mail_server, people, travel
):
    article = draft_by(people.writer, status=Article.Status.IN_REVIEW)
    article.countries.add(CountryFactory())
    at = (timezone.now() + datetime.timedelta(hours=3)).replace(microsecond=0)
    with commit():
        article_take_step(article=article, step=Step.SCHEDULE, user=people.oleg, at=at)
    call_command("send_queued_email", verbosity=0)
    assert mail_server.messages == []  # scheduled, not yet live

    travel(datetime.timedelta(hours=3, minutes=1))
    call_command("send_queued_email", verbosity=0)
    [received] = mail_server.messages
    assert received.recipients == ["oleg@example.org"]
    assert received.subject == "[Diplomacy Journal] Now live: Water & power: the Rogun talks"
    assert "“Water & power: the Rogun talks”, which you scheduled, went live at" in received.text
    assert SITE + article.get_absolute_url() in received.text
    assert change_url(article) in received.text
    assert f'href="{SITE}{article.get_absolute_url()}"' in received.html

    # Every later run, on any server, knows it was told.
    for _ in range(2):
        travel(datetime.timedelta(minutes=5))
        call_command("send_queued_email", verbosity=0)
    assert len(mail_server.messages) == 1


def test_only_the_time_an_article_really_went_live_is_announced(
    commit, mail_server, people, travel
):
    rescheduled = draft_by(people.writer, status=Article.Status.IN_REVIEW)
    taken_down = draft_by(people.writer, status=Article.Status.IN_REVIEW, slug="taken-down")
    country = CountryFactory()
    soon = (timezone.now() + datetime.timedelta(hours=1)).replace(microsecond=0)
    later = soon + datetime.timedelta(hours=5)
    with commit():
        for article in (rescheduled, taken_down):
            article.countries.add(country)
            article_take_step(article=article, step=Step.SCHEDULE, user=people.oleg, at=soon)
        article_take_step(article=rescheduled, step=Step.RESCHEDULE, user=people.dana, at=later)
        article_take_step(article=taken_down, step=Step.UNPUBLISH, user=people.dana)

    travel(datetime.timedelta(hours=2))
    call_command("send_queued_email", verbosity=0)
    assert mail_server.messages == []

    travel(datetime.timedelta(hours=5))
    call_command("send_queued_email", verbosity=0)
    [received] = mail_server.messages
    assert received.recipients == ["dana@example.org"]  # who set the time it went out at


def test_without_mail_settings_mail_is_written_to_files(commit, settings, tmp_path):
    # What `make run` does with no DJANGO_EMAIL_URL (under var/mail): no server is reached.
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": tmp_path / "mail"},
        }
    }
    with commit():
        email_queue(
            kind=OutgoingEmail.Kind.SUBMITTED, to=["a@example.org"], subject="Hi", body="Yo"
        )
    [written] = (tmp_path / "mail").iterdir()
    assert re.search(r"^Subject: Hi$", written.read_text(), re.MULTILINE)
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT
