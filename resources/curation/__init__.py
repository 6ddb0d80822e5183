"""The librarians' work on the catalogue outside the public pages: the draft → review → published
flow (workflow.py), spreadsheet import and export (spreadsheets/), link checking, coverage, merging
terms, and building the shipped catalogue's fixture (catalogue_fixture.py)."""
