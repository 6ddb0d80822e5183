"""Spreadsheets in and out of the Resource admin: preview, confirm, refusals, round trip."""

import codecs
import csv
import io

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from resources.models import Resource, ResourceKind, ResourceStatus
from tests.factories import (
    make_organisation,
    make_resource,
    make_term,
    make_user,
    make_vocabulary,
)

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:resources_resource_import")
PROCESS = reverse("admin:resources_resource_process_import")
EXPORT = reverse("admin:resources_resource_export")
CHANGELIST = reverse("admin:resources_resource_changelist")
HEADINGS = ["Title", "Web address", "Publisher", "Type", "Protected characteristic", "Keywords"]


@pytest.fixture
def catalogue():
    """A publisher and a vocabulary, as the rows below name them."""
    characteristic = make_vocabulary(name="Protected characteristic", slug="characteristic")
    return {
        "ohid": make_organisation(
            name="Office for Health Improvement and Disparities", slug="ohid", acronym="OHID"
        ),
        "race": make_term(
            vocabulary=characteristic, name="Race", slug="race", synonyms="BAME\nEthnic minority"
        ),
        "disability": make_term(vocabulary=characteristic, name="Disability", slug="disability"),
        "characteristic": characteristic,
    }


def csv_upload(rows, *, name="resources.csv", bom=False, line_ending="\n"):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=line_ending).writerows(rows)
    data = buffer.getvalue().encode("utf-8")
    return SimpleUploadedFile(name, codecs.BOM_UTF8 + data if bom else data, "text/csv")


def xlsx_upload(rows, *, name="resources.xlsx"):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def preview(client, upload, format=""):
    return client.post(IMPORT, {"import_file": upload, "format": format})


def confirm(client, response):
    form = response.context["confirm_form"]
    assert form is not None, "the preview offered no confirmation"
    return client.post(PROCESS, {**form.initial, "confirm": "Confirm import"}, follow=True)


def outcomes(response):
    """(spreadsheet row, outcome) for each row the preview lists."""
    return [
        (row.number, row.import_type)
        for row in response.context["result"].rows
        if not row.is_skip()
    ]


def test_preview_lists_new_and_updated_rows_by_row_number_and_writes_nothing(
    client, librarian, catalogue
):
    existing = make_resource(title="Fingertips", url="https://fingertips.phe.org.uk/")
    upload = csv_upload(
        [
            HEADINGS,
            ["Health equity audit", "https://example.org/hea", "OHID", "Guidance", "race", ""],
            [
                "Fingertips",
                "http://FINGERTIPS.phe.org.uk?utm_source=x",
                "ohid",
                "Data tool",
                "",
                "",
            ],
        ]
    )
    response = preview(client, upload)

    assert outcomes(response) == [(2, "new"), (3, "update")]
    assertContains(response, "Confirm import")
    assertContains(response, '<th scope="row">2</th>', html=True)
    assertContains(response, "<strong>Type</strong>: <del>")
    assertContains(response, "<strong>Publisher</strong>: <del>")
    assert Resource.objects.count() == 1
    existing.refresh_from_db()
    assert existing.kind != ResourceKind.DATA_TOOL


def test_preview_shows_each_changed_value_as_it_is_and_as_it_will_be(client, librarian, catalogue):
    other = make_organisation(name="NHS England", slug="nhs-england")
    existing = make_resource(
        title="Fingertips",
        url="https://fingertips.phe.org.uk/",
        kind=ResourceKind.GUIDANCE,
        publisher=other,
        year_published=2019,
        terms=[catalogue["race"]],
        keywords=["profiles"],
    )
    upload = csv_upload(
        [
            [*HEADINGS, "Year published", "Summary"],
            [
                "Fingertips",
                "https://fingertips.phe.org.uk",
                "OHID",
                "Data tool",
                "Race; Disability",
                "profiles",
                "",
                "Public health profiles.",
            ],
        ]
    )
    response = preview(client, upload)

    (row,) = [row for row in response.context["result"].rows if row.is_update()]
    assert [(change.column, change.before, change.after) for change in row.changes] == [
        ("Type", "Guidance", "Data tool"),
        ("Publisher", "NHS England", "Office for Health Improvement and Disparities"),
        ("Year published", "2019", ""),
        ("Summary", "", "Public health profiles."),
        ("Protected characteristic", "Race", "Disability; Race"),
    ]
    assertContains(
        response,
        "<li><strong>Type</strong>: <del>Guidance</del> → <ins>Data tool</ins></li>",
        html=True,
    )
    assertContains(
        response,
        "<li><strong>Year published</strong>: <del>2019</del> → <ins>(blank)</ins></li>",
        html=True,
    )
    assertContains(
        response,
        "<li><strong>Summary</strong>: <del>(blank)</del> → <ins>Public health profiles.</ins></li>",
        html=True,
    )
    existing.refresh_from_db()
    assert existing.kind == ResourceKind.GUIDANCE


