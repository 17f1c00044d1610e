"""Previews: staff see any article as readers will; a shared link shows one article, for a while."""

import datetime
import re
import time

import pytest
from django.contrib import admin
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from journal.admin.previews import PreviewAdminMixin
from journal.models import Article, PreviewLink
from journal.services.previews import (
    SALT,
    InvalidPreviewToken,
    PreviewLinkGone,
    preview_link_create,
    preview_link_for_token,
    preview_link_revoke,
    preview_token,
)
from journal.tests.factories import ArticleFactory, ContributorFactory, PublishedArticleFactory
from journal.tests.views.test_query_budgets import FEW, MANY, World
from summits.tests.factories import CountryFactory

pytestmark = pytest.mark.django_db

BANNER = "Preview — not published"
NOINDEX = '<meta name="robots" content="noindex">'
GONE = "This preview link has expired or been withdrawn"
DAY = datetime.timedelta(days=1)


@pytest.fixture
def country():
    return CountryFactory(code="KZ")


@pytest.fixture
def draft(country):
    return ArticleFactory(
        title="Water talks in Astana",
        standfirst="Ministers from five capitals meet on the Syr Darya.",
        body="<p>The body only the desk has read.</p>",
        countries=[country],
        authors=[ContributorFactory(name="Min-jun Park", position="Former Ambassador")],
    )


@pytest.fixture
def other_draft(country):
    return ArticleFactory(
        title="ANOTHER-DRAFT-TITLE", body="<p>ANOTHER-DRAFT-BODY</p>", countries=[country]
    )


def preview_url(article) -> str:
    return reverse("journal:article_preview", kwargs={"pk": article.pk})


def share_url(link) -> str:
    return reverse("journal:article_share_preview", kwargs={"token": preview_token(link)})


def token_url(token: str) -> str:
    return reverse("journal:article_share_preview", kwargs={"token": token})


def assert_private(response):
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    assert response["X-Robots-Tag"] == "noindex"
    assert response["Referrer-Policy"] == "no-referrer"


def assert_shows_nothing_of(response, *articles):
    for article in articles:
        assert article.title not in response.text
        assert article.body not in response.text
        assert article.slug not in response.text


def expire(link, *, days_ago: int = 1):
    PreviewLink.objects.filter(pk=link.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days_ago + 7),
        expires_at=timezone.now() - datetime.timedelta(days=days_ago),
    )
    link.refresh_from_db()
    return link


# Staff preview


def test_staff_preview_shows_a_draft_as_readers_will(staff, draft):
    response = staff("Editors").get(preview_url(draft))

    assert response.status_code == 200
    assert response.context["article"] == draft
    for text in [
        draft.title,
        draft.standfirst,
        draft.body,
        'class="byline-name">Min-jun Park</a>',
        "Former Ambassador",
        "Kazakhstan",
        '<script type="application/ld+json">',
        BANNER,
        "Draft: readers cannot see this article.",
        NOINDEX,
    ]:
        assert text in response.text, text
    assert_private(response)
    assert reverse("admin:journal_article_change", args=[draft.pk]) in response.text
    draft.refresh_from_db()
    assert draft.publish_at is None  # the stand-in time was never saved


def main_without_banner(html: str) -> str:
    main = re.search(r"<main .*?</main>", html, re.S).group()
    main = re.sub(r'<div class="preview-banner".*?</div>', "", main, flags=re.S)
    return re.sub(r"\s+", " ", main)


def json_ld(html: str) -> str:
    return re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)


def test_staff_preview_of_a_live_article_is_the_reader_page_with_a_banner(
    staff, client, country, commit
):
    with commit():
        PublishedArticleFactory(title="Earlier coverage", countries=[country])
        article = PublishedArticleFactory(
            countries=[country],
            authors=[ContributorFactory(), ContributorFactory()],
            editors_note="Written for the journal.",
            publish_at=timezone.now() - DAY,
        )
    reader = client.get(article.get_absolute_url()).text
    preview = staff("Editors").get(preview_url(article)).text

    assert "Earlier coverage" in reader
    assert main_without_banner(preview) == main_without_banner(reader)
    assert json_ld(preview) == json_ld(reader)
    assert "Preview — published" in preview
    assert BANNER not in preview


