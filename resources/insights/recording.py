"""Counting what people look for: a view notes what its page was about, and after the answer
is made RecordInsights (middleware.py) counts it; tallying.py gathers counts and write() adds
them to the day's rows with one upsert. Nothing here reads the session, sets a cookie or
changes the response; nothing that identifies a person is kept."""

import logging
from dataclasses import dataclass

from django.db import connection

from resources.finder import clean_text
from resources.models import InsightCount, InsightKind, InsightSpan

logger = logging.getLogger(__name__)

MAX_SUBJECT_LENGTH = InsightCount._meta.get_field("subject").max_length
ROBOT_WORDS = ("bot", "crawler", "spider")


@dataclass(frozen=True)
class Insight:
    """What one page was about: small and picklable, so a cached response can carry it."""

    kind: str
    subject: str
    result_count: int | None = None


def normalised(text):
    """A search as counted: what prints, in lower case, spaces collapsed."""
    cleaned, _ = clean_text(text)
    return cleaned.lower()


def note(request, kind, subject, result_count=None):
    """Mark `request` as one to count (no I/O: RecordInsights writes it once answered)."""
    kind = InsightKind(kind)
    subject = normalised(subject) if kind == InsightKind.SEARCH else str(subject)
    if len(subject) > MAX_SUBJECT_LENGTH:
        return  # a view this long is nobody's habit: not worth a column that wide
    request.insight = Insight(kind.value, subject, result_count)


def is_robot(request):
    agent = request.headers.get("User-Agent", "").lower()
    return any(word in agent for word in ROBOT_WORDS)


def should_record(request, response):
    """A page meant for a person, answered as the view meant: 200 (the click-through's 302)."""
    insight = getattr(request, "insight", None)
    if insight is None or request.method != "GET" or is_robot(request):
        return False
    expected = 302 if insight.kind == InsightKind.CLICK else 200
    return response.status_code == expected


def write(counts):
    """Add `counts` ({(kind, subject, day): [count, empty_count, result_count]}) to the daily
    rows in one INSERT … ON CONFLICT DO UPDATE, the same upsert on SQLite (3.24 and later) and
    PostgreSQL, in key order so that two processes writing together lock rows in one order.

    On PostgreSQL the statement also turns off synchronous commit for its own transaction
    (set_config(…, true) lasts until that commit): the page does not wait for the counts to
    reach the disk (0.4 ms instead of 2.7 ms, measured in docs/decisions/0021-insights.md),
    and a crash loses at most the last fraction of a second of counts, never anything else.

    No savepoint: RecordInsights runs outside any transaction (the project has no
    ATOMIC_REQUESTS, and with it Django's transaction ends with the view, before middleware
    sees the response), so a failed write is one failed statement in autocommit and cannot
    leave PostgreSQL refusing the request's other work; and the write costs one query."""
    table = connection.ops.quote_name(InsightCount._meta.db_table)
    columns = "kind, subject, span, day, count, empty_count, result_count"
    row = "(%s, %s, %s, %s, %s, %s, %s)"
    if connection.vendor == "postgresql":
        row = "(%s, %s, %s, %s::date, %s::integer, %s::integer, %s::integer)"
    rows = ", ".join([row] * len(counts))
    if connection.vendor == "postgresql":
        source = (
            f"SELECT counted.* FROM (VALUES {rows}) AS counted ({columns})"
            " CROSS JOIN (SELECT set_config('synchronous_commit', 'off', true)) AS deferred"
        )
    else:
        source = f"VALUES {rows}"
    sql = (
        f"INSERT INTO {table} ({columns}) {source}"
        " ON CONFLICT (kind, subject, span, day)"
        f" DO UPDATE SET count = {table}.count + excluded.count,"
        f" empty_count = {table}.empty_count + excluded.empty_count,"
        " result_count = excluded.result_count"
    )
    params = []
    for (kind, subject, day), (count, empty_count, result_count) in sorted(
        counts.items(), key=lambda item: item[0]
    ):
        params += [kind, subject, InsightSpan.DAY, day, count, empty_count, result_count]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def write_quietly(counts):
    """write(), with any failure logged instead of raised: counting never breaks a page (a
    database that is away, a pool with no connection to spare, a full disk). What it held is
    lost, so a database that is away does not make each process hoard counts."""
    try:
        write(counts)
    except Exception:
        kinds = ", a ".join(sorted({kind for kind, _, _ in counts}))
        logger.warning("Could not count a %s", kinds, exc_info=True)
