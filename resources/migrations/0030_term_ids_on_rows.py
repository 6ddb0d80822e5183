"""PostgreSQL only: each resource's term ids (its terms' and their broader terms') kept on its row
in an integer array with a GIN index, filled here once, and a narrow index holding what counting
reads of a row; resources.term_ids keeps it in step.
Not a model field: SQLite has no arrays and counts through the term links (see
docs/decisions/0025-term-ids-on-rows.md)."""

from django.db import migrations

FILL = """
WITH RECURSIVE broader (term_id, id) AS (
    SELECT id, id FROM taxonomy_term
    UNION
    SELECT broader.term_id, term.parent_id
    FROM broader JOIN taxonomy_term term ON term.id = broader.id
    WHERE term.parent_id IS NOT NULL
)
UPDATE resources_resource SET term_ids = ARRAY(
    SELECT DISTINCT broader.id
    FROM resources_resource_terms link JOIN broader ON broader.term_id = link.term_id
    WHERE link.resource_id = resources_resource.id
    ORDER BY 1
)
"""
# The indexes come before the rows are filled: an index built over rows already updated in place
# (HOT) is marked for transactions younger than it only, and on a shared server a long
# transaction elsewhere (a bulk load) then kept the planner from using it at all.
ADD = [
    "ALTER TABLE resources_resource ADD COLUMN IF NOT EXISTS term_ids bigint[] NOT NULL DEFAULT '{}'",
    "CREATE INDEX IF NOT EXISTS resource_term_ids_gin ON resources_resource USING gin (term_ids)",
    # What counting a view reads of each row, so a big view is counted from this narrow index
    # (an index-only scan) instead of the wide rows, which carry the search data.
    "CREATE INDEX IF NOT EXISTS resource_counted ON resources_resource (status)"
    " INCLUDE (term_ids, kind, publisher_id, access)",
    FILL,
]
DROP = [
    "DROP INDEX IF EXISTS resource_counted",
    "DROP INDEX IF EXISTS resource_term_ids_gin",
    "ALTER TABLE resources_resource DROP COLUMN IF EXISTS term_ids",
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("resources", "0029_insights")]

    operations = [migrations.RunPython(run(ADD), run(DROP))]
