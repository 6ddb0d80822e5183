"""Ways in by role, in a real browser with the shipped catalogue: a nurse finds where to start
from the home page, on a phone and on a laptop, and a curator reorders the start-here picks in
the admin and sees the page follow."""

import re
from dataclasses import dataclass

import pytest
from django.urls import reverse

from resources.models import WayIn
from resources.views.ways_in import audience_count
from tests.browser.conftest import SCREENS
from tests.browser.test_accessibility import SCROLLS_SIDEWAYS, assert_no_wcag_violations, open_page
from tests.browser.test_history_and_conflicts import save, sign_in_to_the_admin
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@dataclass(frozen=True)
class Role:
    url: str
    name: str
    pick_titles: list
    finder_count: int
    admin_url: str


@pytest.fixture
def nurses(catalogue):
    """The shipped nurses' page, read before the browser starts (Django refuses database work
    while Playwright runs)."""
    way_in = WayIn.objects.published().get(term__slug="nurses")
    picks = [pick.resource.title for pick in way_in.picks.select_related("resource")]
    return Role(
        url=way_in.get_absolute_url(),
        name=way_in.term.name,
        pick_titles=picks,
        finder_count=audience_count(way_in.term),
        admin_url=reverse("admin:resources_wayin_change", args=[way_in.pk]),
    )


@pytest.mark.parametrize("screen", SCREENS.values(), ids=SCREENS.keys())
def test_a_nurse_finds_where_to_start_from_the_home_page(nurses, new_page, screen):
    page = new_page(screen=screen)
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    open_page(page, "/")
    # In the main navigation from a tablet's width up; a phone keeps it to one line.
    by_role = page.get_by_role("navigation", name="Main").get_by_role("link", name="By role")
    assert by_role.is_visible() is (screen["width"] >= 640)
    with page.expect_navigation():
        page.get_by_role("main").get_by_role("link", name="Ways in by role").click()
    assert page.locator("h1").inner_text() == "Ways in by role"
    assert_no_wcag_violations(page)
    assert page.evaluate(SCROLLS_SIDEWAYS) is False

    with page.expect_navigation():
        page.get_by_role("link", name=nurses.name, exact=True).click()
    assert page.url.endswith(nurses.url)
    assert page.locator("h1").inner_text() == nurses.name
    start_here = page.locator("#start-here + p + ol .result__title")
    assert start_here.all_inner_texts() == nurses.pick_titles
    assert_no_wcag_violations(page)
    assert page.evaluate(SCROLLS_SIDEWAYS) is False

    with page.expect_navigation():
        start_here.first.get_by_role("link").click()
    assert page.locator("h1").inner_text() == nurses.pick_titles[0]
    with page.expect_navigation():
        page.go_back()
    assert page.url.endswith(nurses.url)

    everything = page.get_by_role(
        "link",
        name=re.compile(rf"All {nurses.finder_count} resources? for “{re.escape(nurses.name)}”"),
    )
    with page.expect_navigation():
        everything.click()
    assert page.url.endswith("/resources/?audience=nurses")
    heading = page.locator("#results-heading").inner_text()
    assert heading.startswith(f"{nurses.finder_count} resource")
    assert page.locator(".result").count() == nurses.finder_count
    assert errors == []


def test_a_role_page_works_without_javascript(nurses, new_page):
    page = new_page(javascript=False, screen=SCREENS["phone"])
    open_page(page, nurses.url)
    assert page.locator("#start-here + p + ol .result__title").count() == len(nurses.pick_titles)


@pytest.fixture
def editor(catalogue):
    return make_user(groups=["Editor"]).username


def test_a_curator_reorders_the_picks_and_the_page_follows(nurses, editor, new_page):
    page = new_page()
    sign_in_to_the_admin(page, editor)
    page.goto(nurses.admin_url)
    last = len(nurses.pick_titles) - 1
    page.locator(f"input[name='picks-{last}-position']").fill("0")
    save(page)
    assert "was changed successfully" in page.locator(".messagelist").inner_text()

    open_page(page, nurses.url)
    titles = page.locator("#start-here + p + ol .result__title").all_inner_texts()
    assert titles == [nurses.pick_titles[last], *nurses.pick_titles[:last]]