def test_confirming_writes_the_rows_as_drafts_stamped_with_the_importer(
    client, librarian, catalogue
):
    existing = make_resource(title="Fingertips", url="https://fingertips.phe.org.uk/")
    upload = csv_upload(
        [
            HEADINGS,
            [
                "Health equity audit",
                "https://example.org/hea",
                "OHID",
                "Guidance",
                "BAME; disability",
                "HEA, equity",
            ],
            ["Fingertips", "https://fingertips.phe.org.uk", "ohid", "Data tool", "", ""],
        ]
    )
    response = confirm(client, preview(client, upload))

    assertContains(response, "Import finished: 1 new, 1 updated, 0 unchanged")
    created = Resource.objects.get(title="Health equity audit")
    assert created.status == ResourceStatus.DRAFT
    assert created.publisher == catalogue["ohid"]
    assert set(created.terms.all()) == {catalogue["race"], catalogue["disability"]}
    assert sorted(created.keywords.names(), key=str.lower) == ["equity", "HEA"]
    assert (created.created_by, created.updated_by) == (librarian, librarian)
    existing.refresh_from_db()
    assert existing.kind == ResourceKind.DATA_TOOL
    assert existing.updated_by == librarian
    assert existing.history.latest().history_user == librarian
    assert created.history.earliest().history_user == librarian


def test_each_bad_row_is_reported_with_its_row_number_column_and_reason(
    client, librarian, catalogue
):
    make_resource(title="Already here", url="https://example.org/here")
    upload = csv_upload(
        [
            [
                "Title",
                "Web address",
                "Publisher",
                "Type",
                "Access",
                "Year published",
                "Protected characteristic",
            ],
            ["Good row", "https://example.org/good", "OHID", "Guidance", "Free", "2021", "Race"],
            ["Unknown publisher", "https://example.org/1", "Ministry of Magic", "", "", "", ""],
            ["Unknown term", "https://example.org/2", "", "", "", "", "Race; Left-handedness"],
            ["Bad type", "https://example.org/3", "", "Pamphlet", "", "", ""],
            ["Bad access", "https://example.org/4", "", "", "Sometimes", "", ""],
            ["Bad year", "https://example.org/5", "", "", "", "last year", ""],
            ["Bad address", "not a web address", "", "", "", "", ""],
            ["Bad characters", 'https://example.org/"><script>', "", "", "", "", ""],
            ["Twice", "https://example.org/good/", "", "", "", "", ""],
            ["", "https://example.org/untitled", "", "", "", "", ""],
        ]
    )
    before = Resource.objects.count()
    response = preview(client, upload)

    problems = {row.number: row.problems for row in response.context["result"].rows if row.problems}
    assert sorted(problems) == [3, 4, 5, 6, 7, 8, 9, 10, 11]
    assert problems[3][0][0] == "Publisher" and "“Ministry of Magic”" in problems[3][0][1]
    assert problems[4] == [
        (
            "Protected characteristic",
            "“Left-handedness” is not one of the catalogue's protected characteristic terms "
            "(check the spelling, or add it in the admin first).",
        )
    ]
    assert problems[5][0][0] == "Type" and "“Pamphlet” is not a type we know" in problems[5][0][1]
    assert problems[6][0][0] == "Access"
    assert problems[7] == [
        ("Year published", "“last year” is not a year. Write it as four digits, e.g. 2021.")
    ]
    assert problems[8] == [("Web address", "Enter a valid URL.")]
    assert problems[9] == [
        (
            "Web address",
            "A web address cannot contain “\"”, “>” or “<”. Copy it from your browser's "
            "address bar, which writes such characters with % signs.",
        )
    ]
    assert problems[10] == [
        ("Web address", "Row 2 has the same web address; list a resource once.")
    ]
    assert problems[11] == [("Title", "This field cannot be blank.")]
    assertContains(response, "9 rows have problems, so nothing will be imported")
    assertNotContains(response, "Confirm import")
    assert Resource.objects.count() == before


