"""The admin screens librarians work in all day, in a real browser: at a desk's width (1280 px)
each change list shows its whole table, and axe-core finds no WCAG 2.2 AA violations on the
pages they use; on a phone the change list still works, its table scrolling on its own."""

import csv
import io
from dataclasses import dataclass
from math import ceil

import pytest
from django.urls import reverse

from resources.admin.resources import ResourceAdmin
from resources.curation.coverage import keep_coverage
from resources.curation.link_checking import Result, record
from resources.models import LinkCheckRun, LinkStatus, Resource
from resources.submissions.suggestions import suggest_resource
from tests.browser.test_accessibility import assert_no_wcag_violations
from tests.browser.test_history_and_conflicts import sign_in_to_the_admin
from tests.factories import make_problem_report, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHANGELIST = "/admin/resources/resource/"
DESK_WIDTH = 1280  # sign_in_to_the_admin opens the admin at 1280 x 800
PHONE = {"width": 390, "height": 844}
MOST_TITLE_LINES = 3


@dataclass(frozen=True)
class Workbench:
    librarian: str
    editor: str
    pages_of_resources: int
    resource_admin_url: str
    link_report_url: str
    spreadsheet: bytes


@pytest.fixture
def workbench(catalogue):
    """The shipped catalogue with what a working day leaves in the admin: a link check run that
    found a broken and a moved address, a problem report and a suggestion from the public. Made
    before the browser starts: Django refuses database work while Playwright runs."""
    resources = list(Resource.objects.published().exclude(url="").order_by("-title")[:3])
    run = LinkCheckRun.objects.create(checked=2)
    broken, moved, reported = resources
    record(run, broken, Result(url=broken.url, outcome=LinkStatus.BROKEN, status_code=404))
    record(
        run,
        moved,
        Result(
            url=moved.url,
            outcome=LinkStatus.OK,
            status_code=200,
            final_url=f"{moved.url}moved/",
            is_permanent_redirect=True,
        ),
    )
    make_problem_report(resource=reported)
    suggest_resource(
        title="A community guide to inclusive health checks for people experiencing "
        "homelessness in coastal towns and the places they move between",
        url="https://example.org/coastal-health-checks",
        publisher="A charity for coastal health research and practice development",
    )
    resource = Resource.objects.get(title=catalogue.resource.heading)
    return Workbench(
        librarian=make_user(groups=["Librarian"]).username,
        editor=make_user(groups=["Editor"]).username,
        pages_of_resources=ceil(Resource.objects.count() / ResourceAdmin.list_per_page),
        resource_admin_url=reverse("admin:resources_resource_change", args=[resource.pk]),
        link_report_url=reverse("admin:resources_linkcheckrun_change", args=[run.pk]),
        spreadsheet=spreadsheet(
            ["Title", "Web address", "Publisher", "Type"],
            ["A new guide to equity audits", "https://example.org/audits", "OHID", "Guidance"],
            [resource.title, resource.url, "OHID", "Tool"],
            ["Another guide", "https://example.org/another", "Nobody we know", "Guidance"],
        ),
    )


def spreadsheet(*rows):
    """The rows as a CSV file, as a librarian uploads one."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


def table_fits(page):
    """How the change list's table sits in its results area and the viewport."""
    return page.evaluate(
        """() => {
            const results = document.querySelector("#changelist-form .results");
            const right = (name) => {
                const cell = document.querySelector(`#result_list thead th.column-${name}`);
                return cell ? cell.getBoundingClientRect().right : null;
            };
            return {
                scrollWidth: results.scrollWidth,
                clientWidth: results.clientWidth,
                pageScrollWidth: document.documentElement.scrollWidth,
                viewport: window.innerWidth,
                status: right("status"),
                link: right("link_state"),
                reviewDue: right("review_due"),
            };
        }"""
    )


def title_lines(page):
    """Each title on the page with the number of lines it wraps to."""
    return page.locator("#result_list tbody th a").evaluate_all(
        "links => links.map(link => [link.innerText, link.getClientRects().length])"
    )


@pytest.mark.parametrize("role", ["librarian", "editor"])
def test_the_resource_change_list_shows_its_whole_table_at_1280_px(role, workbench, new_page):
    page = new_page()
    sign_in_to_the_admin(page, getattr(workbench, role))
    for number in range(1, workbench.pages_of_resources + 1):
        page.goto(f"{CHANGELIST}?p={number}")
        fit = table_fits(page)
        assert fit["scrollWidth"] <= fit["clientWidth"], f"page {number}: {fit}"
        assert fit["pageScrollWidth"] <= fit["viewport"], f"page {number}: {fit}"
        for column in ["status", "link", "reviewDue"]:
            assert fit[column] is not None, f"no {column} column"
            assert fit[column] <= fit["viewport"], f"{column} is off screen: {fit}"
        too_tall = [
            (title, lines) for title, lines in title_lines(page) if lines > MOST_TITLE_LINES
        ]
        assert not too_tall, f"page {number}: titles wrap to more than {MOST_TITLE_LINES} lines"


