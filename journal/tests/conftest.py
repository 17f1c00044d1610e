"""Fixtures the journal's tests share: the world readers meet, the newsroom's accounts."""

import pytest
from django.test import Client

from journal.models import Contributor
from journal.tests.factories import PASSWORD, ContributorFactory, UserFactory
from summits.tests.factories import CountryFactory, FrameworkFactory, central_asia


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
