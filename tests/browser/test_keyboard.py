"""A keyboard-only journey in headless Chromium: search, filter, open a resource, with a
visible focus indicator on the way. With JavaScript the finder applies a ticked filter at
once and moves focus to the result count; without it the "Apply filters" button does the job."""

import re

import pytest

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

    audience = "details:has(#audience-commissioners)"
    tab_to(page, f"{audience} > summary")
    if not page.locator(audience).evaluate("details => details.open"):
        page.keyboard.press("Enter")
    tab_to(page, "#audience-commissioners")
    if javascript:
        with page.expect_navigation():
            page.keyboard.press("Space")
    else:
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
