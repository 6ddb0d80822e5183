"""Our pages under their Content-Security-Policy in a real browser: Chromium reports every
script, style or frame the policy refuses on the console, and none of our pages, the embed in
another site's iframe, or the admin's change form with its autocomplete gives one."""

import pytest
from django.urls import reverse

from resources.models import Resource
from tests.browser.conftest import framed_text
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


def refusals(page):
    """Every message in which the browser says the policy refused something, as it happens."""
    messages = []
    page.on(
        "console",
        lambda message: (
            messages.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return messages


def test_the_browser_reports_an_inline_style_on_our_pages(new_page):
    """The check below can fail: an inline style slipped into the home page is refused."""
    page = new_page()
    refused = refusals(page)

    def with_inline_style(route):
        response = route.fetch()
        body = response.text().replace("</main>", '<p style="color: red">Red</p></main>')
        route.fulfill(response=response, body=body)

    page.route("**/", with_inline_style)
    page.goto("/")
    assert any("style-src 'self'" in message for message in refused), refused


def test_public_pages_work_under_the_policy(catalogue, new_page):
    page = new_page()
    refused = refusals(page)
    page.goto("/")
    page.get_by_role("searchbox").first.fill("health inequalities")
    with page.expect_navigation():
        page.get_by_role("searchbox").first.press("Enter")
    assert "/resources/?" in page.url
    # The finder's filter form, applied when asked.
    page.locator(".finder__filters input[type=checkbox]").first.check()
    with page.expect_navigation():
        page.get_by_role("button", name="Apply filters").click()
    page.goto(catalogue.resource.url)
    assert page.locator("h1").inner_text() == catalogue.resource.heading
    page.goto(catalogue.organisation.url)
    page.goto(catalogue.term.url)
    page.goto("/accounts/login/")
    assert refused == []


def test_another_site_frames_the_embed_under_the_policy(other_site_page, live_server, catalogue):
    refused = refusals(other_site_page)
    embed = framed_text(other_site_page, f"{live_server.url}/resources/embed/")
    assert "From the Health Inequalities Resource Directory" in embed
    assert refused == []


@pytest.fixture
def resource_admin_url(catalogue):
    """Made before the browser starts: Django refuses database work while Playwright runs."""
    make_user(username="curator", is_superuser=True)
    resource = Resource.objects.get(title=catalogue.resource.heading)
    return reverse("admin:resources_resource_change", args=[resource.pk])


def test_the_admin_change_form_and_its_autocomplete_work_under_the_policy(
    resource_admin_url, new_page
):
    page = new_page()
    page.set_viewport_size({"width": 1280, "height": 800})
    refused = refusals(page)
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("curator")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    page.goto(resource_admin_url)
    # The publisher's autocomplete (select2, fed by the admin's JSON view).
    page.locator(".field-publisher .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill("NHS")
    option = page.locator(".select2-results__option--highlighted")
    option.wait_for()
    chosen = option.inner_text()
    option.click()
    assert (
        page.locator(".field-publisher .select2-selection__rendered").inner_text().endswith(chosen)
    )
    assert refused == []
