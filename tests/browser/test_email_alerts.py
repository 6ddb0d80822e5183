"""Email alerts in a real browser, on a phone and a laptop: a team member signs in, opens the
team's saved view, subscribes weekly; a resource is published in the view; send_alerts runs;
the email's unsubscribe link is opened and confirmed, without signing in."""

from concurrent.futures import ThreadPoolExecutor
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.db import connection

from resources.curation.workflow import transition
from resources.models import AlertSubscription, Resource, ResourceStatus, SavedView, Team
from taxonomy.models import Term
from tests.browser.conftest import SCREENS
from tests.browser.test_accessibility import assert_no_wcag_violations, open_page
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-browser-test-password"
TITLE = "Commissioning for equity: a worked example"


def outside_the_browser(work):
    """Database work while Playwright runs: in another thread, whose connection is not inside
    Playwright's event loop (Django refuses database work in this one)."""

    def run():
        try:
            return work()
        finally:
            connection.close()

    with ThreadPoolExecutor(1) as thread:
        return thread.submit(run).result()


@pytest.fixture
def team_view(catalogue, settings, live_server):
    """Sam and Alex in Public health, whose saved view finds resources for commissioners; a
    resource for commissioners in review, waiting to be published. Made before the browser starts."""
    settings.DIRECTORY_SITE_URL = live_server.url
    sam = User.objects.create_user(
        "sam", email="sam@example.nhs.uk", password=PASSWORD, first_name="Sam"
    )
    alex = User.objects.create_user("alex", email="alex@example.nhs.uk", password=PASSWORD)
    team = Team.objects.create(name="Public health", slug="public-health")
    team.members.set([sam, alex])
    view = SavedView.objects.create(
        owner=alex, team=team, name="Commissioning reading", query_string="audience=commissioners"
    )
    draft = Resource.objects.create(
        title=TITLE,
        slug="commissioning-for-equity",
        url="https://example.org/commissioning-for-equity",
        status=ResourceStatus.IN_REVIEW,
        publisher=Resource.objects.published().exclude(publisher=None).first().publisher,
    )
    draft.terms.set([Term.objects.get(vocabulary__slug="audience", slug="commissioners")])
    return view, draft, make_user(groups=["Editor"])


def sign_in(page, username):
    open_page(page, "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize("screen", SCREENS)
def test_a_team_member_follows_a_view_gets_the_email_and_unsubscribes_from_it(
    team_view, new_page, screen
):
    view, draft, editor = team_view
    page = new_page(screen=SCREENS[screen])
    sign_in(page, "sam")

    saved = page.locator(".saved-view").filter(has_text="Commissioning reading")
    with page.expect_navigation():
        saved.get_by_role("link", name="Commissioning reading", exact=True).click()
    assert page.locator("h1").inner_text() == "Commissioning reading"
    assert_no_wcag_violations(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Get an email when something new appears here").click()
    assert page.locator("h1").inner_text() == "Email alerts for “Commissioning reading”"
    assert_no_wcag_violations(page)
    page.get_by_label("Weekly: one email a week, on Mondays, when something is new").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Subscribe").click()
    assert page.get_by_text("Subscribed. We will email sam@example.nhs.uk every week").is_visible()
    assert page.get_by_label(
        "Weekly: one email a week, on Mondays, when something is new"
    ).is_checked()

    open_page(page, "/saved/")
    assert "you get weekly emails" in saved.inner_text()

    def publish_and_send():
        transition(Resource.objects.get(pk=draft.pk), ResourceStatus.PUBLISHED, by=editor)
        output = StringIO()
        call_command("send_alerts", stdout=output)
        return output.getvalue()

    output = outside_the_browser(publish_and_send)
    assert "Sent “Commissioning reading” to sam@example.nhs.uk: 1 new resource" in output
    (email,) = mail.outbox
    html = email.alternatives[0][0]
    assert TITLE in email.body and TITLE in html
    unsubscribe = email.extra_headers["List-Unsubscribe"].strip("<>")

    # The link in the email, opened in a browser that is not signed in.
    reader = new_page(screen=SCREENS[screen])
    open_page(reader, unsubscribe)
    assert reader.locator("h1").inner_text() == "Stop emails about “Commissioning reading”?"
    assert_no_wcag_violations(reader)
    assert outside_the_browser(AlertSubscription.objects.count) == 1  # opening it is not enough
    with reader.expect_navigation():
        reader.get_by_role("button", name="Unsubscribe").click()
    assert reader.locator("h1").inner_text() == "Unsubscribed"
    assert reader.get_by_text(
        "You will get no more emails about “Commissioning reading”."
    ).is_visible()
    assert_no_wcag_violations(reader)
    assert outside_the_browser(AlertSubscription.objects.count) == 0

    # Sam's own page now offers the alert again.
    open_page(page, f"/saved/{view.pk}/alert/")
    assert page.get_by_role("button", name="Subscribe").is_visible()
