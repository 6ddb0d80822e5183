"""Loading a million synthetic resources into PostgreSQL in minutes: COPY instead of INSERT, the
resource table's own indexes built once at the end instead of kept up to date row by row, and
no per-row foreign-key checks where the role may switch them off
(docs/decisions/0024-building-at-scale.md). SQLite takes the ordinary bulk_create path."""

import multiprocessing
import queue
import time
from contextlib import contextmanager

from django.db import connection

from resources.models import Resource
from resources.search.indexing import weighted_vector

# Adding fewer resources than this keeps the indexes in place: rebuilding them over the whole
# table would cost more than keeping them up to date for a few rows.
SET_ASIDE_FROM = 20_000
STAGING = "synthetic_resources"  # a temporary table, dropped when the load commits


def copy_resources(resources, term_ids):
    """COPY the resources in, with ids taken from the table's own sequence beforehand (COPY
    returns none) and every column as the generator set it (created_at, updated_at and the
    search text too) with the `term_ids` to keep on each (resources.term_ids, as array text),
    through a staging table so that the search vector is computed on the way in: one write per
    row, rather than a second one to index it."""
    table = connection.ops.quote_name(Resource._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [Resource._meta.db_table, len(resources)],
        )
        for resource, (pk,) in zip(resources, cursor.fetchall(), strict=True):
            resource.pk = pk
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGING} (LIKE {table} INCLUDING DEFAULTS) "
            "ON COMMIT DROP"
        )
        cursor.execute(f"TRUNCATE {STAGING}")
    fields = [field for field in Resource._meta.concrete_fields if field.name != "search_vector"]
    columns = [field.attname for field in fields]
    copy_rows(
        STAGING,
        [*columns, "term_ids"],
        (
            [*(getattr(resource, column) for column in columns), kept]
            for resource, kept in zip(resources, term_ids, strict=True)
        ),
    )
    columns.append("term_ids")
    listed = ", ".join(connection.ops.quote_name(column) for column in columns)
    vector = weighted_vector("title", "search_keywords", "search_text", "summary")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({listed}, search_vector) "
            f"SELECT {listed}, {vector} FROM {STAGING}"
        )


def copy_rows(table, columns, rows):
    quote = connection.ops.quote_name
    statement = f"COPY {quote(table)} ({', '.join(map(quote, columns))}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


@contextmanager
def indexes_set_aside(*, say, enabled=True):
    """Inside a transaction: drop the resource table's indexes other than its primary key and
    unique constraints, and build them again on leaving (a unique index too, which checks its
    rows as it is built). Building a GIN index once over a million rows is several times quicker
    than keeping it up to date while they go in (docs/performance.md). If the load fails, the
    transaction's rollback brings the indexes back. Also skips the per-row foreign-key checks
    when the role may (a superuser: session_replication_role); the generator takes every id it
    links to from the database."""
    if not enabled or connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = %s AND indexname NOT IN (SELECT conname FROM pg_constraint) "
            "ORDER BY indexname",
            [Resource._meta.db_table],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        cursor.execute("SELECT current_setting('is_superuser') = 'on'")
        unchecked = cursor.fetchone()[0]
        if unchecked:
            cursor.execute("SET LOCAL session_replication_role = replica")
    say(f"Set aside {len(indexes)} indexes of the resource table while loading.")
    yield
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")  # fewer passes for a GIN
        # CREATE INDEX refuses while checks of earlier writes wait for the commit: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for _, definition in indexes:
            cursor.execute(definition)
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # as Django declares its foreign keys
        if unchecked:
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")
    say(f"Built {len(indexes)} indexes again in {time.perf_counter() - started:.1f} s.")


def made_in_background(make, *, timeout=1):
    """The items of the iterable `make()` returns, made in a forked process while this one uses
    the ones before: generating rows is Python, writing them is mostly PostgreSQL's work, so
    the two overlap on two cores. The child touches no database; it leaves with os._exit (as
    multiprocessing's forked processes do), so it never closes the connection it inherited."""
    context = multiprocessing.get_context("fork")
    items = context.Queue(maxsize=4)

    def produce():
        for item in make():
            items.put(item)
        items.put(None)

    process = context.Process(target=produce, daemon=True)
    process.start()
    try:
        while True:
            try:
                item = items.get(timeout=timeout)
            except queue.Empty:
                if not process.is_alive():
                    raise RuntimeError(
                        "The process making rows stopped early: see its error above."
                    ) from None
                continue
            if item is None:
                break
            yield item
    finally:
        if process.is_alive():
            process.terminate()
        process.join()


def vacuum_resources():
    """Writing the search data left a dead version of each new row: mark the space reusable and
    the pages all-visible, so counting can use index-only scans (PostgreSQL, outside a
    transaction; a test's transaction skips it)."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM {connection.ops.quote_name(Resource._meta.db_table)}")
        return True
    return False


@contextmanager
def no_statement_timeout():
    """Lift the statement timeout the settings give every PostgreSQL connection, for one bulk
    load: it is there for pages, and building an index over a million rows takes minutes."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET statement_timeout")