def test_admin_pages_librarians_use_fit_1280_px_and_have_no_wcag_22_aa_violations(
    workbench, new_page, subtests
):
    """Each page shows whole at 1280 px (a change list's table within its results area), and
    axe-core finds no WCAG 2.2 AA violation on it."""
    pages = {
        "home": "/admin/",
        "resources, filtered": f"{CHANGELIST}?status__exact=published&review=never",
        "suggestions from the public": f"{CHANGELIST}?suggested=yes",
        "failing links": f"{CHANGELIST}?link_status__exact={LinkStatus.FAILING}",
        "a resource": workbench.resource_admin_url,
        "a new resource": f"{CHANGELIST}add/",
        "a resource's history": f"{workbench.resource_admin_url.removesuffix('change/')}history/",
        "import": f"{CHANGELIST}import/",
        "coverage": f"{CHANGELIST}coverage/",
        "link check runs": "/admin/resources/linkcheckrun/",
        "the link report": workbench.link_report_url,
        "problem reports": "/admin/resources/problemreport/",
        "organisations": "/admin/resources/organisation/",
        "a new organisation": "/admin/resources/organisation/add/",
        "terms": "/admin/taxonomy/term/",
        "vocabularies": "/admin/taxonomy/vocabulary/",
    }
    page = new_page()
    sign_in_to_the_admin(page, workbench.librarian)
    for name, path in pages.items():
        with subtests.test(name, path=path):
            response = page.goto(path)
            assert response.status == 200
            assert page.evaluate("document.documentElement.scrollWidth") <= DESK_WIDTH
            if page.locator("#result_list").count():
                assert page.locator("#result_list tbody tr").count() > 0
                fit = table_fits(page)
                assert fit["scrollWidth"] <= fit["clientWidth"], fit
            assert_no_wcag_violations(page)

    with subtests.test("an import's preview", path=f"{CHANGELIST}import/"):
        page.goto(f"{CHANGELIST}import/")
        page.get_by_label("Spreadsheet").set_input_files(
            files=[
                {"name": "resources.csv", "mimeType": "text/csv", "buffer": workbench.spreadsheet}
            ]
        )
        with page.expect_navigation():
            page.get_by_role("button", name="Preview the import").click()
        outcomes = page.locator(".import-outcome tbody").inner_text()
        assert "New" in outcomes
        assert "→" in outcomes
        assert "Nobody we know" in outcomes
        assert_no_wcag_violations(page)

    with subtests.test("a resource, after choosing a term", path=workbench.resource_admin_url):
        page.goto(workbench.resource_admin_url)
        terms = page.get_by_role("searchbox", name="Terms")
        partners = page.get_by_role("searchbox", name="Partners")
        assert terms.count() == 1
        assert partners.count() == 1
        assert page.get_by_role("combobox", name="Publisher").count() == 1
        terms.click()
        terms.press_sequentially("Race")
        page.locator(".select2-results__option", has_text="Race").first.click()
        assert "Race" in page.locator(".field-terms .select2-selection").inner_text()
        assert_no_wcag_violations(page)


def test_the_resource_change_list_works_on_a_phone(workbench, new_page):
    """At 390 px the table may scroll sideways on its own; the page around it does not."""
    page = new_page()
    sign_in_to_the_admin(page, workbench.librarian)
    page.set_viewport_size(PHONE)
    page.goto(CHANGELIST)
    fit = table_fits(page)
    assert fit["pageScrollWidth"] <= fit["viewport"], fit
    assert fit["clientWidth"] <= fit["viewport"], fit
    assert page.get_by_role("button", name="Search").is_visible()
    first_title = page.locator("#result_list tbody th a").first
    assert first_title.is_visible()
    assert first_title.bounding_box()["x"] >= 0
    status = page.locator("#changelist-filter").get_by_role("link", name="Published", exact=True)
    with page.expect_navigation():
        status.click()
    assert "status__exact=published" in page.url
    assert page.locator("#result_list tbody tr").count() > 0


@pytest.fixture
def counted_then_edited(workbench, monkeypatch):
    """A catalogue too big to count on every visit (every count is slow), its coverage counted,
    then edited. Made before the browser starts, as the workbench is."""
    monkeypatch.setattr("resources.curation.coverage.QUICK_SECONDS", -1)
    keep_coverage()
    Resource.objects.published().first().terms.clear()
    return workbench


@pytest.mark.parametrize("screen", [None, PHONE], ids=["desk", "phone"])
def test_a_librarian_counts_coverage_again_after_a_change(counted_then_edited, new_page, screen):
    """The coverage page after an edit shows the last counts, says so, and counts again when
    asked, at a desk and on a phone."""
    page = new_page()
    sign_in_to_the_admin(page, counted_then_edited.librarian)
    if screen:
        page.set_viewport_size(screen)
    page.goto(f"{CHANGELIST}coverage/")
    notice = page.get_by_role("status")
    assert "the catalogue has changed since" in notice.inner_text()
    assert_no_wcag_violations(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Count again now").click()
    assert "Counted again" in page.locator(".messagelist").inner_text()
    assert page.get_by_text("the catalogue has changed since").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