def test_several_unknown_names_in_one_cell_are_refused_in_a_sentence(client, librarian, catalogue):
    upload = csv_upload(
        [
            ["Title", "Partners", "Protected characteristic"],
            ["One", "Ministry of Magic; Gringotts", "Left-handedness; Race; Wizardry"],
        ]
    )
    (row,) = [row for row in preview(client, upload).context["result"].rows if row.problems]
    assert sorted(row.problems) == [
        (
            "Partners",
            "“Ministry of Magic” and “Gringotts” are not among the catalogue's organisations "
            "(check the spelling, or add them in the admin first).",
        ),
        (
            "Protected characteristic",
            "“Left-handedness” and “Wizardry” are not among the catalogue's protected "
            "characteristic terms (check the spelling, or add them in the admin first).",
        ),
    ]


def test_terms_and_organisations_match_by_name_slug_synonym_or_acronym_ignoring_case(
    client, librarian, catalogue
):
    nhse = make_organisation(name="NHS England", slug="nhs-england", acronym="NHSE")
    audience = make_vocabulary(name="Audience", slug="audience")
    commissioners = make_term(vocabulary=audience, name="Commissioners", slug="commissioners")
    upload = csv_upload(
        [
            ["title", "URL", "publisher", "Partners", "characteristic", "AUDIENCE"],
            [
                "One",
                "https://example.org/1",
                "office for health improvement and disparities",
                "nhse",
                "ethnic minority, DISABILITY",
                "Commissioners",
            ],
            ["Two", "https://example.org/2", "OHID", "NHS England; ohid", "bame", "commissioners"],
        ]
    )
    confirm(client, preview(client, upload))

    one, two = Resource.objects.get(title="One"), Resource.objects.get(title="Two")
    assert one.publisher == two.publisher == catalogue["ohid"]
    assert set(one.partners.all()) == {nhse}
    assert set(two.partners.all()) == {nhse, catalogue["ohid"]}
    assert set(one.terms.all()) == {catalogue["race"], catalogue["disability"], commissioners}
    assert set(two.terms.all()) == {catalogue["race"], commissioners}


def test_an_ambiguous_name_is_refused_naming_the_candidates(client, librarian, catalogue):
    make_organisation(name="Public Health Wales", slug="public-health-wales", acronym="PHW")
    make_organisation(name="Public Health Whatever", slug="public-health-whatever", acronym="PHW")
    upload = csv_upload([["Title", "Publisher"], ["One", "phw"], ["Two", "PHW"]])
    response = preview(client, upload)
    (row,) = [row for row in response.context["result"].rows if row.number == 3]
    assert row.problems == [
        (
            "Publisher",
            "“PHW” could mean “Public Health Wales” and “Public Health Whatever”: "
            "write the full name.",
        )
    ]


def test_a_row_without_a_web_address_matches_by_slug_and_otherwise_is_new(
    client, librarian, catalogue
):
    existing = make_resource(title="Old title", slug="core20plus5", url="")
    upload = csv_upload(
        [["Title", "Slug", "Web address"], ["New title", "core20plus5", ""], ["Brand new", "", ""]]
    )
    response = preview(client, upload)
    assert outcomes(response) == [(2, "update"), (3, "new")]
    confirm(client, response)
    existing.refresh_from_db()
    assert existing.title == "New title"
    assert Resource.objects.get(title="Brand new").slug == "brand-new"


def test_a_row_with_the_address_written_without_www_updates_the_resource(
    client, librarian, catalogue
):
    existing = make_resource(title="Core20PLUS5", url="https://www.england.nhs.uk/core20plus5/")
    upload = csv_upload(
        [["Title", "Web address"], ["Core20PLUS5 (adults)", "http://england.nhs.uk/core20plus5"]]
    )
    response = preview(client, upload)
    assert outcomes(response) == [(2, "update")]
    confirm(client, response)
    existing.refresh_from_db()
    assert existing.title == "Core20PLUS5 (adults)"
    assert existing.url == "https://www.england.nhs.uk/core20plus5/"
    assert Resource.objects.count() == 1


