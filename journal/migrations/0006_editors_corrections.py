"""Editors append corrections to published articles."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["add_correction", "change_correction", "delete_correction", "view_correction"]


def grant(apps, schema_editor):
    journal = apps.get_app_config("journal")
    journal.models_module = True
    create_permissions(journal, apps=apps, verbosity=0)
    journal.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        *Permission.objects.filter(content_type__app_label="journal", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for editors in Group.objects.filter(name="Editors"):
        editors.permissions.remove(
            *Permission.objects.filter(content_type__app_label="journal", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [("journal", "0005_unguessable_hero_names")]

    operations = [migrations.RunPython(grant, revoke)]
