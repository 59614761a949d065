"""Create the newsroom roles as groups: Journalist and Editor.

Journalists add incidents (with places, weapon lines and sources) and edit
their own drafts; editors may also publish, unpublish and retract
(`incidents.publish_incident`) and edit anything. Which incidents a journalist
may edit is decided per object in incidents.permissions.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

JOURNALIST = [
    "add_incident",
    "change_incident",
    "view_incident",
    "add_incidentlocation",
    "change_incidentlocation",
    "delete_incidentlocation",
    "view_incidentlocation",
    "add_weaponline",
    "change_weaponline",
    "delete_weaponline",
    "view_weaponline",
    "add_source",
    "change_source",
    "delete_source",
    "view_source",
    "add_location",
    "change_location",
    "view_location",
    "view_weaponmodel",
]
EDITOR = [*JOURNALIST, "publish_incident", "add_weaponmodel", "change_weaponmodel"]


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure the
    # ones the groups need exist now.
    app_config = apps.get_app_config("incidents")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("Journalist", JOURNALIST), ("Editor", EDITOR)):
        group, _ = Group.objects.get_or_create(name=name)
        perms = Permission.objects.filter(
            content_type__app_label="incidents", codename__in=codenames
        )
        missing = set(codenames) - set(perms.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Permissions not found: {sorted(missing)}")
        group.permissions.add(*perms)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=["Journalist", "Editor"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("incidents", "0003_add_history"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
