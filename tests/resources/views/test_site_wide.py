"""What every public page carries (issue 13): compressed HTML, a favicon, an absolute canonical
link, feed links where a page lists resources, the accessibility statement in the footer, and
when a resource was last reviewed."""

import gzip
import html
import re
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from tests.factories import make_organisation, make_resource, make_resources

pytestmark = pytest.mark.django_db

FINDER = reverse("resources:list")
STATEMENT = reverse("accessibility")


def canonical_link(response):
    found = re.findall(r'<link rel="canonical" href="([^"]*)">', response.content.decode())
    assert len(found) == 1, f"expected one canonical link, found {found}"
    return html.unescape(found[0])


def test_html_is_sent_gzipped_to_browsers_that_accept_it(client, taxonomy):
    make_resources(3, terms=[taxonomy["race"]])
    plain = client.get(FINDER)
    compressed = client.get(FINDER, headers={"accept-encoding": "gzip"})
    assert "Content-Encoding" not in plain
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert gzip.decompress(compressed.content).decode().count('class="result"') == 3
    assert len(compressed.content) < len(plain.content) / 3


def test_a_compressed_page_with_a_csrf_token_differs_each_time_it_is_sent(client):
    """BREACH guessing needs the same secret in every response: Django masks the CSRF token
    afresh for each response and pads each gzip stream with random bytes."""
    tokens, sizes = set(), set()
    for _ in range(5):
        response = client.get(reverse("resources:suggest"), headers={"accept-encoding": "gzip"})
        assert response["Content-Encoding"] == "gzip"
        page = gzip.decompress(response.content).decode()
        tokens |= set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page))
        sizes.add(len(response.content))
    assert len(tokens) == 5
    assert len(sizes) > 1


