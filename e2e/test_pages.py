"""Every public page type and the admin pages we customised, in a real browser.

On each: no console error, uncaught exception or CSP violation; no WCAG 2.2
A/AA violation that axe-core finds. Public pages are also photographed at
375 and 1280 px wide (test-artifacts/screenshots/) and must not scroll
sideways at 320 px.
"""

from functools import partial
from io import StringIO

import pytest
import reversion
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from reversion.models import Version

from journal.models import Article, Contributor, LibraryImage
from journal.services.previews import preview_link_create, preview_token
from summits.models import Summit

from .admin import log_in, png
from .browser import axe_violations, horizontal_overflow, screenshot

ARTICLE = "c5-plus-1-marks-ten-years-with-white-house-summit"


@pytest.fixture
def demo_site(reference_data, make_user):
    """The demo journal: ten articles with illustrations, five contributors."""
    call_command("load_demo_content", stdout=StringIO())
    return make_user("desk-chief", is_superuser=True)


def public_pages(editor) -> dict[str, tuple[str, int]]:
    """Page name: (address, expected status), one of each kind readers can reach."""
    article = Article.objects.get(slug=ARTICLE)
    link = preview_link_create(
        article=Article.objects.get(status=Article.Status.IN_REVIEW), user=editor
    )
    summit = article.summits.order_by("-sort_date").first()
    contributor = Contributor.objects.filter(photo__gt="").first()
    return {
        "home": ("/en/", 200),
        "article-list": ("/en/articles/", 200),
        "article-list-filtered": ("/en/articles/?country=kazakhstan&framework=c5-plus-1", 200),
        "article-list-bad-filter": ("/en/articles/?year=last&country=atlantis", 200),
        "article": (article.get_absolute_url(), 200),
        "country-list": ("/en/countries/", 200),
        "country": ("/en/countries/kazakhstan/", 200),
        "framework-list": ("/en/frameworks/", 200),
        "framework": ("/en/frameworks/c5-plus-1/", 200),
        "summit-list": ("/en/summits/", 200),
        "summit-list-filtered": ("/en/summits/?framework=c5-plus-1&year=2023", 200),
        "summit": (summit.get_absolute_url(), 200),
        "contributor-list": ("/en/contributors/", 200),
        "contributor": (contributor.get_absolute_url(), 200),
        "search": ("/en/search/", 200),
        "search-results": ("/en/search/?q=summit", 200),
        "search-misspelt": ("/en/search/?q=Kazahstan", 200),
        "shared-preview": (
            reverse("journal:article_share_preview", kwargs={"token": preview_token(link)}),
            200,
        ),
        "shared-preview-gone": (
            reverse("journal:article_share_preview", kwargs={"token": "no-such-link"}),
            404,
        ),
        "not-found": ("/en/articles/no-such-article/", 404),
        # Hangul and Cyrillic: fonts, line breaking, long words at 320 px.
        "home-ko": ("/ko/", 200),
        "article-list-ko": ("/ko/articles/", 200),
        "article-ru": (article.address_in("ru"), 200),
        "country-ru": ("/ru/countries/kyrgyzstan/", 200),
        "summit-list-ru": ("/ru/summits/", 200),
        "summit-ko": ("/ko" + summit.get_absolute_url()[3:], 200),
    }


def test_public_pages(demo_site, open_page):
    pages = public_pages(demo_site)
    wide, narrow, narrowest = open_page(width=1280), open_page(width=375), open_page(width=320)
    failures = []
    for name, (address, status) in pages.items():
        response = wide.goto(address)
        assert response.status == status, f"{name}: {address} answered {response.status}"
        for line in axe_violations(wide):
            failures.append(f"{name} ({address}): {line}")
        screenshot(wide, name)
        narrow.goto(address)
        screenshot(narrow, name)
        narrowest.goto(address)
        for line in horizontal_overflow(narrowest):
            failures.append(f"{name} ({address}) at 320px: {line}")
        for page in (wide, narrow, narrowest):
            for problem in open_page.problems(page, page_status=status):
                failures.append(f"{name} ({address}): {problem}")
    assert not failures, "\n".join(failures)


def admin_pages(editor) -> dict[str, str]:
    """Page name: address, for the admin pages with templates, widgets or styles of ours."""
    article = Article.objects.get(slug=ARTICLE)
    preview_link_create(article=article, user=editor)
    # Two revisions to compare, and an image in the library.
    for title in (article.title, f"{article.title}, revised"):
        with reversion.create_revision():
            reversion.set_user(editor)
            article.title = title
            article.save()
    older, newer = Version.objects.get_for_object(article).order_by("pk")[:2]
    image = LibraryImage(alt_text="A map of Central Asia", caption="The five countries.")
    image.image.save("map.png", ContentFile(png()["buffer"]), save=False)
    image.uploaded_by = editor
    image.save()
    summit = Summit.objects.filter(participations__isnull=False).first()
    contributor = Contributor.objects.filter(photo__gt="").first()
    change = partial(reverse, args=[article.pk])
    return {
        "admin-dashboard": reverse("admin:index"),
        "admin-two-factor": reverse("admin:two_factor"),
        "admin-article-list": reverse("admin:journal_article_changelist"),
        "admin-article-add": reverse("admin:journal_article_add"),
        "admin-article-change": change("admin:journal_article_change"),
        "admin-article-preview": change("journal:article_preview"),
        "admin-preview-links": change("admin:journal_article_preview_links"),
        "admin-article-history": change("admin:journal_article_history"),
        "admin-article-compare": change("admin:journal_article_compare")
        + f"?a={older.pk}&b={newer.pk}",
        "admin-article-revision": reverse(
            "admin:journal_article_revision", args=[article.pk, older.pk]
        ),
        "admin-article-import": reverse("admin:journal_article_import"),
        "admin-contributor-change": reverse(
            "admin:journal_contributor_change", args=[contributor.pk]
        ),
        "admin-image-picker": reverse("admin:journal_libraryimage_picker") + "?CKEditorFuncNum=-1",
        "admin-library": reverse("admin:journal_libraryimage_changelist"),
        "admin-library-image": reverse("admin:journal_libraryimage_change", args=[image.pk]),
        "admin-summit-add": reverse("admin:summits_summit_add"),
        "admin-summit-change": reverse("admin:summits_summit_change", args=[summit.pk]),
    }


# Regions of Django's own admin markup, left out of the accessibility check:
# select2 (the admin's autocomplete widget) leaves its search box and combobox
# without a name and puts a <span> straight in a <ul>; tabular inlines name
# their inputs only by the column header above them.
DJANGO_ADMIN_MARKUP = [".select2-container", ".inline-group .tabular tbody"]


def test_admin_pages(demo_site, open_page):
    pages = admin_pages(demo_site)
    page = open_page()
    page.goto(reverse("admin:login"))
    failures = [f"admin-login: {line}" for line in axe_violations(page)]
    log_in(page, demo_site.get_username())
    for name, address in pages.items():
        response = page.goto(address)
        assert response.status == 200, f"{name}: {address} answered {response.status}"
        page.wait_for_load_state("networkidle")
        failures += [
            f"{name} ({address}): {line}"
            for line in axe_violations(page, exclude=DJANGO_ADMIN_MARKUP)
        ]
        failures += [f"{name} ({address}): {problem}" for problem in open_page.problems(page)]
    assert not failures, "\n".join(failures)