@pytest.mark.parametrize(
    ("status", "publish_in", "banner"),
    [
        (Article.Status.IN_REVIEW, None, "In review: readers cannot see this article."),
        (Article.Status.ARCHIVED, -DAY, "Archived: readers cannot see this article."),
        (Article.Status.PUBLISHED, DAY, "Scheduled: readers will see it from"),
    ],
)
def test_staff_preview_shows_articles_in_any_state(staff, status, publish_in, banner):
    publish_at = timezone.now() + publish_in if publish_in else None
    article = ArticleFactory(status=status, publish_at=publish_at)
    response = staff("Writers").get(preview_url(article))
    assert response.status_code == 200
    assert article.title in response.text
    assert banner in response.text
    assert BANNER in response.text


def test_staff_preview_relates_only_published_articles(staff, draft, other_draft, country):
    live = PublishedArticleFactory(title="Live coverage of the talks", countries=[country])
    response = staff("Editors").get(preview_url(draft))
    assert live.title in response.text
    assert_shows_nothing_of(response, other_draft)


def test_anonymous_visitor_is_sent_to_log_in_and_sees_nothing(client, draft):
    response = client.get(preview_url(draft))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert "next=" in response["Location"]
    assert_shows_nothing_of(client.get(preview_url(draft), follow=True), draft)


@pytest.mark.parametrize(
    ("groups", "perms", "is_staff"),
    [
        ((), (), True),  # staff without article permissions
        (("Summit desk",), (), True),
        ((), ("view_article", "change_article"), False),  # not staff
    ],
)
def test_users_who_may_not_open_articles_get_not_found(staff, draft, groups, perms, is_staff):
    response = staff(*groups, perms=perms, is_staff=is_staff).get(preview_url(draft))
    assert response.status_code == 404
    assert_shows_nothing_of(response, draft)


def test_staff_preview_of_a_missing_article_is_not_found(staff):
    assert staff("Editors").get("/en/preview/999999/").status_code == 404


# Shared links


def test_shared_link_shows_a_draft_without_a_login(client, draft, other_draft):
    link = preview_link_create(article=draft, user=None)
    response = client.get(share_url(link))

    assert response.status_code == 200
    for text in [draft.title, draft.body, "Min-jun Park", BANNER, NOINDEX, "works until"]:
        assert text in response.text, text
    assert_private(response)
    # Read-only, and nothing else: no way into the admin, no other draft.
    assert "/admin/" not in response.text
    # The only form is the site's search box, as on every reader page.
    assert response.text.count("<form") == 1
    assert '<form class="site-search" method="get" action="/en/search/"' in response.text
    assert_shows_nothing_of(response, other_draft)


def test_shared_link_has_one_address_and_follows_the_latest_save(client, draft):
    link = preview_link_create(article=draft, user=None, days=3)
    url = share_url(link)
    link.refresh_from_db()
    assert share_url(link) == url
    assert link.expires_at == link.created_at + 3 * DAY

    draft.title = "Water talks in Astana, revised"
    draft.save()
    assert "Water talks in Astana, revised" in client.get(url).text


def test_expired_withdrawn_and_deleted_links_are_gone(client, draft):
    expired = expire(preview_link_create(article=draft, user=None))
    withdrawn = preview_link_revoke(link=preview_link_create(article=draft, user=None))
    deleted = preview_link_create(article=draft, user=None)
    deleted_url = share_url(deleted)
    deleted.delete()

    for url in [share_url(expired), share_url(withdrawn), deleted_url]:
        response = client.get(url)
        assert response.status_code == 410, url
        assert GONE in response.text
        assert NOINDEX in response.text
        assert_private(response)
        assert_shows_nothing_of(response, draft)


def test_withdrawing_twice_keeps_the_first_time(draft):
    link = preview_link_revoke(link=preview_link_create(article=draft, user=None))
    first = link.revoked_at
    assert preview_link_revoke(link=link).revoked_at == first


def test_no_token_outlives_the_longest_link(client, draft, monkeypatch):
    """The signature's age is checked even if the row says the link still works."""
    link = preview_link_create(article=draft, user=None, days=PreviewLink.MAX_DAYS)
    url = share_url(link)
    PreviewLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() + 365 * DAY)
    real_time = time.time

    monkeypatch.setattr(time, "time", lambda: real_time() + 29 * 86400)
    assert client.get(url).status_code == 200

    monkeypatch.setattr(time, "time", lambda: real_time() + 30 * 86400 + 60)
    response = client.get(url)
    assert response.status_code == 410
    assert_shows_nothing_of(response, draft)


