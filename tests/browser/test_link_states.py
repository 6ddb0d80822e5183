"""The link checker's findings where librarians work, in a real browser at a desk's width: a link
that failed but is not yet confirmed broken shows as failing, with its days, and can be filtered.
The check is recorded straight into the database; no test reaches the internet."""

import pytest

from resources.curation.link_checking import Result, record
from resources.models import LinkCheckRun, LinkStatus, Resource
from tests.browser.test_accessibility import open_page
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHANGELIST = "/admin/resources/resource/"


@pytest.fixture
def failing_link(catalogue):
    """A published resource whose address answered 404 once, and an Editor to look at it. Made
    before the browser starts: Django refuses database work while Playwright runs."""
    resource = Resource.objects.published().exclude(url="").order_by("title").first()
    run = LinkCheckRun.objects.create()
    record(run, resource, Result(url=resource.url, outcome=LinkStatus.BROKEN, status_code=404))
    make_user(username="editor", groups=["Editor"])
    return resource


def sign_in_to_the_admin(page):
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("a-long-test-password")
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()


def test_a_failing_link_shows_on_the_admin_changelist_and_can_be_filtered(failing_link, new_page):
    page = new_page()
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in_to_the_admin(page)
    page.goto(CHANGELIST + "?o=1")
    row = page.locator("#result_list tbody tr", has_text=failing_link.title)
    assert "Failing (1 day)" in row.inner_text()
    assert "Not checked yet" not in row.inner_text()

    choice = page.locator("#changelist-filter").get_by_role(
        "link", name="Failing, not confirmed yet"
    )
    with page.expect_navigation():
        choice.click()
    titles = page.locator("#result_list tbody th a").all_inner_texts()
    assert titles == [failing_link.title]
    cell = page.locator("#result_list tbody tr").get_by_text("Failing (1 day)")
    cell.scroll_into_view_if_needed()
    assert cell.is_visible()

    open_page(page, failing_link.get_absolute_url())
    text = page.locator("main").inner_text()
    assert "did not work" in text
    assert "not checked" not in text.lower()
