"""Accounts and groups: Django's own admins, saying how the newsroom groups let people log in.

Staff status follows the newsroom groups (journal/services/staff.py); the
user form says so beside both fields. Both admins answer forged input as the
desks' do (GuardedAdminMixin).
"""

from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from summits.admin_guards import GuardedAdminMixin

User = get_user_model()

HELP_TEXTS = {
    "is_staff": _(
        "Whether the user may log in to the admin. Ticked by itself when the user joins "
        "Writers, Editors or Summit desk, and unticked when they leave the last of these, "
        "unless they are a superuser or have other groups or permissions of their own. "
        "To keep someone out, untick Active instead."
    ),
    "groups": _(
        "The user's roles. Writers, Editors and Summit desk are the newsroom's: joining one "
        "lets the user log in (it ticks Staff status), leaving the last one stops it. The user "
        "gets every permission of each of their groups."
    ),
}

admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(GuardedAdminMixin, auth_admin.UserAdmin):
    """Django's user admin, with the newsroom's rule for Staff status beside the field."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and db_field.name in HELP_TEXTS:
            field.help_text = HELP_TEXTS[db_field.name]
        return field


@admin.register(Group)
class GroupAdmin(GuardedAdminMixin, auth_admin.GroupAdmin):
    pass
