"""The two curator roles, with the permissions each needs and no more.

Librarian: adds and edits resources, organisations, vocabularies, terms and keywords, and sends
resources for review. Nobody deletes in normal work: resources are archived instead.
Editor: everything a librarian can do, plus publish and archive resources and delete unused
terms, organisations and keywords.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

LIBRARIAN = [
    ("resources", "resource", ["add", "change", "view"]),
    ("resources", "organisation", ["add", "change", "view"]),
    ("taxonomy", "vocabulary", ["add", "change", "view"]),
    ("taxonomy", "term", ["add", "change", "view"]),
    ("taggit", "tag", ["add", "change", "view"]),
]
EDITOR_EXTRA = [
    ("resources", "resource", ["publish"]),
    ("resources", "organisation", ["delete"]),
    ("taxonomy", "term", ["delete"]),
    ("taggit", "tag", ["delete"]),
]


def codenames(grants):
    for app_label, model, verbs in grants:
        for verb in verbs:
            yield app_label, f"{verb}_{model}"


def create_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permissions(grants):
        return [
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
            for app_label, codename in codenames(grants)
        ]

    librarian, _ = Group.objects.get_or_create(name="Librarian")
    librarian.permissions.set(permissions(LIBRARIAN))
    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.set(permissions(LIBRARIAN + EDITOR_EXTRA))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Librarian", "Editor"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0001_initial"),
        ("taxonomy", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
