"""Kept copies of saved views' lists (docs/decisions/0020-kept-copies.md): `keeping.py` (making
one, frozen, numbered, within the cap), `changes.py` (what the live view has gained and lost
since), `exporting.py` (a copy as CSV, RIS or BibTeX, from its own items)."""

from resources.kept_copies.changes import Changes, changes_since
from resources.kept_copies.exporting import export_rows, frozen_vocabularies
from resources.kept_copies.keeping import MAX_ITEMS, TooLarge, keep_copy

__all__ = [
    "MAX_ITEMS",
    "Changes",
    "TooLarge",
    "changes_since",
    "export_rows",
    "frozen_vocabularies",
    "keep_copy",
]
