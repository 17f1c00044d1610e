"""What the journal's tests share: the world readers meet, the newsroom's accounts, admin rows."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from journal.models import ArticleEvent, ArticleSlugHistory, Contributor, Correction, LibraryImage
from journal.tests.factories import PASSWORD, BylineFactory, ContributorFactory, UserFactory
from summits.tests.factories import (
    CountryFactory,
    FrameworkFactory,
    ParticipantFactory,
    central_asia,
)


@pytest.fixture
def world(db):
    """Central Asia as the journal covers it, before any article is written.

    summits' `central_asia()` (`kz` … `uz`, `countries`, `us`, `c5`, `summit`),
    the Central Asia plus Japan Dialogue (`japan`, no members yet), and two
    writers: `aigerim`, Aigerim Sadykova of the staff, and `park`, Min-jun
    Park, a guest.
    """
    world = central_asia()
    world.japan = FrameworkFactory(
        name="Central Asia plus Japan Dialogue",
        short_name="CA+JAD",
        slug="central-asia-japan",
        partner=CountryFactory(code="JP"),
    )
    world.aigerim = ContributorFactory(name="Aigerim Sadykova", slug="aigerim-sadykova")
    world.park = ContributorFactory(
        name="Min-jun Park", slug="min-jun-park", kind=Contributor.Kind.GUEST
    )
    return world


@pytest.fixture
def make_user(db):
    """A staff account in the given groups: `make_user("aigerim", "Editors")`."""

    def make(name=None, *groups, **fields):
        if name is not None:
            fields["username"] = name
        return UserFactory(groups=groups, **fields)

    return make


@pytest.fixture
def editor(make_user):
    return make_user("editor", "Editors")


@pytest.fixture
def writer(make_user):
    return make_user("writer", "Writers")


@pytest.fixture
def desk(db):
    """A superuser who logs in through the login page, as `desk` with `PASSWORD`."""
    return UserFactory(username="desk", password=PASSWORD, is_superuser=True)


@pytest.fixture
def staff(make_user):
    """A browser of its own, logged in as a new staff account in the given groups.

    `staff("Editors")`, `staff("Writers", perms=["view_article"])`, or `staff()`
    for an account in no group; the account is `client.user`.
    """

    def log_in(*groups, **fields) -> Client:
        client = Client()
        client.user = make_user(None, *groups, **fields)
        client.force_login(client.user)
        return client

    return log_in


@pytest.fixture
def one_of_each(admin_user):
    """A saved row for every model in the admin."""
    country = CountryFactory()
    participant = ParticipantFactory(country=country, summit__host_country=country)
    byline = BylineFactory(article__countries=[country])
    login = {"user_agent": "Firefox", "http_accept": "text/html", "path_info": "/admin/login/"}
    return {
        "country": country,
        "framework": participant.summit.framework,
        "summit": participant.summit,
        "participant": participant,
        "article": byline.article,
        "contributor": byline.contributor,
        "byline": byline,
        "correction": Correction.objects.create(article=byline.article, text="Fixed a date."),
        "articleslughistory": ArticleSlugHistory.objects.create(
            article=byline.article, old_slug="an-old-address"
        ),
        "articleevent": ArticleEvent.objects.create(
            article=byline.article, action=ArticleEvent.Action.SUBMITTED, user=admin_user
        ),
        "libraryimage": LibraryImage.objects.create(
            image="images/2026/01/ministers.png", width=40, height=30, alt_text="Ministers"
        ),
        "user": admin_user,
        "group": Group.objects.first(),
        # Login throttling's records (django-axes).
        "accessattempt": AccessAttempt.objects.create(
            username="desk", ip_address="192.0.2.7", failures_since_start=2, **login
        ),
        "accesslog": AccessLog.objects.create(username="desk", ip_address="192.0.2.7", **login),
        "accessfailurelog": AccessFailureLog.objects.create(
            username="desk", ip_address="192.0.2.7", **login
        ),
        # Two-factor devices (django-otp).
        "totpdevice": TOTPDevice.objects.create(user=admin_user, name="Phone", confirmed=False),
    }
