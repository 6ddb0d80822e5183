"""Any finder view, taken away: CSV for spreadsheets, RIS and BibTeX for reference managers.

Exports stream and are not capped: the header goes before any row is read, then the rows a
chunk at a time, so a view of 100,000 resources never sits in memory and the download starts
at once. On PostgreSQL the rows come from one statement through a server-side cursor (rows.py),
and a CSV's lines are written by the database itself (csv_in_postgres.py); elsewhere, from model
instances in chunks. See docs/decisions/0010-feeds-and-exports.md.
"""

from resources.exports.rows import Row, exportable
from resources.exports.streaming import in_pieces, pieces
from resources.exports.writers import (
    DIRECTORY_NAME,
    FILENAME_START,
    FORMATS,
    Context,
    filename,
)

__all__ = [
    "DIRECTORY_NAME",
    "FILENAME_START",
    "FORMATS",
    "Context",
    "Row",
    "exportable",
    "filename",
    "in_pieces",
    "pieces",
]
