"""The finder on a phone (390 px wide) and a laptop: results first, the filters behind a
"Filter (n chosen)" control that opens and closes without JavaScript, chosen filters as chips
that remove one each, and a skip link to the results (issue 13)."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_accessibility import SCROLLS_SIDEWAYS, open_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IS_IN_FIRST_SCREEN = """element => {
    const box = element.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= window.innerHeight;
}"""


def search_from_home(page, words):
    page.goto("/")
    page.locator("#home-search").fill(words)
    with page.expect_navigation():
        page.locator("#home-search").press("Enter")


def test_first_result_is_on_the_first_screen_after_a_search_on_a_phone(catalogue, new_page):
    page = new_page(screen=PHONE)
    search_from_home(page, "health equity")
    first = page.locator(".result__title").first
    assert first.evaluate(IS_IN_FIRST_SCREEN), (
        f"the first result's title is at {first.bounding_box()} on a 390 x 844 screen"
    )
    assert page.locator(".filter-panel__toggle").is_visible()
    assert not page.get_by_role("button", name="Apply filters").is_visible()


def test_wide_screen_shows_the_filters_beside_the_results_without_a_control(catalogue, new_page):
    page = new_page(screen=DESKTOP)
    search_from_home(page, "health equity")
    assert not page.locator(".filter-panel__toggle").is_visible()
    assert page.get_by_role("heading", name="Filter", exact=True).is_visible()
    assert page.get_by_role("button", name="Apply filters").is_visible()
    filters = page.locator(".finder__filters").bounding_box()
    results = page.locator(".finder__results").bounding_box()
    assert filters["x"] + filters["width"] <= results["x"]
    assert abs(filters["y"] - results["y"]) < 1


def test_phone_filters_open_and_close_and_chips_remove_one_filter_without_javascript(
    catalogue, new_page
):
    page = new_page(screen=PHONE, javascript=False)
    open_page(page, "/resources/?q=health")
    toggle = page.locator(".filter-panel__toggle")
    apply = page.get_by_role("button", name="Apply filters")
    toggle.click()
    assert apply.is_visible()
    toggle.click()
    assert not apply.is_visible()

    toggle.click()
    page.locator("#characteristic-race").check()
    page.locator("#characteristic-disability").check()
    with page.expect_navigation():
        apply.click()
    assert toggle.inner_text() == "Filter (2 chosen)"
    assert not apply.is_visible(), "after applying, the results come first again"
    chip = page.locator(".applied .chip", has_text="Protected characteristic: Race")
    first_result = page.locator(".result").first.bounding_box()
    assert chip.bounding_box()["y"] < first_result["y"]
    assert "about Disability or Race" in page.locator("#results-heading").inner_text()

    with page.expect_navigation():
        chip.click()
    assert "characteristic=disability" in page.url and "race" not in page.url
    assert toggle.inner_text() == "Filter (1 chosen)"
    assert "q=health" in page.url


def test_skip_link_takes_a_keyboard_user_past_the_filters_to_the_results(catalogue, new_page):
    page = new_page(screen=PHONE)
    open_page(page, "/resources/?q=health+equity")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link", has_text="Skip to results")
    assert skip.evaluate("link => link === document.activeElement")
    assert skip.evaluate(IS_IN_FIRST_SCREEN)
    page.keyboard.press("Enter")
    heading = page.locator("#results-heading")
    assert heading.evaluate("heading => heading === document.activeElement")
    expect(heading).to_be_in_viewport(ratio=1)


def test_public_pages_do_not_scroll_sideways_at_400_percent_zoom(catalogue, new_page, subtests):
    """A 1280 px screen zoomed to 400% is 320 CSS pixels wide (WCAG 1.4.10, reflow)."""
    page = new_page(screen={"width": 320, "height": 640})
    for path in (
        "/",
        "/resources/?q=health+equity&audience=commissioners",
        catalogue.resource.url,
        catalogue.organisation.url,
        catalogue.term.url,
        "/suggest/",
        "/accessibility/",
    ):
        with subtests.test(path=path):
            open_page(page, path)
            assert page.evaluate(SCROLLS_SIDEWAYS) is False
