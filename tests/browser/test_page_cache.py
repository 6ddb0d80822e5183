"""Kept pages as people meet them (resources/page_cache.py): a visitor's search is answered from
the cache, a resource an editor publishes in the admin shows in that search on the visitor's
next look, and the editor, signed in, always sees their own page."""

import pytest

from resources.models import Resource, ResourceStatus
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_link_states import sign_in_to_the_admin
from tests.factories import make_resource, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEARCH = "/resources/?q=kept+pages+walk"
TITLE = "Kept pages walk: tackling inequalities in outpatient care"


@pytest.fixture
def draft(catalogue):
    """A resource in review that only a search for its own words finds, and an Editor who may
    publish it. Made
    before the browser starts: Django refuses database work while Playwright runs."""
    make_user(username="editor", groups=["Editor"])
    publisher = Resource.objects.published().exclude(publisher=None).first().publisher
    return make_resource(title=TITLE, status=ResourceStatus.IN_REVIEW, publisher=publisher)


def kept_state(new_page, url, *, screen=PHONE):
    """Open `url` as a new visitor (nothing in their browser's cache): the page cache's state and
    the page's main text."""
    page = new_page(screen=screen)
    response = page.goto(url)
    assert response.status == 200
    return response.headers.get("x-page-cache"), page.locator("main").inner_text()


def test_a_resource_published_in_the_admin_shows_in_a_kept_search_at_once(draft, new_page):
    state, text = kept_state(new_page, SEARCH)
    assert state == "miss"
    assert TITLE not in text
    assert kept_state(new_page, SEARCH, screen=DESKTOP)[0] == "hit"
    visitor = new_page(screen=PHONE)
    visitor.goto(SEARCH)

    editor = new_page(screen=DESKTOP)
    sign_in_to_the_admin(editor)
    editor.goto(f"/admin/resources/resource/?status__exact={ResourceStatus.IN_REVIEW}")
    editor.locator("#result_list tbody tr", has_text=TITLE).get_by_role("checkbox").check()
    editor.locator("select[name=action]").select_option(label="Publish selected resources")
    with editor.expect_navigation():
        editor.get_by_role("button", name="Go").click()
    assert "1 resource moved to published" in editor.locator(".messagelist").inner_text()

    state, text = kept_state(new_page, SEARCH)
    assert state == "miss"
    assert TITLE in text
    assert kept_state(new_page, SEARCH, screen=DESKTOP)[0] == "hit"
    # A visitor who had the old page and reloads it gets the new one (their browser asks with
    # If-None-Match; the ETag has changed).
    visitor.reload()
    assert TITLE in visitor.locator("main").inner_text()

    # The editor, signed in, gets their own page from the same address, never the kept one.
    response = editor.goto(SEARCH)
    assert response.headers.get("x-page-cache") is None
    assert TITLE in editor.locator("main").inner_text()
    assert "Sign out" in editor.locator("header").inner_text()
    assert "Sign out" not in visitor.locator("header").inner_text()
