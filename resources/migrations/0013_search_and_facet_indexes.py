"""PostgreSQL only, two indexes for the finder at scale (docs/performance.md, round 4):

- the words of the title, so a broad search finds the titles that contain every searched word
  from the index alone (resources.search.title_has_words);
- the columns the facet counts read, beside each resource's id, so counting a view's types,
  access and publishers by id, or checking that a resource is published, reads this narrow
  index instead of the wide rows (resources.finder.among).
"""

from django.db import migrations

CREATE = [
    "CREATE INDEX IF NOT EXISTS resource_title_words ON resources_resource "
    "USING gin (to_tsvector('english'::regconfig, title))",
    "CREATE INDEX IF NOT EXISTS resource_facet_columns ON resources_resource (id) "
    "INCLUDE (status, kind, access, publisher_id, year_published)",
]
DROP = [
    "DROP INDEX IF EXISTS resource_title_words",
    "DROP INDEX IF EXISTS resource_facet_columns",
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("resources", "0012_search_speed")]

    operations = [migrations.RunPython(run(CREATE), run(DROP))]
