"""Librarians and editors read the link checker's reports (it writes them; nobody edits them)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["view_linkcheck", "view_linkcheckrun"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("resources")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="resources", codename__in=CODENAMES)
    for group in Group.objects.filter(name__in=["Librarian", "Editor"]):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="resources", codename__in=CODENAMES)
    for group in Group.objects.filter(name__in=["Librarian", "Editor"]):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [("resources", "0007_link_checks")]

    operations = [migrations.RunPython(grant, revoke)]
