"""Backup and restore (make backup, make restore): the shipped catalogue round-trips, every
table as it was."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from resources.management.backups import suffix
from resources.models import SEARCH_COLUMNS, CatalogueVersion, Organisation, Resource

# What the restore makes again rather than copies: the catalogue's version moves on (so nothing
# cached before it is served), its counts are kept for the new version, and each resource's
# search data is written again (the order of its words, and so their positions in the search
# vector, follows the order the database returns keywords in, which a restore may change).
REFRESHED = {"resources_catalogueversion", "resources_cataloguesnapshot"}
REMADE_COLUMNS = {(Resource._meta.db_table, column) for column in SEARCH_COLUMNS}


def every_table():
    """{table: its rows, sorted} for every table in the database, with every column but the
    remade ones."""
    tables = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = [
                quote(column.name)
                for column in connection.introspection.get_table_description(cursor, table)
                if (table, column.name) not in REMADE_COLUMNS
            ]
            cursor.execute(f"SELECT {', '.join(columns)} FROM {quote(table)}")
            tables[table] = sorted(cursor.fetchall(), key=repr)
    return tables


def test_a_backup_restores_every_table_of_the_shipped_catalogue(transactional_db, tmp_path, client):
    call_command("load_catalogue", stdout=StringIO())
    before = every_table()
    version = CatalogueVersion.objects.get().number
    backup = tmp_path / f"directory-backup{suffix()}"
    call_command("backup_database", str(backup), stdout=StringIO())

    # Work lost after the backup: half the resources, every organisation's description.
    Resource.objects.filter(
        pk__in=list(Resource.objects.values_list("pk", flat=True))[::2]
    ).delete()
    Organisation.objects.update(description="Lost")
    assert every_table() != before

    out = StringIO()
    call_command("restore_database", str(backup), interactive=False, stdout=out)
    after = every_table()

    assert set(after) == set(before)
    differ = {table for table in before if after[table] != before[table]}
    assert differ <= REFRESHED, differ
    # The whole shipped catalogue was there (the tables Django fills, such as permissions, vary
    # with the tests run before this one, so they are not counted).
    assert len(before[Resource._meta.db_table]) == Resource.objects.count() > 200
    assert len(before["taggit_taggeditem"]) > 800
    assert CatalogueVersion.objects.get().number > version
    assert "Restored" in out.getvalue()
    # The restored catalogue is searchable.
    found = client.get("/resources/", {"q": "Marmot"})
    assert "Marmot" in found.content.decode()
    assert found.context["page"].paginator.count > 0


def test_restoring_a_file_that_is_not_there_restores_nothing(db):
    with pytest.raises(CommandError, match="There is no backup at /nowhere.dump"):
        call_command("restore_database", "/nowhere.dump", interactive=False)
