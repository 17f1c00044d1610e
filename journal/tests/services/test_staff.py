"""Staff status follows the newsroom groups, whichever way the groups change."""

import pytest
from django.contrib.auth.models import Group

from journal.services.staff import NEWSROOM_GROUPS
from journal.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def group(name: str) -> Group:
    return Group.objects.get(name=name)


@pytest.fixture
def newcomer(db):
    """An account an administrator has just made: no group, not staff."""
    return UserFactory(username="newcomer", is_staff=False)


def staff_status(user) -> bool:
    user.refresh_from_db(fields=["is_staff"])
    return user.is_staff


def test_the_newsroom_groups_are_those_the_migrations_make():
    assert set(Group.objects.filter(name__in=NEWSROOM_GROUPS).values_list("name", flat=True)) == {
        "Writers",
        "Editors",
        "Summit desk",
    }


@pytest.mark.parametrize("name", NEWSROOM_GROUPS)
def test_joining_a_newsroom_group_makes_an_account_staff(commit, newcomer, name):
    with commit():
        newcomer.groups.add(group(name))
    assert newcomer.is_staff  # the account in hand too: a later save keeps it
    assert staff_status(newcomer)


def test_members_added_to_a_group_become_staff(commit, newcomer):
    other = UserFactory(is_staff=False)
    with commit():
        group("Writers").user_set.add(newcomer, other)
    assert staff_status(newcomer) and staff_status(other)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_groups_set_in_a_shell_make_an_account_staff_and_take_it_away():
    # No test transaction around it: each call commits, as in `manage.py shell`.
    newcomer = UserFactory(is_staff=False)
    newcomer.groups.set([group("Summit desk")])
    assert newcomer.is_staff and staff_status(newcomer)
    newcomer.groups.set([])
    assert not newcomer.is_staff and not staff_status(newcomer)


def test_leaving_the_last_newsroom_group_ends_staff_status(commit, newcomer):
    with commit():
        newcomer.groups.set([group("Writers"), group("Editors")])
    with commit():
        newcomer.groups.remove(group("Writers"))
    assert staff_status(newcomer)
    with commit():
        newcomer.groups.remove(group("Editors"))
    assert not staff_status(newcomer)
    assert not newcomer.is_staff


@pytest.mark.parametrize(
    "leave",
    [
        lambda user: user.groups.clear(),
        lambda user: user.groups.set([]),
        lambda user: group("Writers").user_set.remove(user),
        lambda user: group("Writers").user_set.clear(),
    ],
    ids=["groups.clear", "groups.set", "user_set.remove", "user_set.clear"],
)
def test_every_way_of_leaving_ends_staff_status(commit, newcomer, leave):
    with commit():
        newcomer.groups.add(group("Writers"))
    with commit():
        leave(newcomer)
    assert not staff_status(newcomer)


def test_a_superuser_keeps_staff_status(commit):
    boss = UserFactory(is_superuser=True, groups=["Editors"])
    with commit():
        boss.groups.clear()
    assert staff_status(boss)


def test_an_account_with_other_work_keeps_staff_status(commit):
    archivist = Group.objects.create(name="Archivists")
    moved = UserFactory(groups=["Writers"])
    with commit():
        moved.groups.set([archivist])  # out of Writers and into Archivists in one go
    assert staff_status(moved)

    trusted = UserFactory(groups=["Writers"], perms=["view_article"])
    with commit():
        trusted.groups.clear()
    assert staff_status(trusted)


def test_staff_status_given_by_hand_is_left_alone(commit, newcomer):
    # Made staff by an administrator for other duties, without a newsroom group.
    newcomer.is_staff = True
    newcomer.save()
    archivist = Group.objects.create(name="Archivists")
    with commit():
        newcomer.groups.add(archivist)
    with commit():
        newcomer.groups.remove(archivist)
    assert staff_status(newcomer)


def test_an_inactive_account_joining_a_group_is_not_made_staff(commit):
    dormant = UserFactory(is_active=False, is_staff=False)
    with commit():
        dormant.groups.add(group("Writers"))
    assert not staff_status(dormant)
