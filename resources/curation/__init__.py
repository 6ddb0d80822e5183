"""The librarians' work on the catalogue outside the public pages: the draft → review → published
flow (workflow.py), spreadsheet import and export (spreadsheets/), link checking, coverage, merging
terms, reading the shipped catalogue's curated source (catalogue_source.py) and building its fixture
(catalogue_fixture.py), and measuring how complete it is (completeness.py)."""