def test_a_moved_page_updates_the_address_of_the_resource_with_that_slug(
    client, librarian, catalogue
):
    existing = make_resource(slug="fingertips", url="https://fingertips.phe.org.uk/")
    upload = csv_upload(
        [["Slug", "Web address"], ["fingertips", "https://fingertips.ohid.gov.uk/"]]
    )
    confirm(client, preview(client, upload))
    existing.refresh_from_db()
    assert existing.url == "https://fingertips.ohid.gov.uk/"
    assert Resource.objects.count() == 1


def test_a_column_left_out_is_left_alone_and_one_vocabulary_does_not_touch_another(
    client, librarian, catalogue
):
    audience = make_vocabulary(name="Audience", slug="audience")
    commissioners = make_term(vocabulary=audience, name="Commissioners", slug="commissioners")
    resource = make_resource(
        url="https://example.org/a",
        summary="Keep me.",
        terms=[catalogue["race"], commissioners],
        keywords=["HEAT"],
    )
    upload = csv_upload(
        [["Web address", "Protected characteristic"], ["https://example.org/a", "Disability"]]
    )
    confirm(client, preview(client, upload))
    resource.refresh_from_db()
    assert resource.summary == "Keep me."
    assert set(resource.terms.all()) == {catalogue["disability"], commissioners}
    assert list(resource.keywords.names()) == ["HEAT"]


def test_a_librarian_cannot_publish_through_an_import(client, librarian, catalogue):
    draft = make_resource(url="https://example.org/draft", status=ResourceStatus.DRAFT)
    upload = csv_upload(
        [
            ["Title", "Web address", "Status"],
            ["New and published", "https://example.org/new", "Published"],
            ["Was a draft", "https://example.org/draft", "published"],
            ["For review", "https://example.org/review", "In review"],
        ]
    )
    response = preview(client, upload)
    problems = {row.number: row.problems for row in response.context["result"].rows}
    assert problems[2] == [("Status", "You do not have permission to make a resource published.")]
    assert problems[3] == [
        ("Status", "You do not have permission to make a resource published (it is draft now).")
    ]
    assert problems[4] == []
    assert Resource.objects.count() == 1
    draft.refresh_from_db()
    assert draft.status == ResourceStatus.DRAFT


def test_an_editor_may_import_published_resources(client, editor, catalogue):
    upload = csv_upload(
        [["Title", "Web address", "Status"], ["Live", "https://example.org/live", "Published"]]
    )
    confirm(client, preview(client, upload))
    live = Resource.objects.get(title="Live")
    assert live.status == ResourceStatus.PUBLISHED
    assert live.published_at is not None


def test_a_csv_saved_by_excel_with_a_byte_order_mark_and_windows_line_endings(
    client, librarian, catalogue
):
    upload = csv_upload(
        [
            ["Title", "Web address", "Summary"],
            ["Café culture – equity", "https://example.org/café", "Two\nlines"],
        ],
        bom=True,
        line_ending="\r\n",
    )
    response = preview(client, upload)
    assert outcomes(response) == [(2, "new")]
    confirm(client, response)
    resource = Resource.objects.get()
    assert resource.title == "Café culture – equity"
    assert resource.summary == "Two\nlines"


def test_a_csv_in_windows_1252_from_older_excel(client, librarian, catalogue):
    data = "Title,Web address\r\nCaf\xe9 \x96 equity,https://example.org/c\r\n".encode("latin-1")
    response = preview(client, SimpleUploadedFile("old.csv", data))
    confirm(client, response)
    assert Resource.objects.get().title == "Café – equity"


def test_an_excel_workbook(client, librarian, catalogue):
    upload = xlsx_upload(
        [
            ["Title", "Web address", "Year published", "Date last updated", "Publisher"],
            ["From Excel", "https://example.org/x", 2021, None, "OHID"],
            [None, None, None, None, None],  # Excel's trailing empty rows
        ]
    )
    response = preview(client, upload)
    assert outcomes(response) == [(2, "new")]
    confirm(client, response)
    resource = Resource.objects.get()
    assert (resource.title, resource.year_published) == ("From Excel", 2021)


def test_an_empty_file_is_refused_with_a_message(client, librarian):
    response = preview(client, SimpleUploadedFile("empty.csv", b""))
    assertContains(response, "The submitted file is empty.")
    response = preview(client, csv_upload([["Title", "Web address"]]))
    assertContains(response, "No valid data to import")


