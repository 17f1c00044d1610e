"""Create the newsroom's groups with their permissions.

Editors work on the publication and may only look at the diplomatic record
(they need that to tag articles); the summit desk keeps the record and has no
access to articles.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ALL = ["add", "change", "delete", "view"]

GROUPS = {
    "Editors": {
        "journal": {"article": ALL, "contributor": ALL, "byline": ALL},
        "summits": {
            "country": ["view"],
            "framework": ["view"],
            "summit": ["view"],
            "participant": ["view"],
        },
    },
    "Summit desk": {
        "summits": {"country": ALL, "framework": ALL, "summit": ALL, "participant": ALL},
    },
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations have run; make
    # sure they exist now so the groups can be given them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, apps_perms in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for app_label, models in apps_perms.items():
            for model_name, actions in models.items():
                codenames = [f"{action}_{model_name}" for action in actions]
                group.permissions.add(
                    *Permission.objects.filter(
                        content_type__app_label=app_label, codename__in=codenames
                    )
                )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("journal", "0001_initial"),
        ("summits", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
