"""Spreadsheet import and export for the admin: one set of columns both ways (spreadsheet.py),
read cell by cell (cells.py, columns.py), row by row (reading.py, applying.py), from CSV or Excel
files (files.py)."""

from resources.curation.spreadsheets.files import FORMATS, SpreadsheetImportForm
from resources.curation.spreadsheets.spreadsheet import ResourceSpreadsheet

__all__ = ["FORMATS", "ResourceSpreadsheet", "SpreadsheetImportForm"]
