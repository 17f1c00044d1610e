"""A forgotten password, from the admin's login page through the e-mailed link to a new one."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from journal.models import OutgoingEmail
from journal.tests.conftest import free_port
from journal.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SITE = "https://journal.example.org"
NEW_PASSWORD = "a fresh and longer passphrase"
LINK = re.compile(r"https://journal\.example\.org(/admin/reset/[^\s\"<]+/)")


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def desk(desk):
    desk.email = "desk@example.org"
    desk.save(update_fields=["email"])
    return desk


def log_in(client, password, **extra):
    return client.post(
        reverse("admin:login"),
        {"username": "desk", "password": password, "next": reverse("admin:index"), **extra},
        REMOTE_ADDR="203.0.113.5",
    )


def ask_for_a_link(client, commit, address="desk@example.org"):
    with commit():
        response = client.post(reverse("admin_password_reset"), {"email": address})
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    return response


def set_new_password(client, link_path, password=NEW_PASSWORD):
    # The link's token is swapped for a session one at once, so it never sits
    # in the address bar or a Referer header.
    form = client.get(link_path, follow=True)
    assert form.status_code == 200
    assert "Enter new password" in form.text
    return client.post(
        form.redirect_chain[-1][0],
        {"new_password1": password, "new_password2": password},
    )


def test_a_forgotten_password_is_reset_from_the_login_page(client, commit, mail_server, desk):
    login = client.get(reverse("admin:login"))
    assert f'href="{reverse("admin_password_reset")}"' in login.text
    assert "Forgotten your login credentials?" in login.text
    page = client.get(reverse("admin_password_reset"))
    assert page.status_code == 200
    assert "Diplomacy Journal newsroom" in page.text  # the admin's header

    done = client.get(ask_for_a_link(client, commit).url)
    assert "We’ve emailed you instructions" in done.text

    [received] = mail_server.messages
    assert received.recipients == ["desk@example.org"]
    assert received.subject == "[Diplomacy Journal] Set a new password"
    assert "the newsroom account “desk” at Diplomacy Journal" in received.text
    assert "It works once, for 3 days." in received.text
    link_path = LINK.search(received.text).group(1)
    assert f'href="{SITE}{link_path}"' in received.html
    assert "<strong>“desk”</strong>" in received.html

    complete = set_new_password(client, link_path)
    assert complete.status_code == 302
    assert complete.url == reverse("password_reset_complete")
    assert "Your password has been set" in client.get(complete.url).text

    # The reset logs nobody in; the new password does, the old one no longer.
    assert "_auth_user_id" not in client.session
    assert log_in(Client(), PASSWORD).status_code == 200
    assert log_in(client, NEW_PASSWORD).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200

    # The link worked once; the message's text is no longer kept.
    assert "invalid" in Client().get(link_path, follow=True).text
    assert OutgoingEmail.objects.get().body == ""


def test_a_new_password_still_needs_the_two_factor_code(client, commit, mail_server, desk):
    device = TOTPDevice.objects.create(user=desk, name="Authenticator app", confirmed=True)
    ask_for_a_link(client, commit)
    set_new_password(client, LINK.search(mail_server.messages[0].text).group(1))

    without_code = log_in(Client(), NEW_PASSWORD)
    assert without_code.status_code == 200
    assert "This account uses two-factor login" in without_code.text

    code = f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"
    assert log_in(Client(), NEW_PASSWORD, otp_token=code).status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3)
def test_a_new_password_does_not_lift_a_lockout(client, commit, mail_server, desk):
    for _ in range(3):
        log_in(client, "a wrong guess")
    assert log_in(client, PASSWORD).status_code == 429

    ask_for_a_link(client, commit)
    set_new_password(client, LINK.search(mail_server.messages[0].text).group(1))
    assert log_in(client, NEW_PASSWORD).status_code == 429


def test_only_staff_accounts_get_a_link_and_the_page_says_the_same(
    client, commit, mail_server, desk
):
    UserFactory(username="reader", email="reader@example.org", is_staff=False, password="x" * 14)
    UserFactory(username="left", email="left@example.org", is_active=False, password="x" * 14)
    for address in ("nobody@example.org", "reader@example.org", "left@example.org"):
        response = ask_for_a_link(client, commit, address)
        assert response.url == reverse("password_reset_done")
    assert mail_server.messages == []


def test_asking_again_and_again_sends_one_link_in_ten_minutes(
    client, commit, mail_server, desk, travel
):
    for _ in range(4):
        ask_for_a_link(client, commit)
    assert len(mail_server.messages) == 1

    travel(datetime.timedelta(minutes=11))
    ask_for_a_link(client, commit)
    assert len(mail_server.messages) == 2


def test_a_mail_outage_still_shows_the_same_page_and_the_link_follows(
    client, commit, mail_server, desk, settings, travel
):
    mail_server.send_here(settings, port=free_port())
    done = ask_for_a_link(client, commit)
    assert client.get(done.url).status_code == 200
    assert mail_server.messages == []

    mail_server.send_here(settings)
    travel(datetime.timedelta(minutes=2))
    call_command("send_queued_email", verbosity=0)
    set_new_password(client, LINK.search(mail_server.messages[0].text).group(1))
    assert log_in(client, NEW_PASSWORD).status_code == 302
