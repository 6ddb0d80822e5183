"""Keyboard-only journeys in headless Chromium: search, filter, open a resource, with a visible
focus indicator on the way; and, on a phone and a laptop, ticking filters in two groups without
the page changing under the person, then applying them. Ticking never reloads the page, with
JavaScript or without: "Apply filters" does (docs/decisions/0015-finder-on-a-phone.md)."""

import re

import pytest

from tests.browser.conftest import PHONE, SCREENS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUS_YELLOW = "rgb(255, 235, 59)"

# A keyboard user heads for what they see: down the page with Tab, back up with Shift+Tab.
IS_ABOVE_FOCUS = """selector => {
    const target = document.querySelector(selector);
    const focused = document.activeElement;
    return Boolean(target && focused && focused !== document.body
        && focused.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_PRECEDING);
}"""
FOCUS_STYLE = """() => {
    const style = getComputedStyle(document.activeElement);
    return {
        background: style.backgroundColor,
        outlineStyle: style.outlineStyle,
        outlineWidth: style.outlineWidth,
        outlineColor: style.outlineColor,
    };
}"""


def tab_to(page, selector, *, limit=300):
    key = "Shift+Tab" if page.evaluate(IS_ABOVE_FOCUS, selector) else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate("selector => document.activeElement.matches(selector)", selector):
            return
    pytest.fail(f"{limit} presses of {key} on {page.url} never reached {selector}")


def focused_text(page):
    return page.evaluate("document.activeElement.textContent").strip()


def assert_focus_is_visible(page):
    style = page.evaluate(FOCUS_STYLE)
    visible_outline = (
        style["outlineStyle"] != "none"
        and style["outlineWidth"] != "0px"
        and style["outlineColor"] not in {"transparent", "rgba(0, 0, 0, 0)"}
    )
    assert style["background"] == FOCUS_YELLOW or visible_outline, (
        f"“{focused_text(page)}” has focus but no visible focus indicator: {style}"
    )


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_keyboard_user_can_search_filter_and_open_a_resource(catalogue, new_page, javascript):
    page = new_page(javascript=javascript)
    page.goto("/")

    page.keyboard.press("Tab")
    assert focused_text(page) == "Skip to main content"
    assert page.locator(".skip-link").is_visible()
    assert page.locator(".skip-link").bounding_box()["x"] >= 0, (
        "the focused skip link is off screen"
    )
    assert_focus_is_visible(page)

    tab_to(page, ".site-nav a")
    assert focused_text(page) == "Find resources"
    assert_focus_is_visible(page)

    tab_to(page, "#home-search")
    page.keyboard.type("health equity")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#finder-search").input_value() == "health equity"

    audience = "details.filter:has(#audience-commissioners)"
    tab_to(page, f"{audience} > summary")
    if not page.locator(audience).evaluate("details => details.open"):
        page.keyboard.press("Enter")
    tab_to(page, "#audience-commissioners")
    page.keyboard.press("Space")
    assert page.locator("#audience-commissioners").is_checked()

    tab_to(page, ".filter-actions button")
    assert focused_text(page) == "Apply filters"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "audience=commissioners" in page.url
    assert page.locator("#audience-commissioners").is_checked()
    assert page.locator(".chip", has_text="Audience: Commissioners").is_visible()
    assert page.locator(".result").count() > 0

    tab_to(page, ".result__title a")
    title = focused_text(page)
    assert_focus_is_visible(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert re.search(r"/resources/[\w-]+/$", page.url)
    assert page.locator("h1").inner_text() == title


IS_IN_FILTERS = "() => Boolean(document.activeElement.closest('.filter-panel'))"


def tab_within_filters(page, selector):
    """tab_to, failing if focus leaves the filter panel on the way."""
    key = "Shift+Tab" if page.evaluate(IS_ABOVE_FOCUS, selector) else "Tab"
    for _ in range(100):
        page.keyboard.press(key)
        assert page.evaluate(IS_IN_FILTERS), f"focus left the filters for “{focused_text(page)}”"
        if page.evaluate("selector => document.activeElement.matches(selector)", selector):
            return
    pytest.fail(f"100 presses of {key} on {page.url} never reached {selector}")


def tick(page, checkbox):
    """Tick with the space bar: the page stays, and so does focus."""
    url = page.url
    page.keyboard.press("Space")
    page.wait_for_timeout(300)  # time for a script to submit the form, were there one
    assert page.locator(checkbox).is_checked()
    assert page.url == url
    assert page.evaluate("selector => document.activeElement.matches(selector)", checkbox)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
@pytest.mark.parametrize("screen", SCREENS.values(), ids=SCREENS.keys())
def test_keyboard_user_ticks_filters_in_two_groups_then_applies_them(
    catalogue, new_page, screen, javascript
):
    page = new_page(screen=screen, javascript=javascript)
    page.goto("/resources/?q=health")
    toggle = page.locator(".filter-panel__toggle")
    if screen == PHONE:
        assert toggle.inner_text() == "Filter"  # a search is not a filter
        assert not page.get_by_role("button", name="Apply filters").is_visible()
        tab_to(page, ".filter-panel__toggle")
        assert_focus_is_visible(page)
        page.keyboard.press("Enter")
        assert page.get_by_role("button", name="Apply filters").is_visible()
    else:
        assert not toggle.is_visible(), "on a wide screen the filters are always open"
        tab_to(page, ".filter-panel input")

    tab_within_filters(page, "#characteristic-race")
    tick(page, "#characteristic-race")
    audience = "details.filter:has(#audience-commissioners)"
    tab_within_filters(page, f"{audience} > summary")
    if not page.locator(audience).evaluate("details => details.open"):
        page.keyboard.press("Enter")
    tab_within_filters(page, "#audience-commissioners")
    tick(page, "#audience-commissioners")
    assert page.locator("#characteristic-race").is_checked()

    tab_within_filters(page, ".filter-actions button")
    assert focused_text(page) == "Apply filters"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "audience=commissioners" in page.url and "characteristic=race" in page.url
    chips = page.locator(".applied .chip")
    assert chips.filter(has_text="Audience: Commissioners").is_visible()
    assert chips.filter(has_text="Protected characteristic: Race").is_visible()
    heading = page.locator("#results-heading").inner_text()
    assert "about Race, for commissioners" in heading
    assert page.title().startswith(heading.split(" ")[0] + " resource")
    if screen == PHONE:
        assert toggle.inner_text() == "Filter (2 chosen)"
        assert page.locator(".result").first.is_visible()
