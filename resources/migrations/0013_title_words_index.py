"""PostgreSQL only: a GIN index on the words of the title, so a broad search finds the titles
that contain every searched word from the index alone (resources.search.title_has_words)."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS resource_title_words ON resources_resource "
    "USING gin (to_tsvector('english'::regconfig, title))"
)
DROP = "DROP INDEX IF EXISTS resource_title_words"


def run(statement):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("resources", "0012_search_speed")]

    operations = [migrations.RunPython(run(CREATE), run(DROP))]
