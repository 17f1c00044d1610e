"""A list action the admin refuses says why: a forged, stale or forbidden action is never silent."""

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages
from django.urls import reverse

from journal.models import Article
from journal.tests.factories import ArticleFactory, ContributorFactory
from summits.models import Country
from summits.tests.factories import CountryFactory

pytestmark = pytest.mark.django_db

ARTICLES = reverse("admin:journal_article_changelist")


def shown(response) -> list[tuple[str, str]]:
    """The messages the next page shows, with their level: ("error", "…")."""
    return [(message.level_tag, str(message)) for message in get_messages(response.wsgi_request)]


def act(client, url, action, *selected, **extra):
    """Press "Go" on a list with `action` chosen and `selected` ticked, as the page posts it.

    Returns the page the browser ends on: the list again, after a redirect.
    """
    data = {"action": action, "index": "0", ACTION_CHECKBOX_NAME: [str(pk) for pk in selected]}
    response = client.post(url, {**data, **extra}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [(url, 302)]
    return response


@pytest.fixture
def ready(db):
    """A draft that may be published: headline, body, a country and a byline."""
    return ArticleFactory(countries=[CountryFactory()], authors=[ContributorFactory()])


def test_an_action_the_user_may_not_take_is_refused_with_its_name(client, writer, ready):
    client.force_login(writer)
    response = act(client, ARTICLES, "publish_selected", ready.pk)
    assert shown(response) == [
        (
            "error",
            "You may not use “Publish selected articles now (or at their scheduled time)” "
            "here, so nothing was changed.",
        )
    ]
    ready.refresh_from_db()
    assert ready.status == Article.Status.DRAFT


def test_an_unknown_action_is_refused(client, editor, ready):
    client.force_login(editor)
    response = act(client, ARTICLES, "drop_table", ready.pk)
    assert shown(response) == [
        (
            "error",
            "That action is not offered on this list (the page may be out of date: "
            "reload it), so nothing was changed.",
        )
    ]


def test_an_action_on_articles_deleted_meanwhile_says_so(client, editor, ready):
    client.force_login(editor)
    other = ArticleFactory()
    gone = [ready.pk, other.pk]
    Article.objects.filter(pk__in=gone).delete()
    response = act(client, ARTICLES, "publish_selected", gone[0])
    assert shown(response) == [
        (
            "error",
            "The selected article no longer exists (someone may have deleted it), "
            "so nothing was changed.",
        )
    ]
    response = act(client, ARTICLES, "archive_selected", *gone)
    assert shown(response) == [
        (
            "error",
            "None of the 2 selected articles exist any more (someone may have deleted them), "
            "so nothing was changed.",
        )
    ]


def test_an_action_on_some_deleted_articles_acts_on_the_rest_and_says_so(client, editor, ready):
    client.force_login(editor)
    gone = ArticleFactory()
    gone_pk = gone.pk
    gone.delete()
    response = act(client, ARTICLES, "publish_selected", ready.pk, gone_pk)
    assert shown(response) == [
        (
            "warning",
            "1 of the 2 selected articles no longer exists; the action went ahead without it.",
        ),
        ("success", "1 article published."),
    ]
    ready.refresh_from_db()
    assert ready.status == Article.Status.PUBLISHED


@pytest.mark.parametrize("forged", ["abc", "1e3", str(2**70), "\x00"])
def test_a_forged_id_is_taken_as_gone_not_a_server_error(client, editor, ready, forged):
    client.force_login(editor)
    response = act(client, ARTICLES, "publish_selected", forged)
    assert [level for level, _ in shown(response)] == ["error"]
    response = act(client, ARTICLES, "publish_selected", ready.pk, forged)
    ready.refresh_from_db()
    assert ready.status == Article.Status.PUBLISHED


def test_an_action_posted_without_a_button_or_a_selection_is_refused(client, editor, ready):
    client.force_login(editor)
    response = client.post(ARTICLES, {"action": "publish_selected"}, follow=True)
    assert response.redirect_chain == [(ARTICLES, 302)]
    assert shown(response) == [
        (
            "warning",
            "Items must be selected in order to perform actions on them. "
            "No items have been changed.",
        )
    ]


def test_a_list_without_actions_for_the_user_refuses_a_posted_one(staff):
    # Editors may look at the record's countries, not delete them: the list has no action.
    editor = staff("Editors")
    country = CountryFactory()
    url = reverse("admin:summits_country_changelist")
    response = act(editor, url, "delete_selected", country.pk, post="yes")
    assert shown(response) == [
        ("error", "You may not use “Delete selected countries” here, so nothing was changed.")
    ]
    assert Country.objects.filter(pk=country.pk).exists()


def test_the_actions_that_go_ahead_are_unchanged(client, editor, ready):
    client.force_login(editor)
    response = act(client, ARTICLES, "publish_selected", ready.pk)
    assert shown(response) == [("success", "1 article published.")]
    response = act(client, ARTICLES, "", ready.pk)
    assert shown(response) == [("warning", "No action selected.")]


def changelists() -> list[str]:
    """Every list in the admin whose model belongs to the newsroom, the record or the accounts."""
    return sorted(
        f"{model._meta.app_label}_{model._meta.model_name}"
        for model in admin.site._registry
        if model._meta.app_label in {"journal", "summits", "auth"}
    )


@pytest.mark.parametrize("changelist", changelists())
def test_every_list_refuses_a_forged_action_with_a_message(admin_client, changelist):
    url = reverse(f"admin:{changelist}_changelist")
    response = act(admin_client, url, "no_such_action", 1)
    [(level, _message)] = shown(response)
    assert level == "error", changelist
