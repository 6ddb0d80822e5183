"""Any finder view taken away: Atom feed, CSV, RIS, BibTeX, reading list and embeddable list.
Each output is read back with a real parser and checked against the view."""

import csv
import io
import re
from datetime import timedelta
from html import unescape
from pathlib import Path

import bibtexparser
import feedparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from resources.models import ResourceAccess, ResourceKind, ResourceStatus
from resources.search import index_resources
from tests.factories import (
    make_organisation,
    make_resource,
    make_resources,
)

pytestmark = pytest.mark.django_db

FEED = reverse("resources:feed")
READING_LIST = reverse("resources:reading-list")
EMBED = reverse("resources:embed")
FINDER = reverse("resources:list")


def export_url(extension):
    return reverse("resources:export", args=[extension])


def body(response):
    """The response's text, streamed or not."""
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(body(response).removeprefix("\ufeff"), newline="")))


def ris_records(response):
    return rispy.loads(body(response))


def bibtex_entries(response):
    library = bibtexparser.parse_string(
        body(response), append_middleware=[LatexDecodingMiddleware()]
    )
    assert not library.failed_blocks, [block.error for block in library.failed_blocks]
    return library.entries


def slugs_in(response):
    return re.findall(r'data-slug="([^"]+)"', response.content.decode())


@pytest.fixture
def view(taxonomy):
    """Three published resources about race (one also for commissioners), one about disability,
    and a draft and an archived resource about race that must never appear."""
    now = timezone.now()
    nhs = make_organisation(name="NHS England", slug="nhs-england")
    king = make_organisation(name="The King’s Fund", slug="kings-fund")
    resources = {
        "audit": make_resource(
            title="Health equity audit guide",
            kind=ResourceKind.GUIDANCE,
            publisher=nhs,
            year_published=2021,
            access=ResourceAccess.FREE,
            summary="How to run a health equity audit.",
            terms=[taxonomy["race"], taxonomy["commissioners"]],
            keywords=["HEAT", "audit"],
            published_at=now - timedelta(days=3),
        ),
        "tool": make_resource(
            title="Atlas of ethnicity data (Árvore)",
            kind=ResourceKind.DATA_TOOL,
            publisher=king,
            year_published=2023,
            summary="Ethnicity data, by area.",
            terms=[taxonomy["race"]],
            published_at=now - timedelta(days=1),
        ),
        "podcast": make_resource(
            title="Bias in the clinic",
            kind=ResourceKind.PODCAST,
            publisher=king,
            terms=[taxonomy["race"]],
            published_at=now - timedelta(days=2),
        ),
        "disability": make_resource(
            title="Disability access guide",
            terms=[taxonomy["disability"]],
            published_at=now,
        ),
    }
    for status in (ResourceStatus.DRAFT, ResourceStatus.ARCHIVED):
        make_resource(
            title=f"Hidden {status} on race",
            terms=[taxonomy["race"], taxonomy["commissioners"]],
            status=status,
            published_at=now,
        )
    return resources


# Atom feed ------------------------------------------------------------------------------------


def test_feed_is_atom_of_the_views_newest_additions(client, view):
    response = client.get(FEED + "?characteristic=race")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert feed.feed.title == "Resources about Race – Health Inequalities Resource Directory"
    assert feed.feed.link == "http://testserver/resources/?characteristic=race"
    assert [entry.title for entry in feed.entries] == [
        "Atlas of ethnicity data (Árvore)",
        "Bias in the clinic",
        "Health equity audit guide",
    ]
    audit = feed.entries[2]
    assert audit.link == "http://testserver" + view["audit"].get_absolute_url()
    assert audit.summary == "How to run a health equity audit."
    assert audit.author == "NHS England"
    assert {tag.term for tag in audit.tags} == {"Race", "Commissioners"}
    assert audit.published_parsed[:3] == view["audit"].published_at.utctimetuple()[:3]
    assert audit.updated_parsed is not None


def test_feed_escapes_titles_once(client, taxonomy):
    make_resource(title="Costs & benefits <of> “care”", terms=[taxonomy["race"]])
    feed = feedparser.parse(client.get(FEED).content)
    assert feed.entries[0].title == "Costs & benefits <of> “care”"


