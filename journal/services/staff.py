"""Who may log in to the admin: *Staff status* follows the newsroom's groups.

Django lets into the admin only accounts whose Staff status is ticked, and
the newsroom's roles are groups (Writers, Editors, Summit desk, created by
the migrations). So that an administrator need not remember both, the status
follows the groups whenever they change, whichever way: the user form, a
group's members, `user.groups.set()` in a shell.

- Joining a newsroom group ticks Staff status of an active account (an
  inactive one is left as it is: reactivating it is a decision of its own).
- Leaving the last newsroom group unticks it, unless the account is a
  superuser, or still has another group or permissions of its own: then an
  administrator gave it other work in the admin, and it stays staff.
- Nothing else changes it. An administrator may tick it by hand for an
  account with other duties; unticking it while the account stays in a
  newsroom group holds until its groups change again (to keep someone out,
  untick *Active*).

The rule is applied to what an account has once the change commits
(journal/signals.py), so moving someone from Writers to another group in one
save counts the other group. Groups written without signals (a backup's
restore, raw SQL, deleting a group) leave Staff status as it was.
"""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import Exists, OuterRef

NEWSROOM_GROUPS = ("Writers", "Editors", "Summit desk")


def in_newsroom_group(user) -> bool:
    """Whether the account belongs to Writers, Editors or Summit desk."""
    return user.groups.filter(name__in=NEWSROOM_GROUPS).exists()


def staff_follow_groups(
    *,
    user_ids: Iterable[int],
    left_group_ids: Iterable[int] = (),
    using: str = DEFAULT_DB_ALIAS,
) -> dict[int, bool]:
    """Tick or untick Staff status of accounts whose groups changed; return what changed.

    `left_group_ids` are the groups the accounts were taken out of: only
    leaving a newsroom group can untick the status. Returns the new status
    of each account whose status changed.
    """
    User = get_user_model()
    memberships = User.groups.through.objects.using(using)
    with transaction.atomic(using=using):
        users = User._default_manager.db_manager(using).filter(pk__in=set(user_ids))
        in_newsroom = memberships.filter(user_id=OuterRef("pk"), group__name__in=NEWSROOM_GROUPS)
        changed = dict.fromkeys(
            users.filter(Exists(in_newsroom), is_staff=False, is_active=True).values_list(
                "pk", flat=True
            ),
            True,
        )
        left_groups = Group.objects.using(using).filter(pk__in=set(left_group_ids))
        if left_groups.filter(name__in=NEWSROOM_GROUPS).exists():
            other_work = Exists(memberships.filter(user_id=OuterRef("pk"))) | Exists(
                User.user_permissions.through.objects.using(using).filter(user_id=OuterRef("pk"))
            )
            leaving = users.filter(is_staff=True, is_superuser=False).exclude(other_work)
            changed.update(dict.fromkeys(leaving.values_list("pk", flat=True), False))
        for status in (True, False):
            if ids := [pk for pk, new in changed.items() if new is status]:
                User._default_manager.db_manager(using).filter(pk__in=ids).update(is_staff=status)
    return changed
