"""Each resource's term ids kept on its row (PostgreSQL): `resources_resource.term_ids`, an
array of the ids of its terms and of every broader term above them, with a GIN index.

With it, one pass over a view's rows counts every vocabulary's options, a broader term's count
(resources tagged with it or anything narrower) included: each row is counted once under each id
in its array. Without it, counting joined every term link of the view and built the view's id
set once for the terms and again for the broader terms. Why the column is not a model field,
and what keeps it in step: docs/decisions/0025-term-ids-on-rows.md.

SQLite has no such column: filtering.py and facets.py count through the term links there.
"""

from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from resources.models import Resource
from taxonomy.models import Term

RESOURCES = Resource._meta.db_table
LINKS = Resource.terms.through._meta.db_table
TERMS = Term._meta.db_table

# The ids to keep for the resources picked out by a subquery: each term a resource is tagged
# with and every term broader than it, once each, in order.
WRITE_TERM_IDS = f"""
WITH RECURSIVE broader (term_id, id) AS (
    SELECT id, id FROM {TERMS}
    UNION
    SELECT broader.term_id, term.parent_id
    FROM broader JOIN {TERMS} term ON term.id = broader.id
    WHERE term.parent_id IS NOT NULL
)
UPDATE {RESOURCES} SET term_ids = ARRAY(
    SELECT DISTINCT broader.id
    FROM {LINKS} link JOIN broader ON broader.term_id = link.term_id
    WHERE link.resource_id = {RESOURCES}.id
    ORDER BY 1
)
WHERE {RESOURCES}.id IN ({{resources}})
"""


def has_term_ids():
    """Whether the database keeps term ids on the resources' rows (PostgreSQL does)."""
    return connection.vendor == "postgresql"


def write_term_ids(resources):
    """Bring the kept term ids of `resources` (a queryset of Resource) in step with their terms
    and the terms' broader terms: one UPDATE, whatever their number. Nothing on SQLite."""
    if not has_term_ids():
        return
    sql, params = resources.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(WRITE_TERM_IDS.format(resources=sql), params)


def broader_terms():
    """{term id: its id and the ids of every term broader than it}, for writing term ids as rows
    are made (resources.synthetic) rather than with write_term_ids after: one query."""
    parents = dict(Term.objects.values_list("pk", "parent_id"))
    chains = {}
    for pk in parents:
        chain, above = [pk], parents[pk]
        while above is not None and above not in chain:
            chain.append(above)
            above = parents.get(above)
        chains[pk] = chain
    return chains


def term_ids_of(term_pks, broader):
    """The term ids to keep on a row tagged with `term_pks`, as write_term_ids writes them,
    as array text; `broader` is broader_terms()."""
    return as_array({pk for term_pk in term_pks for pk in broader[term_pk]})


def as_array(ids):
    """`ids` as the text of a PostgreSQL array: psycopg's own adaptation of a list checks each
    element against a regular expression (see resources.finder.ids)."""
    return "{" + ",".join(map(str, sorted(ids))) + "}"


def tagged_with_any(term_ids):
    """A condition on Resource: tagged with one of `term_ids` (or with a term narrower than one
    of them), read from the kept term ids, which the GIN index answers."""
    return RawSQL(
        f'"{RESOURCES}"."term_ids" && %s::bigint[]',
        [as_array(term_ids)],
        output_field=BooleanField(),
    )


def count_term_ids(views):
    """{number: {term id: resources}} for each of `views` ({number: a queryset of Resource}),
    from one statement: each view's rows are read once and counted under every id they keep, so
    a broader term's count is of the resources tagged with it or with anything narrower."""
    parts, params = [], []
    for number, resources in views.items():
        if resources.query.is_empty():
            continue  # a view known to hold nothing (`.none()`) has no SQL; its counts are 0
        kept = resources.order_by().values(ids=RawSQL(f'"{RESOURCES}"."term_ids"', []))
        sql, view_params = kept.query.sql_with_params()
        parts.append(
            f"SELECT {int(number)} AS base, option, COUNT(*) AS count"
            f" FROM ({sql}) AS view, unnest(view.ids) AS option GROUP BY option"
        )
        params += view_params
    counts = {number: {} for number in views}
    if not parts:
        return counts
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for base, option, count in cursor.fetchall():
            counts[base][option] = count
    return counts