def test_feed_shows_the_50_newest(client):
    now = timezone.now()
    publisher = make_organisation()
    for number in range(52):
        make_resource(
            title=f"Resource number {number:02}",
            publisher=publisher,
            published_at=now - timedelta(hours=number),
        )
    feed = feedparser.parse(client.get(FEED).content)
    assert len(feed.entries) == 50
    assert feed.entries[0].title == "Resource number 00"
    assert feed.entries[-1].title == "Resource number 49"


def test_feed_ignores_bad_values_as_the_finder_does(client, view):
    response = client.get(FEED + "?characteristic=race&characteristic=nonsense&year_from=soon")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert len(feed.entries) == 3
    assert feed.feed.link == "http://testserver/resources/?characteristic=race"


@pytest.mark.parametrize("count", [3, 30])
def test_feed_queries_stay_flat(client, django_assert_num_queries, taxonomy, count):
    make_resources(count, terms=[taxonomy["race"]], keywords=["HEAT"])
    # The catalogue's version (shared by every server); vocabularies and terms; the newest ids;
    # those rows; their terms.
    with django_assert_num_queries(6):
        response = client.get(FEED + "?characteristic=race")
    assert len(feedparser.parse(response.content).entries) == count


# The finder page offers them all ---------------------------------------------------------------


def test_finder_page_offers_the_feed_exports_reading_list_and_embed(client, view):
    response = client.get(FINDER + "?characteristic=race&sort=newest")
    query = "characteristic=race&amp;sort=newest"
    assertContains(
        response,
        f'<link rel="alternate" type="application/atom+xml" '
        f'title="Resources about Race – Health Inequalities Resource Directory" '
        f'href="/resources/feed/?{query}">',
    )
    assertContains(
        response, f'<a href="/resources/feed/?{query}">Follow this view (Atom feed)</a>', html=True
    )
    for url in ("/resources/export.csv", "/resources/export.ris", "/resources/export.bib"):
        assertContains(response, f'href="{url}?{query}"')
    assertContains(response, f'href="/resources/reading-list/?{query}"')
    snippet = re.search(
        r'<textarea class="textarea embed-code__snippet" id="embed-snippet" rows="4" readonly>(.*?)</textarea>',
        response.content.decode(),
    ).group(1)
    assert unescape(snippet) == (
        '<iframe src="http://testserver/resources/embed/?characteristic=race&amp;sort=newest" '
        'title="Resources about Race – Health Inequalities Resource Directory" width="100%" '
        'height="600" loading="lazy"></iframe>'
    )
    assertContains(response, '<label class="label" for="embed-snippet">')


def test_embed_snippet_escapes_a_search(client, view):
    response = client.get(FINDER + "?q=%3C%2Ftextarea%3E%3Cscript%3E")
    assertNotContains(response, "<script>")
    assertContains(response, "&amp;lt;/textarea&amp;gt;&amp;lt;script&amp;gt;")


# CSV -------------------------------------------------------------------------------------------


def test_csv_export_opens_cleanly_in_a_spreadsheet(client, view):
    response = client.get(export_url("csv") + "?characteristic=race")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="health-inequalities-resources-about-race-{today}.csv"'
    )
    text = body(response)
    assert text.startswith("\ufeffTitle,")
    assert text.count("\r\n") == 4 and "\n" not in text.replace("\r\n", "")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    assert [row["Title"] for row in rows] == [
        "Atlas of ethnicity data (Árvore)",
        "Bias in the clinic",
        "Health equity audit guide",
    ]
    audit = rows[2]
    assert audit == {
        "Title": "Health equity audit guide",
        "Web address": view["audit"].url,
        "Page in this directory": "http://testserver" + view["audit"].get_absolute_url(),
        "Type": "Guidance",
        "Authors": "",
        "Publisher": "NHS England",
        "Year published": "2021",
        "Access": "Free",
        "Audience": "Commissioners",
        "Protected characteristic": "Race",
        "Keywords": "audit; HEAT",
        "Summary": "How to run a health equity audit.",
    }


