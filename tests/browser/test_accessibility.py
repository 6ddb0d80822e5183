"""WCAG 2.2 AA in a real browser: axe-core finds no violations on the public pages, as
headless Chromium renders them with the real stylesheet (colour contrast needs it), on a phone's
screen and a laptop's. Nothing scrolls sideways and the browser logs no error (a missing
favicon was one on every page)."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import SCREENS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# axe-core's rules for WCAG 2.0, 2.1 and 2.2 at levels A and AA (best practice not required).
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]}
NHS_BLUE = "rgb(0, 94, 184)"
FINDER_URL = "/resources/?q=health+equity&audience=commissioners"
READING_LIST_URL = "/resources/reading-list/?audience=commissioners"
EMBED_URL = "/resources/embed/?audience=commissioners&limit=5"
SCROLLS_SIDEWAYS = "document.documentElement.scrollWidth > document.documentElement.clientWidth"


def wcag_violations(page):
    return Axe().run(page, options=AXE_OPTIONS).response["violations"]


def describe(violations, targets_shown=3):
    lines = []
    for violation in violations:
        nodes = violation["nodes"]
        targets = ", ".join(" >>> ".join(node["target"]) for node in nodes[:targets_shown])
        more = f" and {len(nodes) - targets_shown} more" if len(nodes) > targets_shown else ""
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}\n"
            f"    at {targets}{more}\n    see {violation['helpUrl']}"
        )
    return "\n".join(lines)


def assert_no_wcag_violations(page):
    violations = wcag_violations(page)
    if violations:
        pytest.fail(
            f"axe-core found {len(violations)} WCAG 2.2 AA violation(s) on {page.url}:\n"
            + describe(violations)
        )


def open_page(page, path, *, status=200):
    response = page.goto(path)
    assert response.status == status, f"{path} answered {response.status}"
    header = page.locator(".site-header").evaluate(
        "header => getComputedStyle(header).backgroundColor"
    )
    assert header == NHS_BLUE, f"site.css did not load on {path}: the header is {header}"


def audit_copy_of_page_without_javascript(new_page, path, screen):
    """Open path with JavaScript off, open the filters if they are behind their control (on a
    phone), then return a tab that shows exactly what it rendered.

    axe-core needs JavaScript timers to finish, which never run in a page without
    JavaScript. So the audit tab gets the rendered page at the same address, with a
    Content-Security-Policy that stops every script of the page's own."""
    no_javascript = new_page(javascript=False, screen=screen)
    open_page(no_javascript, path)
    toggle = no_javascript.locator(".filter-panel__toggle")
    if toggle.is_visible():
        toggle.click()
    assert no_javascript.get_by_role("button", name="Apply filters").is_visible()
    assert no_javascript.get_by_role("button", name="Sort", exact=True).is_visible()
    assert no_javascript.locator("#audience-commissioners").is_checked()
    assert no_javascript.locator(".result").count() > 0
    rendered = no_javascript.content()
    audit = new_page(screen=screen)
    audit.route(
        lambda url: url == no_javascript.url,
        lambda route: route.fulfill(
            body=rendered,
            content_type="text/html; charset=utf-8",
            headers={"Content-Security-Policy": "script-src 'none'"},
        ),
    )
    open_page(audit, path)
    return audit


@pytest.mark.parametrize("screen", SCREENS.values(), ids=SCREENS.keys())
def test_public_pages_have_no_wcag_22_aa_violations(catalogue, new_page, subtests, screen):
    """One test a screen, one catalogue load (the slow part); each page reports as a subtest."""
    pages = {
        "home": ("/", 200, "Find resources on health inequalities"),
        "finder with a search and a filter": (FINDER_URL, 200, "Find resources"),
        "resource": (catalogue.resource.url, 200, catalogue.resource.heading),
        "organisation": (catalogue.organisation.url, 200, catalogue.organisation.heading),
        "term": (catalogue.term.url, 200, catalogue.term.heading),
        "suggest a resource": ("/suggest/", 200, "Suggest a resource"),
        "report a problem": (f"{catalogue.resource.url}report/", 200, "Report a problem"),
        "API for developers": ("/api/", 200, "API for developers"),
        "page not found": ("/resources/no-such-resource/", 404, "Page not found"),
        "reading list": (READING_LIST_URL, 200, "Reading list: Resources for commissioners"),
        "accessibility statement": ("/accessibility/", 200, "Accessibility statement"),
    }
    page = new_page(screen=screen)
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    for name, (path, status, heading) in pages.items():
        with subtests.test(name, path=path):
            errors.clear()
            open_page(page, path, status=status)
            assert heading in page.locator("h1").inner_text()
            assert_no_wcag_violations(page)
            assert page.evaluate(SCROLLS_SIDEWAYS) is False
            if status == 200:
                assert errors == [], f"the browser logged errors on {path}: {errors}"

    with subtests.test("embeddable list", path=EMBED_URL):
        response = page.goto(EMBED_URL)
        assert response.status == 200
        padding = page.locator(".embed").evaluate("main => getComputedStyle(main).padding")
        assert padding == "12px", f"embed.css did not load: the list's padding is {padding}"
        assert page.locator(".embed__item").count() == 5
        assert_no_wcag_violations(page)

    with subtests.test("finder without JavaScript", path=FINDER_URL):
        audit = audit_copy_of_page_without_javascript(new_page, FINDER_URL, screen)
        assert_no_wcag_violations(audit)

    with subtests.test("suggest a resource, sent with mistakes", path="/suggest/"):
        open_page(page, "/suggest/")
        page.get_by_label("Title").fill("")
        page.get_by_label("Web address (optional)").fill("ftp://example.org/report")
        with page.expect_navigation():
            page.get_by_role("button", name="Send suggestion").click()
        assert "There is a problem" in page.get_by_role("alert").inner_text()
        assert_no_wcag_violations(page)

    with subtests.test(
        "report a problem, sent with mistakes", path=f"{catalogue.resource.url}report/"
    ):
        open_page(page, f"{catalogue.resource.url}report/")
        with page.expect_navigation():
            page.get_by_role("button", name="Send report").click()
        assert "Choose what is wrong" in page.get_by_role("alert").inner_text()
        assert_no_wcag_violations(page)

    with subtests.test("suggestion received", path="/suggest/thanks/"):
        open_page(page, "/suggest/")
        page.get_by_label("Title").fill("A new guide to health equity audits")
        with page.expect_navigation():
            page.get_by_role("button", name="Send suggestion").click()
        assert page.locator("h1").inner_text() == "Thank you for your suggestion"
        assert_no_wcag_violations(page)