def tampered(token: str) -> list[str]:
    value, stamp, signature = token.split(":")
    other = "A" if signature[5] != "A" else "B"
    return [
        f"{value}:{stamp}:{signature[:5]}{other}{signature[6:]}",
        f"{value}:{stamp}:{signature[:-1]}",
        f"{value[:-2]}{value[-1]}{value[-2]}:{stamp}:{signature}",
        f"{value}:{signing.b62_encode(signing.b62_decode(stamp) + 86400)}:{signature}",
        f"{value}:{signature}",
        value,
        "",
        "x:y:z",
        "é:é:é",
        "%00",
    ]


def test_tampered_and_foreign_tokens_are_not_found(client, draft):
    link = preview_link_create(article=draft, user=None)
    payload = {"link": link.token_id.hex, "article": draft.pk}
    tokens = [
        *tampered(preview_token(link)),
        signing.dumps(payload, salt="journal.other"),
        signing.dumps(payload),
        signing.Signer(salt=SALT).sign_object(payload),
    ]
    for token in tokens:
        if not token:
            continue
        response = client.get(token_url(token))
        assert response.status_code == 404, token
        assert_shows_nothing_of(response, draft)
        assert GONE not in response.text


@pytest.mark.parametrize(
    "payload",
    [[], "text", 7, {"link": "not-a-uuid", "article": 1}, {"link": 7, "article": 1}, {}],
)
def test_odd_payloads_signed_by_us_are_not_found(payload):
    token = signing.TimestampSigner(salt=SALT).sign_object(payload)
    with pytest.raises(InvalidPreviewToken):
        preview_link_for_token(token)


def test_a_link_for_one_article_never_opens_another(client, draft, other_draft):
    link = preview_link_create(article=draft, user=None)
    value, stamp, signature = preview_token(link).split(":")
    # Point the payload at the other article, without and with a valid signature.
    forged_value = signing.b64_encode(
        f'{{"link":"{link.token_id.hex}","article":{other_draft.pk}}}'.encode()
    ).decode()
    resigned = signing.TimestampSigner(salt=SALT).sign_object(
        {"link": link.token_id.hex, "article": other_draft.pk}
    )
    assert client.get(token_url(f"{forged_value}:{stamp}:{signature}")).status_code == 404
    response = client.get(token_url(resigned))
    assert response.status_code == 410
    assert_shows_nothing_of(response, other_draft)
    with pytest.raises(PreviewLinkGone):
        preview_link_for_token(resigned)


def test_deleting_the_article_deletes_its_links(client, draft):
    link = preview_link_create(article=draft, user=None)
    url = share_url(link)
    draft.delete()
    assert not PreviewLink.objects.exists()
    assert client.get(url).status_code == 410


# The model and the service


@pytest.mark.parametrize("days", [0, -1, PreviewLink.MAX_DAYS + 1])
def test_links_work_for_one_to_thirty_days(draft, days):
    with pytest.raises(ValidationError):
        preview_link_create(article=draft, user=None, days=days)
    assert not PreviewLink.objects.exists()


def test_a_link_longer_than_thirty_days_is_refused_by_the_model(draft):
    now = timezone.now()
    link = PreviewLink(article=draft, created_at=now, expires_at=now + 31 * DAY)
    with pytest.raises(ValidationError) as error:
        link.full_clean()
    assert "expires_at" in error.value.message_dict


def test_a_link_must_expire_after_it_is_made(draft):
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        PreviewLink.objects.create(article=draft, created_at=now, expires_at=now - DAY)


def test_active_links_leave_out_expired_and_withdrawn(draft):
    working = preview_link_create(article=draft, user=None)
    expire(preview_link_create(article=draft, user=None))
    preview_link_revoke(link=preview_link_create(article=draft, user=None))
    assert list(PreviewLink.objects.active()) == [working]
    assert str(working).startswith(f"Preview link for “{draft.title}” until ")


# The admin


def links_url(article) -> str:
    return reverse("admin:journal_article_preview_links", args=[article.pk])


def revoke_url(article) -> str:
    return reverse("admin:journal_article_preview_link_revoke", args=[article.pk])


def test_article_admin_has_the_preview_tools():
    assert isinstance(admin.site._registry[Article], PreviewAdminMixin), (
        "Add PreviewAdminMixin to the bases of ArticleAdmin."
    )


def test_change_page_has_preview_and_share_buttons_and_keeps_history(staff, draft):
    response = staff("Editors").get(reverse("admin:journal_article_change", args=[draft.pk]))
    assert response.status_code == 200
    assert f'href="{preview_url(draft)}"' in response.text
    assert f'href="{links_url(draft)}"' in response.text
    assert reverse("admin:journal_article_history", args=[draft.pk]) in response.text