def test_csv_export_neutralises_formulas(client):
    make_resource(title='=HYPERLINK("https://evil.example","Click")', summary="-2+3")
    make_resource(title="@SUM(1)", summary="+cmd|' /C calc'!A0")
    make_resource(title="\tTabbed", summary="Plain - and = inside are fine")
    rows = csv_rows(client.get(export_url("csv")))
    cells = {row["Title"]: row["Summary"] for row in rows}
    assert cells == {
        '\'=HYPERLINK("https://evil.example","Click")': "'-2+3",
        "'@SUM(1)": "'+cmd|' /C calc'!A0",
        "'\tTabbed": "Plain - and = inside are fine",
    }


def test_export_of_a_filtered_sorted_view_has_exactly_its_resources_in_order(client, view):
    rows = csv_rows(client.get(export_url("csv") + "?characteristic=race&sort=newest"))
    assert [row["Title"] for row in rows] == [
        "Atlas of ethnicity data (Árvore)",
        "Health equity audit guide",
        "Bias in the clinic",
    ]
    rows = csv_rows(client.get(export_url("csv") + "?audience=commissioners"))
    assert [row["Title"] for row in rows] == ["Health equity audit guide"]


def test_export_of_a_search_has_what_the_finder_finds(client, view):
    index_resources()
    finder = client.get(FINDER + "?q=equity+audit")
    rows = csv_rows(client.get(export_url("csv") + "?q=equity+audit"))
    assert [row["Title"] for row in rows] == ["Health equity audit guide"]
    assertContains(finder, "Health equity audit guide")


def test_export_with_bad_values_ignores_them(client, view):
    response = client.get(export_url("csv") + "?characteristic=nonsense&kind=spaceship&page=x")
    assert response.status_code == 200
    assert len(csv_rows(response)) == 4


def test_unknown_export_format_is_not_found(client, view):
    assert client.get("/resources/export.xlsx").status_code == 404


# RIS -------------------------------------------------------------------------------------------


def test_ris_export_reads_into_a_reference_manager(client, view):
    response = client.get(export_url("ris") + "?characteristic=race")
    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    assert response["Content-Disposition"].endswith(
        "about-race-" + timezone.localdate().isoformat() + '.ris"'
    )
    records = ris_records(response)
    assert [record["title"] for record in records] == [
        "Atlas of ethnicity data (Árvore)",
        "Bias in the clinic",
        "Health equity audit guide",
    ]
    tool, podcast, audit = records
    assert [tool["type_of_reference"], podcast["type_of_reference"]] == ["ELEC", "SOUND"]
    assert audit["type_of_reference"] == "RPRT"
    assert audit["authors"] == ["NHS England"]
    assert audit["publisher"] == "NHS England"
    assert audit["year"] == "2021"
    assert audit["urls"] == [view["audit"].url]
    assert audit["abstract"] == "How to run a health equity audit."
    assert audit["keywords"] == ["Commissioners", "Race", "audit", "HEAT"]
    assert "year" not in podcast


# BibTeX ----------------------------------------------------------------------------------------


def test_bibtex_export_parses_with_unique_keys(client, taxonomy, view):
    make_resource(title="Health equity audit guide", terms=[taxonomy["race"]])
    response = client.get(export_url("bib") + "?characteristic=race")
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    entries = bibtex_entries(response)
    keys = [entry.key for entry in entries]
    assert len(keys) == len(set(keys)) == 4
    by_title = {entry["title"]: entry for entry in entries}
    audit = next(entry for entry in entries if entry.key == view["audit"].slug)
    assert audit.entry_type == "techreport"
    assert audit["title"] == "Health equity audit guide"
    assert audit["institution"] == "NHS England"
    assert audit["author"] == "NHS England"
    assert audit["year"] == "2021"
    assert audit["url"] == view["audit"].url
    assert audit["abstract"] == "How to run a health equity audit."
    assert audit["keywords"] == "Commissioners, Race, audit, HEAT"
    assert by_title["Atlas of ethnicity data (Árvore)"].entry_type == "online"
    assert by_title["Atlas of ethnicity data (Árvore)"]["organization"] == "The King’s Fund"