def test_a_file_with_no_columns_we_know_says_so(client, librarian):
    response = preview(client, csv_upload([["Name", "Colour"], ["A", "blue"]]))
    assertContains(response, "None of this file&#x27;s columns is one we know")
    assertContains(response, "Title, Web address, Slug")
    assertNotContains(response, "Confirm import")


def test_unknown_columns_are_named_and_ignored(client, librarian):
    response = preview(client, csv_upload([["Title", "My notes"], ["A", "check later"]]))
    assertContains(response, "Columns not recognised, and ignored: My notes.")
    assertContains(response, "Confirm import")


def test_a_file_that_is_not_a_spreadsheet_gets_a_clear_message(client, librarian):
    response = preview(client, SimpleUploadedFile("notes.xlsx", b"just text"))
    assertContains(response, "could not be read as the format chosen")
    response = preview(client, SimpleUploadedFile("notes.txt", b"Title\nA\n"))
    assertContains(response, "does not end in .csv or .xlsx")


@pytest.mark.parametrize("database_changes", ["publisher renamed", "term deleted"])
def test_an_import_that_fails_at_confirmation_writes_nothing(
    client, librarian, catalogue, database_changes
):
    upload = csv_upload(
        [
            ["Title", "Web address", "Publisher", "Protected characteristic"],
            ["First", "https://example.org/1", "Office for Health Improvement and Disparities", ""],
            ["Second", "https://example.org/2", "OHID", "Disability"],
        ]
    )
    response = preview(client, upload)
    if database_changes == "publisher renamed":
        catalogue["ohid"].name, catalogue["ohid"].acronym = "Renamed", ""
        catalogue["ohid"].save()
    else:
        catalogue["disability"].delete()
    counts = Resource.objects.count(), Resource.history.count()

    response = confirm(client, response)

    assertContains(response, "Nothing was imported.")
    assert (Resource.objects.count(), Resource.history.count()) == counts
    assert not Resource.objects.filter(title="First").exists()


def test_unchanged_rows_are_skipped_and_said_to_be(client, librarian, catalogue):
    make_resource(title="Same", url="https://example.org/same", publisher=catalogue["ohid"])
    upload = csv_upload(
        [["Title", "Web address", "Publisher"], ["Same", "https://example.org/same/", "OHID"]]
    )
    response = preview(client, upload)
    assert outcomes(response) == []
    assertContains(response, "leave <strong>1</strong> row as they are", html=False)
    response = confirm(client, response)
    assertContains(response, "Import finished: 0 new, 0 updated, 1 unchanged")


def export(client, query="", format="0", **data):
    response = client.post(EXPORT + query, {"format": format, **data})
    assert response.status_code == 200, response.content[:500]
    return response


def exported_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_export_follows_the_changelist_filters_in_the_import_columns(client, librarian, catalogue):
    make_vocabulary(name="Audience", slug="audience")
    make_resource(
        title="Published one",
        publisher=catalogue["ohid"],
        terms=[catalogue["race"], catalogue["disability"]],
        keywords=["HEAT", "equity"],
        year_published=2020,
    )
    make_resource(title="A draft", status=ResourceStatus.DRAFT)
    response = export(client, "?status__exact=published")

    assert response["Content-Disposition"].startswith('attachment; filename="resources-')
    headings, *rows = exported_rows(response)
    assert headings == [
        "Title",
        "Web address",
        "Slug",
        "Type",
        "Status",
        "Publisher",
        "Partners",
        "Year published",
        "Date last updated",
        "Access",
        "Format",
        "Summary",
        "Alternative titles",
        "Protected characteristic",
        "Audience",
        "Keywords",
        "Curator notes",
        "Authors",
        "Also cited as",
        "Why there is no web address",
        "Evidence",
    ]
    assert [row[0] for row in rows] == ["Published one"]
    row = dict(zip(headings, rows[0], strict=True))
    assert row["Publisher"] == "Office for Health Improvement and Disparities"
    assert row["Protected characteristic"] == "Race; Disability"
    assert row["Keywords"] == "equity; HEAT"
    assert (row["Type"], row["Status"], row["Year published"]) == (
        "Publication",
        "Published",
        "2020",
    )


