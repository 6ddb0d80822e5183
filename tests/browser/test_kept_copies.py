"""Kept copies in a real browser, on a phone and a laptop: a team member opens the team's saved
view, keeps a copy, a resource then joins the view, and the copy's page still shows the list as
kept, says "1 added", passes axe, and downloads as CSV holding the kept list."""

import csv
import io
import os
from contextlib import contextmanager

import pytest
from django.contrib.auth.models import User
from django.db import connections

from resources.models import KeptCopy, Resource, SavedView, Team
from taxonomy.models import Term
from tests.browser.conftest import SCREENS
from tests.browser.test_accessibility import (
    SCROLLS_SIDEWAYS,
    assert_no_wcag_violations,
    open_page,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-browser-test-password"


@pytest.fixture
def team_view(catalogue):
    """Sam, in the Public health team, whose saved view finds the resources for commissioners.
    Made before the browser starts: Django refuses database work while Playwright runs."""
    sam = User.objects.create_user("sam", password=PASSWORD, first_name="Sam", last_name="Patel")
    team = Team.objects.create(name="Public health", slug="public-health")
    team.members.set([sam])
    return SavedView.objects.create(
        owner=sam, team=team, name="Commissioning reading", query_string="audience=commissioners"
    )


def sign_in(page, username):
    open_page(page, "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


@contextmanager
def database_work_while_the_browser_runs():
    """Playwright's event loop makes Django refuse database work in this thread; the work here is
    safe (nothing else uses this thread's connection meanwhile), so the refusal is lifted for it.
    The connection it opens is closed again, or the test database could not be dropped."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield
    finally:
        connections.close_all()
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


def add_a_resource_to_the_view():
    """Tag one more published resource for commissioners, as a librarian would in the admin."""
    with database_work_while_the_browser_runs():
        commissioners = Term.objects.get(vocabulary__slug="audience", slug="commissioners")
        resource = (
            Resource.objects.published().exclude(terms=commissioners).order_by("title").first()
        )
        resource.terms.add(commissioners)
    return resource.title


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_keep_a_copy_then_the_view_changes_and_the_copy_does_not(team_view, new_page, screen):
    page = new_page(screen=SCREENS[screen])
    sign_in(page, "sam")
    open_page(page, team_view.get_absolute_url())
    assert page.locator("h1").inner_text() == "Commissioning reading"
    assert page.get_by_text("No copies kept yet.").is_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Keep a copy of this list as of today").click()

    heading = page.locator("h1").inner_text()
    assert heading.startswith("Copy 1 of “Commissioning reading”, as of ")
    kept_message = page.get_by_text("Kept copy 1 of “Commissioning reading”")
    assert kept_message.is_visible()
    page.emulate_media(media="print")
    assert not kept_message.is_visible(), "the message is printed"
    page.emulate_media(media="screen")
    kept_titles = page.locator(".reading-list__entry cite").all_inner_texts()
    assert kept_titles
    assert page.get_by_text("Since this copy: 0 added, 0 no longer in the view").is_visible()
    copy_url = page.url

    added = add_a_resource_to_the_view()

    open_page(page, copy_url)
    assert page.locator(".reading-list__entry cite").all_inner_texts() == kept_titles
    assert page.get_by_text("Since this copy: 1 added, 0 no longer in the view").is_visible()
    since = page.locator(".kept-copy__since")
    assert since.get_by_role("link", name=added, exact=True).is_visible()
    assert not page.evaluate(SCROLLS_SIDEWAYS), "the copy's page scrolls sideways"
    assert_no_wcag_violations(page)

    # Printed, it is the list as kept: no menus, no links to files, nothing of what came since.
    page.emulate_media(media="print")
    assert page.locator(".reading-list__entry cite").all_inner_texts() == kept_titles
    for hidden in [".site-nav", ".breadcrumbs", ".kept-copy__since"]:
        assert not page.locator(hidden).first.is_visible(), f"{hidden} is printed"
    assert not page.get_by_role("link", name="Spreadsheet (CSV) of copy 1").is_visible()
    page.emulate_media(media="screen")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Spreadsheet (CSV) of copy 1").click()
    download = download_info.value
    assert download.suggested_filename.startswith(
        "health-inequalities-resources-commissioning-reading-copy-1-"
    )
    with open(download.path(), encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(io.StringIO(file.read())))
    assert [row["Title"] for row in rows] == kept_titles
    assert added not in [row["Title"] for row in rows]

    # The saved view's page lists the copy, and its own page passes axe too.
    open_page(page, team_view.get_absolute_url())
    assert page.get_by_role("link", name="Copy 1", exact=True).is_visible()
    assert_no_wcag_violations(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Copy 1", exact=True).click()
    assert page.url == copy_url
    open_page(page, f"/saved/{team_view.pk}/copies/")
    assert page.locator("table td").first.inner_text() == "Copy 1"
    assert not page.evaluate(SCROLLS_SIDEWAYS), "the list of copies scrolls sideways"
    assert_no_wcag_violations(page)
    with database_work_while_the_browser_runs():
        assert KeptCopy.objects.get().item_count == len(kept_titles)


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_a_kept_copy_is_deleted_after_a_confirmation(team_view, new_page, screen):
    page = new_page(screen=SCREENS[screen])
    sign_in(page, "sam")
    open_page(page, team_view.get_absolute_url())
    with page.expect_navigation():
        page.get_by_role("button", name="Keep a copy of this list as of today").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Delete this copy").click()
    assert page.locator("h1").inner_text() == "Delete copy 1 of “Commissioning reading”?"
    assert_no_wcag_violations(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Delete copy 1").click()
    assert page.locator("h1").inner_text() == "Kept copies of “Commissioning reading”"
    assert page.get_by_text("Deleted copy 1 of “Commissioning reading”.").is_visible()
    assert page.get_by_text("No copies kept yet.").is_visible()
    assert not page.evaluate(SCROLLS_SIDEWAYS), "the list of copies scrolls sideways"
    assert_no_wcag_violations(page)
