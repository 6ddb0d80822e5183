"""What people look for, in a real browser: visitors' searches, a resource page and its "Go
to" button are counted, and an editor finds them on the Insights page, which passes axe-core
on a phone and at a desk and never scrolls sideways."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from resources.models import InsightCount, Resource
from tests.browser.conftest import SCREENS
from tests.browser.test_accessibility import SCROLLS_SIDEWAYS, assert_no_wcag_violations
from tests.browser.test_history_and_conflicts import sign_in_to_the_admin
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INSIGHTS = "/admin/insights/"
UNFOUND = "zzyzx quokka"


@dataclass(frozen=True)
class Counted:
    editor: str
    resource_url: str
    resource_title: str
    publisher_url: str


@pytest.fixture
def counted(catalogue):
    """An editor, and twelve weeks of counts already kept for the shipped catalogue's resources
    and a few searches and views. Made before the browser starts: Django refuses database work
    while Playwright runs."""
    today = timezone.localdate()
    resources = list(Resource.objects.published().order_by("title")[:6])
    for weeks_ago in range(12):
        day = today - timedelta(weeks=weeks_ago)
        for number, resource in enumerate(resources):
            InsightCount.objects.create(
                kind="resource", subject=str(resource.pk), day=day, count=number + weeks_ago
            )
            InsightCount.objects.create(
                kind="click", subject=str(resource.pk), day=day, count=number
            )
        InsightCount.objects.create(
            kind="search", subject="health equity audit", day=day, count=5, result_count=9
        )
        InsightCount.objects.create(
            kind="search",
            subject="long covid in care homes",
            day=day,
            count=3,
            empty_count=3,
            result_count=0,
        )
        InsightCount.objects.create(kind="view", subject="audience=commissioners", day=day, count=4)
    resource = Resource.objects.get(title=catalogue.resource.heading)
    return Counted(
        editor=make_user(groups=["Editor"]).username,
        resource_url=catalogue.resource.url,
        resource_title=resource.title,
        publisher_url=resource.url,
    )


def test_visitors_searches_and_clicks_reach_the_editors_insights_page(counted, new_page):
    # Three visitors, each with a browser of their own: one browser asking again within a
    # minute is answered from its own cache, and the site never hears of it.
    for _ in range(3):
        visitor = new_page()
        visitor.goto(f"/resources/?q={UNFOUND.replace(' ', '+')}")
        assert "No resources match this view." in visitor.locator("main").inner_text()
    visitor.goto(counted.resource_url)
    go = visitor.get_by_role("link", name="Go to this").get_attribute("href")
    assert go.endswith("/go/")
    # Followed without the browser: Playwright cannot route a redirect's destination, and the
    # publisher's site is not ours to visit from a test.
    answer = visitor.context.request.get(go, max_redirects=0)
    assert (answer.status, answer.headers["location"]) == (302, counted.publisher_url)
    assert not visitor.context.cookies(), "counting set a cookie"

    editor = new_page()
    sign_in_to_the_admin(editor, counted.editor)
    editor.goto("/admin/")
    with editor.expect_navigation():
        editor.locator("#content").get_by_role("link", name="Insights").click()
    unfound = editor.locator("table", has=editor.get_by_text("Searches that found nothing"))
    row = unfound.get_by_role("row", name=UNFOUND)
    assert row.get_by_role("cell").first.inner_text() == "3"
    clicks = editor.locator("table", has=editor.get_by_text("Resources most clicked through"))
    assert clicks.get_by_role("link", name=counted.resource_title).count() == 1
    with editor.expect_navigation():
        row.get_by_role("link", name=f"Add a resource for “{UNFOUND}”").click()
    assert editor.get_by_label("Title:").input_value() == UNFOUND


@pytest.mark.parametrize("screen", SCREENS)
def test_the_insights_page_has_no_wcag_22_aa_violations(counted, new_page, screen):
    page = new_page()
    sign_in_to_the_admin(page, counted.editor)
    page.set_viewport_size(SCREENS[screen])
    response = page.goto(INSIGHTS)
    assert response.status == 200
    assert page.locator("svg.insights-svg").count() > 5
    assert not page.evaluate(SCROLLS_SIDEWAYS), "the page scrolls sideways"
    page.screenshot(path=f"/tmp/insights-{screen}.png", full_page=True)
    assert_no_wcag_violations(page)