def test_favicon_ico_answers_with_an_icon_that_every_page_links_to(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # the ICO header
    home = client.get(reverse("resources:home"))
    assertContains(home, '<link rel="icon" href="/favicon.ico" sizes="32x32">', html=True)
    assertContains(home, '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">')


def test_finder_resource_organisation_and_topic_pages_have_absolute_canonical_links(
    client, taxonomy
):
    publisher = make_organisation(slug="nhs-england", name="NHS England")
    resource = make_resource(slug="a-guide", publisher=publisher, terms=[taxonomy["race"]])
    pages = {
        f"{FINDER}?q=guide&characteristic=race": "http://testserver/resources/?q=guide&characteristic=race",
        resource.get_absolute_url(): "http://testserver/resources/a-guide/",
        publisher.get_absolute_url(): "http://testserver/organisations/nhs-england/",
        taxonomy["race"].get_absolute_url(): "http://testserver/topics/characteristic/race/",
        "/topics/characteristic/": "http://testserver/topics/characteristic/",
        "/topics/": "http://testserver/topics/",
    }
    for path, canonical in pages.items():
        assert canonical_link(client.get(path)) == canonical, path


def test_a_later_page_of_a_list_is_its_own_canonical_page(client, taxonomy):
    publisher = make_organisation(slug="nhs-england")
    make_resources(21, publisher=publisher, terms=[taxonomy["race"]])
    assert canonical_link(client.get(f"{FINDER}?characteristic=race&page=2")) == (
        "http://testserver/resources/?characteristic=race&page=2"
    )
    assert canonical_link(client.get("/organisations/nhs-england/?page=2")) == (
        "http://testserver/organisations/nhs-england/?page=2"
    )
    assert canonical_link(client.get("/topics/characteristic/race/?page=2")) == (
        "http://testserver/topics/characteristic/race/?page=2"
    )


def test_canonical_links_are_https_behind_a_proxy_that_says_so(client, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.ALLOWED_HOSTS = ["directory.example"]
    resource = make_resource(slug="a-guide")
    response = client.get(
        resource.get_absolute_url(),
        headers={"host": "directory.example", "x-forwarded-proto": "https"},
    )
    assert canonical_link(response) == "https://directory.example/resources/a-guide/"


@pytest.mark.parametrize("published", [1, 0], ids=["with-resources", "without"])
def test_organisation_page_links_its_feed_for_readers_and_for_people(client, published):
    publisher = make_organisation(slug="nhs-england", name="NHS England")
    make_resources(published, publisher=publisher)
    response = client.get(publisher.get_absolute_url())
    feed = "/resources/feed/?publisher=nhs-england"
    assertContains(
        response,
        '<link rel="alternate" type="application/atom+xml" title="Resources published by NHS '
        f'England – Health Inequalities Resource Directory" href="{feed}">',
    )
    assertContains(
        response, f'<a href="{feed}">Follow what NHS England publishes (Atom feed)</a>', html=True
    )


def test_term_page_links_its_feed_for_readers_and_for_people(client, taxonomy):
    make_resource(terms=[taxonomy["race"]])
    response = client.get(taxonomy["race"].get_absolute_url())
    feed = "/resources/feed/?characteristic=race"
    assertContains(
        response,
        '<link rel="alternate" type="application/atom+xml" title="Resources: Race (Protected '
        f'characteristic) – Health Inequalities Resource Directory" href="{feed}">',
    )
    assertContains(
        response, f'<a href="{feed}">Follow new resources on Race (Atom feed)</a>', html=True
    )
    assert client.get(feed)["Content-Type"].startswith("application/atom+xml")


def test_resource_page_and_card_say_when_it_was_last_reviewed(client, taxonomy):
    reviewed_at = timezone.make_aware(datetime(2026, 3, 14, 9, 30))
    resource = make_resource(
        title="Reviewed guide", last_reviewed_at=reviewed_at, terms=[taxonomy["race"]]
    )
    response = client.get(resource.get_absolute_url())
    assertContains(response, "<div><dt>Last reviewed</dt><dd>March 2026</dd></div>", html=True)
    card = client.get(taxonomy["race"].get_absolute_url())
    assertContains(
        card, '<span class="result__reviewed">· Last reviewed March 2026</span>', html=True
    )


def test_resource_page_says_plainly_when_no_librarian_has_reviewed_it(client, taxonomy):
    resource = make_resource(title="Unreviewed guide", terms=[taxonomy["race"]])
    response = client.get(resource.get_absolute_url())
    assertContains(
        response,
        "<div><dt>Last reviewed</dt><dd>Not reviewed by a librarian yet</dd></div>",
        html=True,
    )
    assertNotContains(client.get(taxonomy["race"].get_absolute_url()), "result__reviewed")


def test_accessibility_statement_is_linked_from_every_footer(client, taxonomy):
    resource = make_resource(terms=[taxonomy["race"]])
    link = f'<a href="{STATEMENT}">Accessibility statement</a>'
    for path in (
        "/",
        FINDER,
        resource.get_absolute_url(),
        resource.publisher.get_absolute_url(),
        "/topics/",
        "/suggest/",
        "/api/",
        STATEMENT,
    ):
        assertContains(client.get(path), link, html=True)
    assertContains(client.get("/resources/no-such-thing/"), link, status_code=404, html=True)


def test_accessibility_statement_follows_the_gov_uk_model(client):
    response = client.get(STATEMENT)
    assertContains(
        response, "<h1>Accessibility statement for the Health Inequalities Resource Directory</h1>"
    )
    for heading in (
        "How accessible this website is",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Compliance status",
        "Non-accessible content",
        "Preparation of this accessibility statement",
    ):
        assertContains(response, heading)
    assertContains(response, "Equality Advisory and Support Service (EASS)")
    assertContains(
        response, 'prepared on <time datetime="2026-12-01">1 December 2026</time>', html=False
    )
    assert client.head(STATEMENT).status_code == 200
    assert client.post(STATEMENT).status_code == 405
