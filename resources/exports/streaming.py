"""An export as the pieces of a streamed response: the header first, before any row is read (so
a spreadsheet's download starts at once whatever the view's size), then a piece a chunk of
rows as the database gives them."""

from itertools import islice

from django.db import connections

from resources.exports.csv_in_postgres import csv_line_chunks
from resources.exports.rows import exportable_chunks

LINES_PER_WRITE = 100  # lines joined into one piece, where rows come one at a time


def pieces(export, queryset, vocabularies, context):
    """The view's export, streamed: no row is read until the header has gone."""
    if header := export.header(context):
        yield header
    if export.extension == "csv" and connections[queryset.db].vendor == "postgresql":
        yield from csv_line_chunks(queryset, context)
        return
    for rows in exportable_chunks(queryset, vocabularies):
        yield "".join(export.write_rows(rows, context))


def in_pieces(lines, size=LINES_PER_WRITE):
    """Lines joined a hundred at a time: fewer, larger writes to the client."""
    lines = iter(lines)
    while piece := "".join(islice(lines, size)):
        yield piece
