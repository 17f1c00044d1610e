"""Getting into the admin: the newsroom groups let people in, and the login page says what to do."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from journal.tests.admin.test_revisions import posted_form
from journal.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NO_GROUP = (
    "This account is not in a newsroom group yet, so it cannot use the admin. "
    "Ask an administrator to add you to Writers, Editors or Summit desk."
)
STAFF_OFF = (
    "This account’s Staff status is turned off, so it cannot use the admin. "
    "Ask an administrator to turn it on."
)
WRONG_PASSWORD = (
    "Please enter the correct username and password for a staff account. "
    "Note that both fields may be case-sensitive."
)


def log_in(client, username, password=PASSWORD):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
    )


def login_errors(response) -> list[str]:
    assert response.status_code == 200, "logged in"
    return list(response.context["form"].non_field_errors())


def user_form(client, user) -> dict:
    return posted_form(client.get(reverse("admin:auth_user_change", args=[user.pk])), "user_form")


@pytest.fixture
def newcomer(db):
    """An account an administrator has just added: a password, no group, not staff."""
    return UserFactory(username="newcomer", password=PASSWORD, is_staff=False)


def test_a_user_put_in_writers_on_the_user_form_can_log_in(admin_client, client, commit, newcomer):
    data = user_form(admin_client, newcomer)
    assert "is_staff" not in data  # nobody ticked Staff status
    data["groups"] = [Group.objects.get(name="Writers").pk]
    with commit():
        response = admin_client.post(reverse("admin:auth_user_change", args=[newcomer.pk]), data)
    assert response.status_code == 302

    assert log_in(client, "newcomer").status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_user_taken_out_of_the_newsroom_groups_can_no_longer_log_in(admin_client, client, commit):
    leaver = UserFactory(username="leaver", password=PASSWORD, groups=["Editors"])
    data = user_form(admin_client, leaver)
    assert "is_staff" in data
    data["groups"] = []
    with commit():
        admin_client.post(reverse("admin:auth_user_change", args=[leaver.pk]), data)
    assert login_errors(log_in(client, "leaver")) == [NO_GROUP]


def test_the_user_form_says_how_staff_status_follows_the_groups(admin_client, newcomer):
    page = admin_client.get(reverse("admin:auth_user_change", args=[newcomer.pk])).text
    assert "Ticked by itself when the user joins Writers, Editors or Summit desk" in page
    assert "To keep someone out, untick Active instead." in page
    assert "joining one lets the user log in (it ticks Staff status)" in page


def test_a_right_password_without_a_newsroom_group_says_what_to_do(client, newcomer):
    response = log_in(client, "newcomer")
    assert login_errors(response) == [NO_GROUP]
    assert "Ask an administrator to add you to Writers, Editors or Summit desk." in response.text


def test_a_newsroom_member_whose_staff_status_was_turned_off_is_told(client):
    UserFactory(username="paused", password=PASSWORD, is_staff=False, groups=["Writers"])
    assert login_errors(log_in(client, "paused")) == [STAFF_OFF]


def test_a_wrong_password_tells_nothing_of_the_account(client, newcomer):
    assert login_errors(log_in(client, "newcomer", "not the password")) == [WRONG_PASSWORD]
    assert login_errors(log_in(client, "nobody")) == [WRONG_PASSWORD]


def test_an_inactive_account_gets_the_usual_answer_even_with_the_right_password(client):
    UserFactory(username="gone", password=PASSWORD, is_active=False, groups=["Writers"])
    assert login_errors(log_in(client, "gone")) == [WRONG_PASSWORD]