def test_bibtex_escapes_special_characters_so_titles_round_trip(client):
    title = r"Costs {and} 50% of R&D: $5 #1 a_b x^2 ~approx C:\path"
    make_resource(title=title, summary="100% & more", kind=ResourceKind.REPORT)
    (entry,) = bibtex_entries(client.get(export_url("bib")))
    # pylatexenc reads \textasciicircum as the spacing circumflex (U+02C6); LaTeX prints "^".
    assert entry["title"].replace("\u02c6", "^") == title
    assert entry["abstract"] == "100% & more"


# Drafts, archived, query counts: every format -------------------------------------------------

EVERY_FORMAT = [FEED, export_url("csv"), export_url("ris"), export_url("bib"), READING_LIST, EMBED]


@pytest.mark.parametrize("url", EVERY_FORMAT)
def test_drafts_and_archived_resources_appear_in_no_format(client, view, url):
    response = client.get(url + "?characteristic=race")
    text = body(response)
    assert "Health equity audit guide" in text
    assert "Hidden" not in text


@pytest.mark.parametrize("url", [FINDER, *EVERY_FORMAT])
def test_numbers_that_are_not_numbers_never_break_a_view(client, view, url):
    # "²" and "١٢" pass str.isdigit(); only the second is a number int() reads.
    response = client.get(url + "?year_from=²&year_to=١٢&page=²&limit=²")
    assert response.status_code == 200
    if url in (FINDER, READING_LIST):
        assertContains(response, "“²” is not a year between 1800 and 2100")
    if url == EMBED:
        assertContains(response, "“²” is not a number from 1 to 50")


@pytest.mark.parametrize("count", [3, 30])
@pytest.mark.parametrize("extension", ["csv", "ris", "bib"])
def test_export_queries_stay_flat(client, django_assert_num_queries, taxonomy, extension, count):
    make_resources(count, terms=[taxonomy["race"], taxonomy["commissioners"]], keywords=["HEAT"])
    # Vocabularies and their terms; then on PostgreSQL, in a savepoint, JIT off and one
    # statement for everything (test_exports_streaming.py pins it over many chunks); elsewhere
    # the rows, their terms, their keywords.
    with django_assert_num_queries(6 if connection.vendor == "postgresql" else 5):
        text = body(client.get(export_url(extension) + "?characteristic=race"))
    assert text.count("Resource ") >= count


# Reading list ----------------------------------------------------------------------------------


def test_reading_list_numbers_the_view_with_addresses_in_full(client, view):
    response = client.get(READING_LIST + "?characteristic=race")
    today = timezone.localdate()
    assertContains(response, "<h1>Reading list: Resources about Race</h1>", html=True)
    assertContains(response, f"{today:%-d %B %Y}: 3 resources")
    assert slugs_in(response) == [view["tool"].slug, view["podcast"].slug, view["audit"].slug]
    assertContains(response, '<ol class="reading-list__entries">')
    assertContains(
        response,
        "NHS England (2021) <cite>Health equity audit guide</cite>. Guidance.",
    )
    assertContains(
        response,
        f'Available at: <a href="{view["audit"].url}">{view["audit"].url}</a>',
    )
    assertContains(response, "http://testserver" + view["audit"].get_absolute_url())
    assertNotContains(response, "Apply filters")


def test_reading_list_explains_ignored_values(client, view):
    response = client.get(READING_LIST + "?characteristic=nonsense")
    assert response.status_code == 200
    assertContains(response, "“nonsense” is not a protected characteristic in this catalogue")
    assert len(slugs_in(response)) == 4


def test_reading_list_says_when_it_is_cut_short(client, monkeypatch, view):
    monkeypatch.setattr("resources.views.take_away.READING_LIST_SIZE", 2)
    response = client.get(READING_LIST)
    assert len(slugs_in(response)) == 2
    assertContains(response, "This lists the first 2 of 4.")


