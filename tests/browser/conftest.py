"""Real-browser fixtures: headless Chromium driven by Playwright against pytest-django's
live server, with the shipped catalogue loaded.

Chromium comes from the system package (`apt-get install -y chromium`), never from
`playwright install`. Without it these tests fail, so CI cannot pass by skipping them; a
developer without Chromium can set SKIP_BROWSER_TESTS=1 (or run `pytest -m "not browser"`).
"""

import os
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Count, Q
from playwright.sync_api import sync_playwright

from resources.models import Organisation, Resource, ResourceStatus
from taxonomy.models import Term

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def chromium():
    """The system Chromium, or a clear failure (a skip only where SKIP_BROWSER_TESTS=1)."""
    if CHROMIUM.exists():
        return CHROMIUM
    if os.environ.get("SKIP_BROWSER_TESTS") == "1":
        pytest.skip(f"SKIP_BROWSER_TESTS=1 and there is no {CHROMIUM}")
    pytest.fail(
        f"The browser tests need Chromium at {CHROMIUM}: install it with "
        "`apt-get install -y chromium` (.ci/run does), or set SKIP_BROWSER_TESTS=1 to skip them.",
        pytrace=False,
    )


@dataclass(frozen=True)
class Page:
    url: str
    heading: str


@dataclass(frozen=True)
class Catalogue:
    """Pages worth checking in the shipped catalogue."""

    resource: Page
    organisation: Page
    term: Page


@pytest.fixture
def catalogue(chromium, transactional_db):
    """The shipped catalogue loaded as `manage.py load_catalogue` loads it: searchable, each
    record's first version in its history. live_server tests are transactional, so every test
    loads it afresh (about 3 s on SQLite, 6 s on PostgreSQL)."""
    call_command("load_catalogue", stdout=StringIO())
    resource = (
        Resource.objects.published()
        .exclude(url="")
        .filter(publisher__isnull=False, keywords__isnull=False, terms__isnull=False)
        .order_by("title")
        .first()
    )
    # The busiest organisation whose work passed to another: it has pages of resources
    # and the succession inset.
    organisation = (
        Organisation.objects.filter(succeeded_by__isnull=False)
        .annotate(
            published=Count("resources", filter=Q(resources__status=ResourceStatus.PUBLISHED))
        )
        .order_by("-published", "name")
        .first()
    )
    # A term with narrower terms, so the page shows its whole summary list.
    term = (
        Term.objects.filter(children__isnull=False)
        .select_related("vocabulary")
        .order_by("vocabulary__position", "position", "name")
        .first()
    )
    return Catalogue(
        resource=Page(resource.get_absolute_url(), resource.title),
        organisation=Page(organisation.get_absolute_url(), organisation.name),
        term=Page(term.get_absolute_url(), term.name),
    )


@pytest.fixture
def browser(chromium, catalogue, live_server):
    """Headless Chromium with a fresh profile. It starts after the catalogue is loaded and
    stops before the test database is flushed: while Playwright's sync API runs, its event
    loop makes Django refuse database work in this thread (SynchronousOnlyOperation)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# The screens the public pages are tested on: a phone (an iPhone 12 to 15's 390 x 844 CSS
# pixels) and a laptop. Playwright's own default is 1280 x 720.
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
SCREENS = {"phone": PHONE, "desktop": DESKTOP}


@pytest.fixture
def new_page(browser, live_server):
    """Open a tab in a new browser context (its own cookies and settings), relative URLs
    resolving against the live server, on `screen` (PHONE, DESKTOP) if given."""
    contexts = []

    def new_page(*, javascript=True, screen=None):
        options = {"viewport": screen} if screen else {}
        context = browser.new_context(
            base_url=live_server.url, java_script_enabled=javascript, **options
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield new_page
    for context in contexts:
        context.close()


# Another site, served by Playwright. Chromium would keep it, as a public page, from framing
# anything on this machine at all; that check is switched off so the framing rules show.
OTHER_SITE = "http://another-site.test/"
ALLOW_LOCAL_NETWORK = "--disable-features=LocalNetworkAccessChecks"


@pytest.fixture
def other_site_page(browser, chromium):
    lenient = browser.browser_type.launch(
        executable_path=str(chromium), args=[*CHROMIUM_ARGS, ALLOW_LOCAL_NETWORK]
    )
    context = lenient.new_context()
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()
    lenient.close()


def framed_text(page, url):
    """The text of `url` as another site's iframe shows it."""
    page.route(
        OTHER_SITE,
        lambda route: route.fulfill(
            body=(
                '<!DOCTYPE html><html lang="en"><title>Another site</title>'
                f'<iframe src="{url}" title="Framed"></iframe></html>'
            ),
            content_type="text/html; charset=utf-8",
        ),
    )
    page.goto(OTHER_SITE)  # waits for the load event, which waits for the iframe
    (frame,) = page.main_frame.child_frames
    return frame.evaluate("() => document.body ? document.body.innerText : ''")