def test_export_selected_resources_through_the_action(client, librarian):
    chosen, _other = make_resource(title="Chosen"), make_resource(title="Not chosen")
    response = client.post(
        CHANGELIST, {"action": "export_admin_action", "_selected_action": [chosen.pk]}
    )
    assertContains(response, "Export 1 selected item.")
    rows = exported_rows(export(client, export_items=[chosen.pk]))
    assert [row[0] for row in rows[1:]] == ["Chosen"]


@pytest.mark.parametrize("format", ["0", "1"])
def test_an_export_imports_back_unchanged(client, editor, catalogue, format):
    nhse = make_organisation(name="NHS England", acronym="NHSE")
    make_resource(
        title="Health equity audit, a guide",
        url="https://example.org/hea?utm_source=newsletter",
        publisher=catalogue["ohid"],
        terms=[catalogue["race"], catalogue["disability"]],
        keywords=["HEA", "equity audit"],
        year_published=2021,
        summary="Two lines:\nhere.",
        access="registration",
    ).partners.add(nhse)
    make_resource(title="No address", url="", status=ResourceStatus.DRAFT, kind="e-learning")
    make_resource(title="Archived", status=ResourceStatus.ARCHIVED, alternative_titles="A\nB")
    response = export(client, format=format)
    extension = "csv" if format == "0" else "xlsx"
    upload = SimpleUploadedFile(f"export.{extension}", response.content)

    response = preview(client, upload)

    totals = response.context["result"].totals
    assert (totals["new"], totals["update"], totals["skip"], totals["invalid"]) == (0, 0, 3, 0)
    assertContains(response, "Confirm import")


def test_only_staff_who_may_add_and_change_resources_can_import(client):
    viewer = make_user()
    viewer.user_permissions.add(Permission.objects.get(codename="view_resource"))
    client.force_login(viewer)
    assert client.get(IMPORT).status_code == 403
    assertNotContains(client.get(CHANGELIST), 'class="import_link"')
    assertContains(client.get(CHANGELIST), 'class="export_link"')
    assert export(client).status_code == 200


def test_export_needs_permission_to_view_resources(client):
    client.force_login(make_user())
    assert client.post(EXPORT, {"format": "0"}).status_code == 403


def test_a_librarian_sees_import_export_and_coverage_on_the_changelist(client, librarian):
    response = client.get(CHANGELIST)
    assertContains(response, 'class="import_link"')
    assertContains(response, 'class="export_link"')
    assertContains(response, reverse("admin:resources_resource_coverage"))


def rows_of_new_resources(count, start=0):
    rows = [["Title", "Web address", "Publisher", "Protected characteristic", "Keywords"]]
    return rows + [
        [f"Resource {n}", f"https://example.org/{n}", "OHID", "Race", "HEAT; equity"]
        for n in range(start, start + count)
    ]


def test_import_queries_grow_by_a_fixed_number_per_row(client, librarian, catalogue):
    """20 a row (mostly taggit's, per keyword) in the preview and again on confirming."""
    make_resource(keywords=["HEAT", "equity"])  # the keywords exist already
    queries = {}
    for count, start in [(1, 0), (10, 10), (20, 100)]:  # the first warms caches
        upload = csv_upload(rows_of_new_resources(count, start))
        with CaptureQueriesContext(connection) as previewing:
            response = preview(client, upload)
        with CaptureQueriesContext(connection) as confirming:
            confirm(client, response)
        queries[count] = len(previewing), len(confirming)
    assert queries[20][0] - queries[10][0] == 10 * 20
    assert queries[20][1] - queries[10][1] == 10 * 20
    assert max(queries[10]) <= 40 + 20 * 10
    assert Resource.objects.count() == 32


def test_two_thousand_rows_import(client, librarian, catalogue):
    response = preview(client, csv_upload(rows_of_new_resources(2000)))
    assert response.context["result"].totals["new"] == 2000
    assertContains(response, "Confirm import")
    confirm(client, response)
    assert Resource.objects.filter(terms=catalogue["race"]).count() == 2000
    assert Resource.objects.filter(search_keywords__icontains="HEAT").count() == 2000
    assert Resource.history.filter(history_user=librarian).count() == 2000


def test_an_import_indexes_each_resource_once_when_it_commits(
    client, librarian, catalogue, indexed
):
    response = preview(client, csv_upload(rows_of_new_resources(30)))
    assert indexed == []  # a preview is rolled back: nothing to index
    confirm(client, response)
    written = Resource.objects.values_list("pk", flat=True)
    assert len(written) == 30
    assert sorted(indexed) == sorted(written)
