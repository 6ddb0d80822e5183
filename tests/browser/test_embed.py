"""The embeddable list in a real browser: another site can frame it, and not the rest of ours.
(Chromium obeys the embed's frame-ancestors over X-Frame-Options; test_exports.py checks that
the embed sends no X-Frame-Options either, for browsers that know only that header.)"""

import pytest

from tests.browser.conftest import CHROMIUM_ARGS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

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


def test_another_site_can_show_the_embed_but_not_the_finder(other_site_page, live_server):
    embed = framed_text(
        other_site_page, f"{live_server.url}/resources/embed/?audience=commissioners"
    )
    assert "From the Health Inequalities Resource Directory" in embed
    finder = framed_text(other_site_page, f"{live_server.url}/resources/?audience=commissioners")
    assert "Find resources" not in finder
