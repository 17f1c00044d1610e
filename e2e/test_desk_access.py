"""Getting a new editor onto the desk: the login page says what is missing, a group lets them
in, an old password still works, and a list action on articles gone meanwhile says so."""

from django.contrib.auth.hashers import make_password
from playwright.sync_api import Page, expect

from journal.models import Article
from journal.tests.factories import ArticleFactory, ContributorFactory
from summits.tests.factories import CountryFactory

from .admin import PASSWORD, log_in, saved

NO_GROUP = "Ask an administrator to add you to Writers, Editors or Summit desk."


def try_to_log_in(page: Page, username: str) -> None:
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_a_new_account_gets_onto_the_desk_once_it_joins_a_newsroom_group(
    django_user_model, make_user, open_page
):
    newcomer = django_user_model.objects.create_user(username="newcomer", password=PASSWORD)
    assert not newcomer.is_staff

    # Before: the right password, and the page says what to ask for.
    outside = open_page()
    try_to_log_in(outside, "newcomer")
    expect(outside.locator(".errornote")).to_contain_text(NO_GROUP)
    expect(outside).to_have_url("/admin/login/")

    # An administrator puts the account in Writers, and only that.
    admin = open_page(user=make_user("boss", is_superuser=True))
    admin.goto(f"/admin/auth/user/{newcomer.pk}/change/")
    expect(admin.get_by_text("Ticked by itself when the user joins Writers")).to_be_visible()
    expect(admin.get_by_label("Staff status")).not_to_be_checked()
    admin.locator("#id_groups_from").select_option(label="Writers")
    admin.locator("#id_groups_add").click()
    admin.get_by_role("button", name="Save", exact=True).click()
    saved(admin, "was changed successfully")
    newcomer.refresh_from_db()
    assert newcomer.is_staff

    # After: the same password opens the desk.
    log_in(outside, "newcomer")
    expect(outside.locator("#logout-form")).to_have_count(1)


def test_a_password_stored_before_argon2_still_logs_in_and_is_stored_again(make_user, open_page):
    veteran = make_user("veteran", "Editors")
    veteran.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    veteran.save(update_fields=["password"])

    open_page(user=veteran)  # logs in through the form; fails unless it reaches the desk
    veteran.refresh_from_db()
    assert veteran.password.startswith("argon2$argon2id$")


def test_an_action_on_an_article_deleted_meanwhile_says_so(make_user, open_page):
    article = ArticleFactory(
        title="Ministers meet in Astana",
        countries=[CountryFactory()],
        authors=[ContributorFactory()],
    )
    desk = open_page(user=make_user("editor", "Editors"))
    desk.goto("/admin/journal/article/")
    desk.get_by_role(
        "checkbox", name="Select this object for an action - Ministers meet in Astana"
    ).check()
    Article.objects.filter(pk=article.pk).delete()  # a colleague, in the meantime

    desk.locator("select[name=action]").select_option(
        label="Publish selected articles now (or at their scheduled time)"
    )
    desk.get_by_role("button", name="Run").click()
    expect(desk.locator(".messagelist .error")).to_have_text(
        "The selected article no longer exists (someone may have deleted it), "
        "so nothing was changed."
    )
