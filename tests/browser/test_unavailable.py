"""While the database is away, a visitor's browser shows the site's own 503 page: styled, with
its heading, and as accessible as every other page (docs/decisions/0016-failing-well.md)."""

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper

from tests.browser.test_accessibility import assert_no_wcag_violations, open_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def refuse(self, *args, **kwargs):
    """Every query fails as on a refused connection. (Not ensure_connection: the live server
    shares the test's open SQLite connection, which Django checks at each request's start.)"""
    raise OperationalError("connection refused")


def test_without_its_database_the_site_shows_a_styled_accessible_503_page(new_page, monkeypatch):
    page = new_page()
    with monkeypatch.context() as away:
        away.setattr(BaseDatabaseWrapper, "_cursor", refuse)
        open_page(page, "/resources/?q=equity", status=503)  # also checks site.css loaded
        assert page.locator("h1").inner_text() == "The directory is unavailable for a moment"
        assert page.get_by_role("link", name="Find resources").is_visible()
        assert_no_wcag_violations(page)
