"""PostgreSQL only: an index that answers "addresses starting with …" (the admin's search for a
site or a part of one, resources.admin.searching), which the unique index on the normalised
address cannot under a collation other than C."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS resource_address_prefix ON resources_resource "
    "(normalised_url varchar_pattern_ops)"
)
DROP = "DROP INDEX IF EXISTS resource_address_prefix"


def run(statement):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("resources", "0032_search_words")]

    operations = [migrations.RunPython(run(CREATE), run(DROP))]