def test_editor_makes_a_link_and_a_guest_opens_it(staff, draft, client):
    editor = staff("Editors")
    assert editor.get(links_url(draft)).status_code == 200

    response = editor.post(links_url(draft), {"days": "3"})
    assert response.status_code == 302
    link = PreviewLink.objects.get()
    assert link.article == draft
    assert link.created_by == editor.user
    assert link.expires_at - link.created_at == 3 * DAY

    page = editor.get(links_url(draft))
    url = re.search(r'value="(http://testserver/en/preview/s/[^"]+)"', page.text).group(1)
    assert url == f"http://testserver{share_url(link)}"
    assert "works until" in page.text
    assert draft.title in client.get(url).text


@pytest.mark.parametrize("days", ["0", "31", "", "week"])
def test_admin_refuses_a_link_of_the_wrong_length(staff, draft, days):
    response = staff("Editors").post(links_url(draft), {"days": days})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not PreviewLink.objects.exists()


def test_editor_withdraws_a_link_and_it_stops_working(staff, draft, client):
    editor = staff("Editors")
    link = preview_link_create(article=draft, user=None)
    url = share_url(link)
    other = preview_link_create(article=draft, user=None)

    assert editor.get(revoke_url(draft)).status_code == 405
    response = editor.post(revoke_url(draft), {"link": str(link.token_id)})
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert PreviewLink.objects.get(pk=other.pk).revoked_at is None
    assert share_url(other).split("/")[-2] in editor.get(links_url(draft)).text
    assert client.get(url).status_code == 410


def test_a_link_cannot_be_withdrawn_through_another_article(staff, draft, other_draft):
    link = preview_link_create(article=draft, user=None)
    staff("Editors").post(revoke_url(other_draft), {"link": str(link.token_id)})
    link.refresh_from_db()
    assert link.revoked_at is None


def test_sharing_takes_the_right_to_change_the_article(staff, draft):
    link = preview_link_create(article=draft, user=None)
    change_page = reverse("admin:journal_article_change", args=[draft.pk])
    for client in [staff(), staff("Summit desk")]:
        assert client.get(links_url(draft)).status_code == 403
        assert client.post(links_url(draft), {"days": "7"}).status_code == 403
        assert client.post(revoke_url(draft), {"link": str(link.token_id)}).status_code == 403
    assert PreviewLink.objects.get() == link
    link.refresh_from_db()
    assert link.revoked_at is None

    # A writer may share their own draft, not someone else's.
    writer = staff("Writers")
    assert writer.get(links_url(draft)).status_code == 403
    assert writer.post(links_url(draft), {"days": "7"}).status_code == 403
    page = writer.get(change_page)
    assert f'href="{preview_url(draft)}"' in page.text
    assert f'href="{links_url(draft)}"' not in page.text
    own = ArticleFactory()
    own.created_by = writer.user
    own.save()
    assert writer.post(links_url(own), {"days": "7"}).status_code == 302
    assert own.preview_links.count() == 1


def test_anonymous_visitors_are_sent_to_the_admin_login(client, draft):
    for response in [client.get(links_url(draft)), client.post(links_url(draft), {"days": "7"})]:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    assert not PreviewLink.objects.exists()


# Query budgets: fixed, however much the article shows.

PREVIEW_BUDGETS = {
    # session, user, the user's and their groups' permissions; then as the
    # article page, keeping nothing: article, its tags (one query), bylines,
    # corrections; related: ranking, articles, their bylines; its translations.
    "article_preview": 12,
    # the link; then as the article page.
    "article_share_preview": 9,
}


@pytest.mark.parametrize("name", PREVIEW_BUDGETS)
def test_preview_queries_stay_within_budget(staff, client, commit, django_assert_num_queries, name):
    world = World()
    Article.objects.filter(pk=world.subject.pk).update(status=Article.Status.DRAFT)
    if name == "article_preview":
        client = staff("Editors")
        url = preview_url(world.subject)
    else:
        url = share_url(preview_link_create(article=world.subject, user=None))
    with commit():
        world.grow(FEW)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200

    with commit():
        world.grow(MANY - FEW)
    with django_assert_num_queries(PREVIEW_BUDGETS[name]) as many:
        response = client.get(url)

    assert response.text.count('class="byline-name"') == MANY + 1
    assert response.text.count('<article class="card') == 4
    assert len(few) == len(many), [query["sql"] for query in few.captured_queries]
