"""A complete record as a clinician meets it, on a phone and on a desktop: who wrote it and how
to cite it, an organisation whose work passed to two others, and a characteristic filter that can
bring in the general resources."""

import pytest

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_accessibility import assert_no_wcag_violations, open_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MARMOT_REVIEW = "/resources/marmot-review-10-years-on/"
PUBLIC_HEALTH_ENGLAND = "/organisations/public-health-england/"


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_a_complete_record_reads_well_at_both_widths(catalogue, new_page, size):
    page = new_page()
    page.set_viewport_size(size)

    open_page(page, MARMOT_REVIEW)
    authors = page.locator("dt", has_text="Written by").locator("xpath=following-sibling::dd")
    assert authors.inner_text().startswith("Marmot, Michael; Allen, Jessica")
    citation = page.get_by_label("Citation (select and copy)").input_value()
    assert citation.startswith("Marmot, Michael, Allen, Jessica, Boyce, Tammy")
    assert "Institute of Health Equity." in citation
    assert_no_wcag_violations(page)

    open_page(page, PUBLIC_HEALTH_ENGLAND)
    succession = page.locator(".inset", has_text="work passed to")
    assert succession.get_by_role(
        "link", name="Office for Health Improvement and Disparities"
    ).is_visible()
    assert succession.get_by_role("link", name="UK Health Security Agency").is_visible()
    assert_no_wcag_violations(page)

    open_page(page, "/resources/?characteristic=race")
    race_only = page.locator(".result").count()
    if size == PHONE:  # the filters are behind their control
        page.locator(".filter-panel__toggle").click()
    page.get_by_label("All characteristics (general)", exact=False).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Apply filters").click()
    assert "characteristic=everyone" in page.url
    assert "about All characteristics (general) or Race" in page.locator("main").inner_text()
    assert page.locator(".result").count() >= race_only
    assert_no_wcag_violations(page)
