"""Subscribers in the admin: counts for editors, addresses only with permission, export, delete."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from journal.models import OutgoingEmail, Subscriber
from journal.services.outbox import email_queue
from journal.tests.factories import SubscriberFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:journal_subscriber_changelist"


@pytest.fixture
def lists(world):
    """Five confirmed readers and one unconfirmed, on various lists."""
    SubscriberFactory(email="all@example.org", everything=True)
    SubscriberFactory(email="kz@example.org", countries=[world.kz])
    SubscriberFactory(email="kz-c5@example.org", countries=[world.kz], frameworks=[world.c5])
    SubscriberFactory(email="uz@example.org", countries=[world.uz])
    SubscriberFactory(email="japan@example.org", frameworks=[world.japan])
    SubscriberFactory(
        email="unsure@example.org", countries=[world.kz], confirmed_at=None, sent_up_to=None
    )
    return world


def count_rows(html: str) -> dict[str, str]:
    import re

    return dict(re.findall(r'<tr><th scope="row">([^<]+)</th><td>(\d+)</td></tr>', html))


def test_editors_see_counts_per_list_but_no_address(staff, lists):
    editor = staff("Editors")
    index = editor.get(reverse("admin:index"))
    assert index.status_code == 200
    assert "Newsletter subscribers" in index.text
    assert count_rows(index.text) == {
        "All lists": "5",
        "The whole journal": "1",
        "Kazakhstan": "2",  # the unconfirmed request does not count
        "Uzbekistan": "1",
        "C5+1": "1",
        "CA+JAD": "1",
    }
    assert "@example.org" not in index.text
    assert editor.get(reverse(CHANGELIST)).status_code == 403

    writer = staff("Writers")
    assert "Newsletter subscribers" not in writer.get(reverse("admin:index")).text


def test_with_the_permission_the_list_shows_addresses_and_counts(staff, lists):
    reader = staff(perms=["view_subscriber"])
    page = reader.get(reverse(CHANGELIST))
    assert page.status_code == 200
    assert "kz-c5@example.org" in page.text
    assert count_rows(page.text)["Kazakhstan"] == "2"
    waiting = reader.get(reverse(CHANGELIST) + "?confirmed=no")
    assert "unsure@example.org" in waiting.text and "kz-c5@example.org" not in waiting.text
    # Read-only: subscribers change their own choices.
    subscriber = Subscriber.objects.get(email="kz@example.org")
    change = reverse("admin:journal_subscriber_change", args=[subscriber.pk])
    assert reader.get(change).status_code == 200
    assert reader.post(change, {"email": "other@example.org"}).status_code == 403
    assert reader.get(reverse("admin:journal_subscriber_add")).status_code == 403
    # Deleting needs its own permission.
    delete = reverse("admin:journal_subscriber_delete", args=[subscriber.pk])
    assert reader.post(delete, {"post": "yes"}).status_code == 403
    assert Subscriber.objects.filter(pk=subscriber.pk).exists()


def test_an_addresss_data_is_exported_as_json_from_the_admin(staff, lists):
    reader = staff(perms=["view_subscriber"])
    subscriber = Subscriber.objects.get(email="kz-c5@example.org")
    response = reader.post(
        reverse(CHANGELIST), {"action": "export_data", "_selected_action": [subscriber.pk]}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="subscribers-')
    [data] = json.loads(response.content)
    assert data["email"] == "kz-c5@example.org"
    assert data["subscription"]["countries"] == ["kazakhstan"]
    assert data["subscription"]["frameworks"] == [lists.c5.slug]
    assert data["subscription"]["whole_journal"] is False
    assert data["subscription"]["confirmed_at"]
    assert data["messages"] == []


def test_deleting_a_subscriber_in_the_admin_deletes_the_mail_to_them(admin_client, lists):
    subscriber = Subscriber.objects.get(email="kz@example.org")
    email_queue(
        kind=OutgoingEmail.Kind.NEWSLETTER,
        to=["kz@example.org"],
        subject="[Diplomacy Journal] Your newsletter subscription",
        body="…",
    )
    email_queue(kind=OutgoingEmail.Kind.SUBMITTED, to=["editor@example.org"], subject="x", body="y")

    response = admin_client.post(
        reverse("admin:journal_subscriber_delete", args=[subscriber.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Subscriber.objects.filter(email="kz@example.org").exists()
    assert list(OutgoingEmail.objects.values_list("to", flat=True)) == [["editor@example.org"]]

    others = Subscriber.objects.filter(email__in=["uz@example.org", "japan@example.org"])
    response = admin_client.post(
        reverse(CHANGELIST),
        {"action": "delete_selected", "_selected_action": [s.pk for s in others], "post": "yes"},
    )
    assert response.status_code == 302
    assert Subscriber.objects.count() == 3


def test_subscriber_data_command_exports_and_deletes_one_address(lists):
    email_queue(
        kind=OutgoingEmail.Kind.NEWSLETTER,
        to=["uz@example.org"],
        subject="[Diplomacy Journal] Confirm your subscription",
        body="…",
    )
    out = io.StringIO()
    call_command("subscriber_data", "export", "UZ@example.org", stdout=out)
    data = json.loads(out.getvalue())
    assert data["subscription"]["countries"] == ["uzbekistan"]
    assert data["subscription"]["language"] == "en"
    assert [m["subject"] for m in data["messages"]] == [
        "[Diplomacy Journal] Confirm your subscription"
    ]

    out = io.StringIO()
    call_command("subscriber_data", "delete", "uz@example.org", stdout=out)
    assert "Deleted" in out.getvalue()
    assert not Subscriber.objects.filter(email="uz@example.org").exists()
    assert not OutgoingEmail.objects.exists()
    with pytest.raises(CommandError, match="Nothing is kept about this address."):
        call_command("subscriber_data", "export", "uz@example.org", stdout=io.StringIO())
