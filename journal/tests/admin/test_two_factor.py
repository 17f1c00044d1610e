"""Optional two-factor login: set it up, log in with a code, and turn it off."""

import pytest
from axes.models import AccessAttempt
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from journal.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def code_for(device: TOTPDevice, *, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits) + offset:06d}"[-6:]


def log_in(client, **extra):
    return client.post(
        reverse("admin:login"),
        {"username": "desk", "password": PASSWORD, "next": reverse("admin:index"), **extra},
    )


@pytest.fixture
def enrolled(desk):
    device = TOTPDevice.objects.create(user=desk, name="Authenticator app", confirmed=True)
    return device


def test_without_two_factor_the_password_is_enough(client, desk):
    page = client.get(reverse("admin:login"))
    assert "Code from your authenticator app" in page.text

    response = log_in(client)
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_an_editor_turns_it_on_by_scanning_and_confirming_a_code(client, desk):
    client.force_login(desk)
    page = client.get(reverse("admin:two_factor"))

    assert page.status_code == 200
    assert "Two-factor login is <strong>off</strong>" in page.text
    assert 'src="data:image/svg+xml' in page.text
    device = TOTPDevice.objects.get(user=desk)
    assert not device.confirmed
    assert "otpauth://totp/Diplomacy%20Journal%3Adesk" in device.config_url

    wrong = client.post(reverse("admin:two_factor"), {"otp_token": code_for(device, offset=1)})
    assert wrong.status_code == 200
    assert "That code is not right" in wrong.text
    device.refresh_from_db()
    assert not device.confirmed

    device.throttle_reset()  # each wrong code makes the next try wait a second, then two…
    right = client.post(reverse("admin:two_factor"), {"otp_token": code_for(device)}, follow=True)
    assert "Two-factor login is on" in right.text
    device.refresh_from_db()
    assert device.confirmed
    # This session showed a code, so it stays in the admin.
    assert client.get(reverse("admin:index")).status_code == 200


def test_once_on_the_login_asks_for_a_code(enrolled):
    browser = Client()

    missing = log_in(browser)
    assert missing.status_code == 200
    assert "enter the code your authenticator app shows" in missing.text
    assert "_auth_user_id" not in browser.session

    response = log_in(browser, otp_token=code_for(enrolled))
    assert response.status_code == 302
    assert browser.get(reverse("admin:index")).status_code == 200


@override_settings(AXES_FAILURE_LIMIT=3)
def test_wrong_codes_count_as_failed_logins(enrolled):
    browser = Client()
    for _ in range(2):
        response = log_in(browser, otp_token=code_for(enrolled, offset=1))
        assert response.status_code == 200
        assert "That code is not right" in response.text
    assert AccessAttempt.objects.get(username="desk").failures_since_start == 2

    # The third wrong code pauses logins, even with the right code after it.
    assert log_in(browser, otp_token=code_for(enrolled, offset=1)).status_code == 429
    assert log_in(browser, otp_token=code_for(enrolled)).status_code == 429


def test_a_session_without_a_code_cannot_open_the_admin(client, enrolled):
    client.force_login(enrolled.user)  # a password-only session, e.g. from elsewhere

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_turning_it_off_needs_a_code(client, enrolled):
    log_in(client, otp_token=code_for(enrolled))
    page = client.get(reverse("admin:two_factor"))
    assert "Two-factor login is <strong>on</strong>" in page.text
    assert 'src="data:image/svg+xml' not in page.text  # the key is not shown again

    refused = client.post(reverse("admin:two_factor"), {"otp_token": ""})
    assert refused.status_code == 200
    assert TOTPDevice.objects.filter(pk=enrolled.pk).exists()

    # A code already used to log in is not accepted twice: wait for the next one.
    enrolled.refresh_from_db()
    enrolled.last_t -= 1
    enrolled.save()
    done = client.post(reverse("admin:two_factor"), {"otp_token": code_for(enrolled)}, follow=True)
    assert "Two-factor login is off" in done.text
    assert not TOTPDevice.objects.filter(user=enrolled.user, confirmed=True).exists()
    assert log_in(Client()).status_code == 302  # the password alone works again


def test_the_admin_header_links_to_the_set_up(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert f'href="{reverse("admin:two_factor")}"' in response.text
