"""Passwords are stored with Argon2id; those stored with PBKDF2 still log in, and are stored again.

How long a login takes is measured by `bench/login.py`, not here.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.urls import reverse

from journal.ops.passwords import Argon2PasswordHasher
from journal.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def log_in(client, username):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": PASSWORD, "next": reverse("admin:index")},
    )


@pytest.fixture
def hashings(monkeypatch):
    """How often the site hashes a password: Argon2's work, counted as it is done."""
    counted = {"encode": 0, "verify": 0}
    for name in counted:
        work = getattr(Argon2PasswordHasher, name)

        def counting(self, *args, _work=work, _name=name, **kwargs):
            counted[_name] += 1
            return _work(self, *args, **kwargs)

        monkeypatch.setattr(Argon2PasswordHasher, name, counting)
    return counted


def test_add_user_stores_the_password_with_argon2id_once(admin_client, hashings):
    response = admin_client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "newcomer",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    stored = get_user_model().objects.get(username="newcomer").password
    assert stored.startswith("argon2$argon2id$v=19$m=65536,t=3,p=4$")
    assert hashings == {"encode": 1, "verify": 0}


def test_a_login_checks_the_password_once(client, hashings):
    UserFactory(username="editor", password=PASSWORD, groups=["Editors"])
    hashings.update(encode=0, verify=0)
    assert log_in(client, "editor").status_code == 302
    assert hashings == {"encode": 0, "verify": 1}


def test_a_password_stored_with_pbkdf2_logs_in_and_is_stored_again_with_argon2(client):
    veteran = UserFactory(username="veteran", groups=["Editors"])
    veteran.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    veteran.save(update_fields=["password"])

    assert log_in(client, "veteran").status_code == 302
    veteran.refresh_from_db()
    assert veteran.password.startswith("argon2$argon2id$")
    assert veteran.check_password(PASSWORD)

    client.logout()
    assert log_in(client, "veteran").status_code == 302
