"""PostgreSQL-only search indexes: a GIN index on the weighted vector, trigram indexes for
misspellings. SQLite has its own search path (resources/search.py) and skips these."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = [
    "CREATE INDEX IF NOT EXISTS resource_search_vector_gin ON resources_resource USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS resource_title_trgm ON resources_resource USING gin (title gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS resource_search_vector_gin", "DROP INDEX IF EXISTS resource_title_trgm"]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("resources", "0003_search_fields")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(run(INDEXES), run(DROP)),
    ]
