"""The embeddable list in a real browser: another site can frame it, and not the rest of ours.
(Chromium obeys the embed's frame-ancestors over X-Frame-Options; test_exports.py checks that
the embed sends no X-Frame-Options either, for browsers that know only that header.)"""

import pytest

from tests.browser.conftest import framed_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_another_site_can_show_the_embed_but_not_the_finder(other_site_page, live_server):
    embed = framed_text(
        other_site_page, f"{live_server.url}/resources/embed/?audience=commissioners"
    )
    assert "From the Health Inequalities Resource Directory" in embed
    finder = framed_text(other_site_page, f"{live_server.url}/resources/?audience=commissioners")
    assert "Find resources" not in finder