def test_print_stylesheet_leaves_off_navigation_and_filters():
    css = Path(__file__).resolve().parents[3].joinpath("static/css/site.css").read_text()
    print_rules = css[css.index("@media print") :]
    for selector in (".site-header", ".site-footer", ".breadcrumbs", ".finder__filters"):
        assert selector in print_rules


# Embeddable list -------------------------------------------------------------------------------


def test_embed_may_be_framed_but_the_rest_of_the_site_may_not(client, view):
    embed = client.get(EMBED)
    assert "X-Frame-Options" not in embed
    assert "frame-ancestors *" in embed["Content-Security-Policy"].split("; ")
    for url in (FINDER, READING_LIST, view["audit"].get_absolute_url()):
        response = client.get(url)
        assert response["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"].split("; ")


def test_embed_lists_the_newest_with_links_opening_in_a_new_tab(client, view):
    response = client.get(EMBED + "?characteristic=race")
    assert slugs_in(response) == [view["tool"].slug, view["podcast"].slug, view["audit"].slug]
    assertContains(
        response,
        f'<a href="http://testserver{view["tool"].get_absolute_url()}" target="_blank" '
        f'rel="noopener">Atlas of ethnicity data (Árvore)<span class="visually-hidden"> (opens in a new tab)</span></a>',
        html=True,
    )
    assertNotContains(response, 'target="_blank">')  # every new-tab link has rel="noopener"
    assertContains(response, "From the Health Inequalities Resource Directory")
    assertContains(response, 'href="http://testserver/resources/?characteristic=race"')
    assertContains(response, 'href="/static/css/embed.css"')
    assertNotContains(response, "style=")
    assertNotContains(response, "Find resources")  # no site navigation


def test_embed_shows_ten_by_default_and_limit_chooses(client):
    make_resources(12)
    assert len(slugs_in(client.get(EMBED))) == 10
    assert len(slugs_in(client.get(EMBED + "?limit=3"))) == 3


@pytest.mark.parametrize(
    ("limit", "shown", "message"),
    [
        ("0", 10, "“0” is not a number from 1 to 50, so this shows 10."),
        ("lots", 10, "“lots” is not a number from 1 to 50, so this shows 10."),
        ("-5", 10, "“-5” is not a number from 1 to 50, so this shows 10."),
        ("99", 12, "An embedded list shows at most 50, so this shows 50."),
        ("9" * 5000, 12, "An embedded list shows at most 50, so this shows 50."),
    ],
)
def test_embed_explains_a_bad_limit(client, limit, shown, message):
    make_resources(12)
    response = client.get(EMBED + f"?limit={limit}")
    assert response.status_code == 200
    assert len(slugs_in(response)) == shown
    assertContains(response, message)
    assertNotContains(response, "“limit” is not a filter we know")


def test_embed_explains_ignored_filters(client, view):
    response = client.get(EMBED + "?characteristic=nonsense")
    assertContains(response, "“nonsense” is not a protected characteristic in this catalogue")


def test_search_engines_are_asked_not_to_crawl_exports_and_copies_of_the_finder(client):
    robots = client.get("/robots.txt").content.decode().splitlines()
    for path in ("/resources/export.", "/resources/reading-list/", "/resources/embed/"):
        assert f"Disallow: {path}" in robots
    assert not any(line.startswith("Disallow: /resources/feed") for line in robots)


# Slugs the pages above take --------------------------------------------------------------------


def test_no_resource_can_take_the_address_of_these_pages():
    assert make_resource(title="Feed").slug == "feed-2"
    resource = make_resource(title="Something")
    resource.slug = "embed"
    with pytest.raises(ValidationError, match="address of another page"):
        resource.full_clean()


def test_a_keyword_that_is_also_a_term_is_listed_once_for_reference_managers(client, taxonomy):
    make_resource(title="Race equality guide", terms=[taxonomy["race"]], keywords=["race", "BAME"])

    [record] = ris_records(client.get(export_url("ris")))
    [entry] = bibtex_entries(client.get(export_url("bib")))

    assert record["keywords"] == ["Race", "BAME"]
    assert entry["keywords"] == "Race, BAME"
