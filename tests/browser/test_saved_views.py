"""Teams and saved views in a real browser: the pages pass axe-core's WCAG 2.2 AA rules, and a
person signs in through the form, filters the finder, saves the view for a team and finds it on
the team's page."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from resources.models import Resource, SavedView, SavedViewVisit, Team
from tests.browser.test_accessibility import assert_no_wcag_violations, open_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-browser-test-password"


@dataclass(frozen=True)
class Teams:
    username: str
    team_url: str


@pytest.fixture
def team_with_views(catalogue):
    """Alex, in the Public health team with Sam, with views of their own and the team's. Made
    before the browser starts: Django refuses database work while Playwright runs."""
    alex = User.objects.create_user("alex", password=PASSWORD, first_name="Alex", last_name="Jones")
    sam = User.objects.create_user("sam", password=PASSWORD, first_name="Sam", last_name="Patel")
    team = Team.objects.create(
        name="Public health", slug="public-health", description="The borough's public health team"
    )
    team.members.set([alex, sam])
    SavedView.objects.create(
        owner=alex,
        name="Health equity audits",
        description="For the annual audit",
        query_string="q=health+equity+audit",
    )
    SavedView.objects.create(
        owner=sam,
        team=team,
        name="Commissioners’ guidance",
        query_string="audience=commissioners&kind=guidance",
    )
    SavedView.objects.create(
        owner=sam,
        team=team,
        name="A view with a term since removed",
        query_string="audience=commissioners&characteristic=no-longer-here",
    )
    return Teams(username="alex", team_url=team.get_absolute_url())


def sign_in(page, username):
    open_page(page, "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def test_account_and_saved_view_pages_have_no_wcag_22_aa_violations(
    team_with_views, new_page, subtests
):
    page = new_page()
    with subtests.test("sign in"):
        open_page(page, "/accounts/login/")
        assert_no_wcag_violations(page)
    sign_in(page, team_with_views.username)
    pages = {
        "my saved views": ("/saved/", "My saved views"),
        "team": (team_with_views.team_url, "Public health"),
        "save this view": ("/saved/new/?audience=commissioners", "Save this view"),
        "change password": ("/accounts/password_change/", "Change your password"),
    }
    for name, (path, heading) in pages.items():
        with subtests.test(name, path=path):
            open_page(page, path)
            assert heading in page.locator("h1").inner_text()
            assert_no_wcag_violations(page)
    with subtests.test("my saved views shows the views and their notes"):
        open_page(page, "/saved/")
        assert page.get_by_role("link", name="Health equity audits", exact=True).is_visible()
        assert page.get_by_text("Part of this view no longer applies:").is_visible()


def test_sign_in_filter_save_for_a_team_and_find_it_on_the_team_page(team_with_views, new_page):
    page = new_page()
    sign_in(page, team_with_views.username)
    assert page.locator("h1").inner_text() == "My saved views"
    assert page.locator(".site-account").get_by_text("Alex Jones").is_visible()

    with page.expect_navigation():
        page.get_by_role("link", name="Find resources").first.click()
    audience = page.locator("details.filter:has(#audience-commissioners)")
    if not audience.evaluate("details => details.open"):
        audience.locator("summary").click()
    page.locator("#audience-commissioners").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Apply filters").click()
    assert "audience=commissioners" in page.url
    with page.expect_navigation():
        page.get_by_role("link", name="Save this view").click()
    assert page.locator("h1").inner_text() == "Save this view"
    assert "for commissioners" in page.locator(".inset").inner_text()

    page.get_by_label("Name").fill("Everything for commissioners")
    page.get_by_label("Description (optional)").fill("Start here")
    page.get_by_label("Public health").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save view").click()
    assert page.locator("h1").inner_text() == "My saved views"
    assert page.get_by_text("Saved “Everything for commissioners” for Public health.").is_visible()

    open_page(page, team_with_views.team_url)
    saved = page.get_by_role("link", name="Everything for commissioners", exact=True)
    assert saved.is_visible()
    assert page.get_by_text("Start here").is_visible()
    assert page.locator(".members li").all_inner_texts() == ["Alex Jones", "Sam Patel"]
    with page.expect_navigation():
        saved.click()
    assert "audience=commissioners" in page.url
    assert page.locator("#audience-commissioners").is_checked()

    # Signing out is a form: it works and returns home.
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    assert page.locator(".site-account").get_by_role("link", name="Sign in").is_visible()


@pytest.fixture
def view_with_one_new(catalogue):
    """Alex's saved view of resources for commissioners, last opened ten days ago; since then
    one of them was published. Made before the browser starts."""
    alex = User.objects.create_user("alex", password=PASSWORD, first_name="Alex")
    in_view = Resource.objects.published().filter(terms__slug="commissioners")
    ten_days_ago = timezone.now() - timedelta(days=10)
    Resource.objects.filter(pk__in=in_view.values("pk")).update(
        published_at=ten_days_ago - timedelta(days=1)
    )
    new = in_view.order_by("-created_at", "-pk").first()  # first under "Recently added"
    Resource.objects.filter(pk=new.pk).update(published_at=timezone.now())
    view = SavedView.objects.create(
        owner=alex, name="Commissioning reading", query_string="audience=commissioners"
    )
    SavedViewVisit.objects.create(user=alex, saved_view=view, opened_at=ten_days_ago)
    return new.title


def test_opening_a_saved_view_names_it_marks_the_new_resource_and_offers_an_update(
    view_with_one_new, new_page
):
    page = new_page()
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, "alex")
    saved = page.locator(".saved-view").filter(has_text="Commissioning reading")
    assert "1 new since you last opened it" in saved.inner_text()
    with page.expect_navigation():
        saved.get_by_role("link", name="Commissioning reading", exact=True).click()

    assert page.locator("h1").inner_text() == "Commissioning reading"
    assert page.get_by_text("1 new since you last opened it").is_visible()
    page.get_by_role("link", name="Show the recently added first").click()
    page.wait_for_url("**sort=added**")
    marked = page.locator(".result").filter(has=page.locator(".result__new"))
    assert marked.count() == 1
    assert marked.locator(".result__title").inner_text() == view_with_one_new
    assert marked.locator(".result__new").inner_text() == "New since you last looked"
    assert page.get_by_role("link", name="Update this view").is_visible()
    assert page.get_by_role("link", name="Save this view").count() == 0
    assert_no_wcag_violations(page)
