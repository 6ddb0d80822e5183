"""Paging the resource change list without counting the whole catalogue.

Counting every resource (or every match of a broad search) took longer than finding the page of
50 shown, and grows with the catalogue. So the change list counts no further than COUNTED_AT:
more than that is "more than 1,000", and the whole catalogue unfiltered is PostgreSQL's
own estimate of the table's rows, "about 1,000,000". Pages go as far as the counting did (20
pages of 50): a librarian narrows a search rather than reading page 300. Counting 1,000 of a
broad search's matches costs a few milliseconds; counting all of them grew with the catalogue.
"""

from django.core.paginator import Paginator
from django.db import connection
from django.utils.functional import cached_property

COUNTED_AT = 1_000


def estimated_rows(model):
    """PostgreSQL's estimate of the table's rows (kept by ANALYZE and autovacuum), or None
    where it has none: another database, or a table never analysed."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
            [model._meta.db_table],
        )
        row = cursor.fetchone()
    return row[0] if row and row[0] > 0 else None


class CappedCountPaginator(Paginator):
    """A Paginator whose count stops at COUNTED_AT; `described_count` says what it knows."""

    estimate = None  # the table's estimated rows, when unfiltered and more than COUNTED_AT
    is_capped = False  # more rows than COUNTED_AT, so `count` (the rows paged) is COUNTED_AT

    @cached_property
    def count(self):
        queryset = self.object_list
        if not queryset.query.has_filters():
            estimate = estimated_rows(queryset.model)
            if estimate is not None and estimate > COUNTED_AT:
                self.estimate, self.is_capped = estimate, True
                return COUNTED_AT
        counted = queryset.order_by()[: COUNTED_AT + 1].count()
        self.is_capped = counted > COUNTED_AT
        return min(counted, COUNTED_AT)

    @property
    def described_count(self):
        """ "1,234", "more than 1,000", or the whole table's estimate, "about 1,000,000"."""
        if self.estimate is not None:
            return f"about {self.estimate:,}"
        if self.is_capped:
            return f"more than {COUNTED_AT:,}"
        return f"{self.count:,}"
