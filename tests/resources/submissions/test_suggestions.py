"""Suggestions and problem reports from the public, and how they arrive in the admin."""

import pytest
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from resources.curation.workflow import transition
from resources.models import ProblemKind, ProblemReport, ReportStatus, Resource, ResourceStatus
from tests.factories import make_problem_report, make_resource, make_user

pytestmark = pytest.mark.django_db

SUGGEST = reverse("resources:suggest")
THANKS = reverse("resources:suggest-thanks")
SCRIPT = "<script>alert(1)</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
URL_ERROR = (
    "Enter a web address that starts with http:// or https://, like https://www.example.org/report"
)
REPORTS = reverse("admin:resources_problemreport_changelist")
RESOURCES = reverse("admin:resources_resource_changelist")


def suggestion(**overrides):
    fields = {
        "title": "Health equity audit guide",
        "url": "https://www.example.nhs.uk/hea-guide",
        "summary": "How to run a health equity audit in primary care.",
        "publisher": "NHS Example",
        "email": "visitor@example.org",
        "homepage": "",
    }
    return fields | overrides


def report(**overrides):
    fields = {
        "kind": ProblemKind.BROKEN_LINK,
        "message": "The link goes to a page not found.",
        "email": "",
        "homepage": "",
    }
    return fields | overrides


def report_url(resource):
    return reverse("resources:report", args=[resource.slug])


@pytest.fixture
def librarian():
    return make_user(groups=["Librarian"])


# Suggesting a resource


def test_suggest_page_is_linked_from_every_page_and_the_finders_empty_state(client):
    link = f'<a href="{SUGGEST}">Suggest a resource</a>'
    assertContains(client.get(reverse("resources:home")), link, html=True)
    empty = client.get(reverse("resources:list"), {"q": "nothing matches this"})
    assertContains(empty, "No resources match this view.")
    assertContains(empty, link, html=True, count=2)  # footer and empty state


def test_suggest_page_asks_the_questions_with_labels_and_says_what_the_email_is_for(client):
    response = client.get(SUGGEST)
    assertContains(response, "<h1>Suggest a resource</h1>", html=True)
    for label in ["Title", "Web address (optional)", "What it is (optional)"]:
        assertContains(response, label)
    assertContains(
        response,
        '<label class="label" for="id_email">Your email address (optional)</label>',
        html=True,
    )
    assertContains(response, "We use it for nothing else and never show it on the site.")
    assertContains(response, 'aria-describedby="id_email_helptext"')
    assertContains(response, "csrfmiddlewaretoken")


def test_a_suggestion_arrives_as_a_draft_suggestion_with_the_email(client):
    response = client.post(SUGGEST, suggestion())
    assertRedirects(response, THANKS)
    resource = Resource.objects.get()
    assert resource.status == ResourceStatus.DRAFT
    assert resource.is_suggestion
    assert (resource.title, resource.url, resource.summary) == (
        "Health equity audit guide",
        "https://www.example.nhs.uk/hea-guide",
        "How to run a health equity audit in primary care.",
    )
    assert resource.suggested_publisher == "NHS Example"
    assert resource.suggested_by_email == "visitor@example.org"
    assert resource.created_by is None
    assert resource.history.get().history_type == "+"
    assertContains(client.get(THANKS), "Thank you for your suggestion")


def test_a_suggestion_is_not_public(client):
    make_resource(title="Something already published")
    client.post(SUGGEST, suggestion(title="Suggested and waiting"))
    resource = Resource.objects.get(title="Suggested and waiting")
    assert client.get(resource.get_absolute_url()).status_code == 404
    finder = client.get(reverse("resources:list"))
    assertContains(finder, "Something already published")
    assertNotContains(finder, "Suggested and waiting")
    assertNotContains(client.get(reverse("resources:list"), {"q": "waiting"}), "Suggested and")
    assertNotContains(client.get("/sitemap-resources.xml"), resource.slug)


def test_suggesting_an_address_already_published_links_to_its_page(client):
    published = make_resource(title="Health equity audit", url="https://www.example.nhs.uk/hea/")
    # The same page once normalised: http, upper-case host, a tracking parameter.
    response = client.post(
        SUGGEST, suggestion(url="http://WWW.example.nhs.uk/hea?utm_source=email"), follow=True
    )
    assertRedirects(response, THANKS)
    assertContains(response, "It is already in the directory")
    assertContains(
        response, f'<a href="{published.get_absolute_url()}">Health equity audit</a>', html=True
    )
    assert Resource.objects.count() == 1


@pytest.mark.parametrize(
    ("stored", "suggested"),
    [
        (
            "https://www.england.nhs.uk/long-read/core20plus5/",
            "http://england.nhs.uk/long-read/core20plus5",
        ),
        (
            "https://england.nhs.uk/long-read/core20plus5",
            "https://www.england.nhs.uk/long-read/core20plus5/",
        ),
    ],
)
def test_suggesting_an_address_with_or_without_www_is_recognised(client, stored, suggested):
    published = make_resource(title="Core20PLUS5", url=stored)
    response = client.post(SUGGEST, suggestion(url=suggested), follow=True)
    assertContains(response, "It is already in the directory")
    assertContains(response, f'<a href="{published.get_absolute_url()}">Core20PLUS5</a>', html=True)
    assert Resource.objects.count() == 1


@pytest.mark.parametrize(
    "status", [ResourceStatus.DRAFT, ResourceStatus.IN_REVIEW, ResourceStatus.ARCHIVED]
)
def test_suggesting_an_address_not_public_says_it_is_considered_without_naming_it(client, status):
    hidden = make_resource(
        title="Confidential working title",
        slug="confidential-working-title",
        url="https://www.example.nhs.uk/secret-report",
        status=status,
    )
    response = client.post(
        SUGGEST, suggestion(url="https://www.example.nhs.uk/secret-report/"), follow=True
    )
    assertContains(response, "we are already considering it")
    assertNotContains(response, "Confidential working title")
    assertNotContains(response, hidden.slug)
    assertNotContains(response, "secret-report")
    assert Resource.objects.count() == 1


def test_the_thank_you_page_without_a_suggestion_goes_back_to_the_form(client):
    assertRedirects(client.get(THANKS), SUGGEST)


def test_a_suggestion_goes_through_the_normal_workflow(client):
    client.post(SUGGEST, suggestion())
    resource = Resource.objects.get()
    editor = make_user(groups=["Editor"])
    client.force_login(editor)
    for action in ["send_to_review", "publish"]:
        client.post(RESOURCES, {"action": action, "_selected_action": [resource.pk]})
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.PUBLISHED
    assert resource.is_suggestion  # where it came from stays on the record
    client.logout()
    assertContains(client.get(resource.get_absolute_url()), "Health equity audit guide")
    history = list(resource.history.all())
    assert [record.status for record in history] == ["published", "in-review", "draft"]
    assert [record.history_user for record in history] == [editor, editor, None]


# Reporting a problem


def test_every_published_resource_page_links_to_report_a_problem(client):
    resource = make_resource(title="Fingertips")
    response = client.get(resource.get_absolute_url())
    assertContains(response, f'href="{report_url(resource)}"')
    assertContains(response, "Report a problem")


def test_a_staff_preview_of_a_draft_has_no_report_link(client, librarian):
    draft = make_resource(status=ResourceStatus.DRAFT)
    client.force_login(librarian)
    response = client.get(draft.get_absolute_url())
    assertContains(response, "Not published.")
    assertNotContains(response, report_url(draft))


def test_a_report_creates_an_open_item_visible_in_the_admin(client, librarian):
    resource = make_resource(title="Fingertips")
    response = client.post(report_url(resource), report(email="nurse@example.org"), follow=True)
    assertRedirects(response, resource.get_absolute_url())
    assertContains(response, "Thank you for your report.")
    problem = ProblemReport.objects.get()
    assert (problem.resource, problem.kind, problem.status) == (
        resource,
        ProblemKind.BROKEN_LINK,
        ReportStatus.OPEN,
    )
    assert (problem.message, problem.email) == (
        "The link goes to a page not found.",
        "nurse@example.org",
    )

    client.force_login(librarian)
    changelist = client.get(REPORTS)
    assertContains(changelist, "The link goes to a page not found.")
    assertContains(changelist, "The link does not work")
    assertContains(changelist, "Open")
    open_only = client.get(REPORTS, {"status__exact": "open"})
    assertContains(open_only, "Fingertips")


@pytest.mark.parametrize(
    "status", [ResourceStatus.DRAFT, ResourceStatus.IN_REVIEW, ResourceStatus.ARCHIVED]
)
def test_only_published_resources_can_be_reported(client, librarian, status):
    resource = make_resource(status=status)
    assert client.get(report_url(resource)).status_code == 404
    assert client.post(report_url(resource), report()).status_code == 404
    client.force_login(librarian)  # not even staff: a report is about what the public sees
    assert client.get(report_url(resource)).status_code == 404
    assert not ProblemReport.objects.exists()


def test_report_page_names_the_resource_and_is_not_indexed(client):
    resource = make_resource(title="Fingertips")
    response = client.get(report_url(resource))
    assertContains(response, "<h1>Report a problem</h1>", html=True)
    assertContains(response, f'<a href="{resource.get_absolute_url()}">Fingertips</a>', html=True)
    assertContains(response, '<legend class="label">What is wrong?</legend>', html=True)
    assertContains(response, '<meta name="robots" content="noindex">', html=True)


def test_resource_changelist_filters_suggestions_and_open_problem_reports(client, librarian):
    client.post(SUGGEST, suggestion(title="From a visitor"))
    reported = make_resource(title="Reported resource")
    resolved = make_resource(title="Report already resolved")
    make_resource(title="Nothing to see")
    make_problem_report(resource=reported)
    make_problem_report(resource=resolved, status=ReportStatus.RESOLVED)
    client.force_login(librarian)

    suggestions = client.get(RESOURCES, {"suggested": "yes"})
    assertContains(suggestions, "By suggestions from the public")
    assertContains(suggestions, "From a visitor")
    assertNotContains(suggestions, "Nothing to see")

    with_reports = client.get(RESOURCES, {"reports": "open"})
    assertContains(with_reports, "Has open problem reports")
    assertContains(with_reports, "Reported resource")
    assertNotContains(with_reports, "Report already resolved")
    assertNotContains(with_reports, "Nothing to see")


def test_resource_change_page_shows_the_suggester_and_open_reports(client, librarian):
    client.post(SUGGEST, suggestion())
    resource = Resource.objects.get()
    transition(resource, ResourceStatus.IN_REVIEW, by=make_user(groups=["Editor"]))
    resource.status = ResourceStatus.PUBLISHED
    resource.save()
    make_problem_report(resource=resource, message="The summary is out of date.")
    make_problem_report(
        resource=resource, message="An old, fixed problem.", status=ReportStatus.RESOLVED
    )
    client.force_login(librarian)
    response = client.get(reverse("admin:resources_resource_change", args=[resource.pk]))
    assertContains(response, "From the public")
    assertContains(response, "visitor@example.org")
    assertContains(response, "NHS Example")
    assertContains(response, "The summary is out of date.")
    assertNotContains(response, "An old, fixed problem.")
    assertNotContains(response, 'name="suggested_by_email"')  # shown, not editable
    every_report = client.get(REPORTS, {"resource__id__exact": resource.pk})
    assertContains(every_report, "An old, fixed problem.")


def test_mark_resolved_stamps_who_and_when(client, librarian):
    problem = make_problem_report()
    other = make_problem_report()
    client.force_login(librarian)
    response = client.post(
        REPORTS, {"action": "mark_resolved", "_selected_action": [problem.pk]}, follow=True
    )
    assertContains(response, "1 report marked as resolved.")
    problem.refresh_from_db()
    assert problem.status == ReportStatus.RESOLVED
    assert problem.resolved_by == librarian
    assert problem.resolved_at is not None
    other.refresh_from_db()
    assert other.status == ReportStatus.OPEN

    client.post(REPORTS, {"action": "reopen", "_selected_action": [problem.pk]})
    problem.refresh_from_db()
    assert (problem.status, problem.resolved_by, problem.resolved_at) == (
        ReportStatus.OPEN,
        None,
        None,
    )


def test_resolving_on_the_change_page_stamps_who_and_when_and_keeps_the_words(client, librarian):
    problem = make_problem_report(message="The words as typed.")
    client.force_login(librarian)
    change = reverse("admin:resources_problemreport_change", args=[problem.pk])
    client.post(change, {"status": ReportStatus.RESOLVED, "message": "Edited by someone"})
    problem.refresh_from_db()
    assert (problem.status, problem.resolved_by) == (ReportStatus.RESOLVED, librarian)
    assert problem.message == "The words as typed."


def test_reports_are_added_by_the_public_not_in_the_admin(client, librarian):
    client.force_login(librarian)
    assert client.get(reverse("admin:resources_problemreport_add")).status_code == 403


def test_the_database_refuses_a_resolved_report_without_a_time(client):
    with pytest.raises(IntegrityError):
        make_problem_report(status=ReportStatus.RESOLVED, resolved_at=None)


@pytest.mark.parametrize("count", [2, 30])
def test_problem_report_changelist_queries_stay_flat(
    client, librarian, django_assert_num_queries, count
):
    for _ in range(count):
        make_problem_report()
    client.force_login(librarian)
    with django_assert_num_queries(7):
        response = client.get(REPORTS)
    assert response.status_code == 200


# Spam, floods and scripts


def test_honeypot_answers_as_a_success_and_writes_nothing(client):
    response = client.post(SUGGEST, suggestion(homepage="https://spam.example"), follow=True)
    assertRedirects(response, THANKS)
    assertContains(response, "Thank you for your suggestion")
    assert not Resource.objects.exists()

    resource = make_resource()
    response = client.post(report_url(resource), report(homepage="buy now"), follow=True)
    assertRedirects(response, resource.get_absolute_url())
    assertContains(response, "Thank you for your report.")
    assert not ProblemReport.objects.exists()


def test_honeypot_is_hidden_from_people_and_assistive_technology(client):
    response = client.get(SUGGEST)
    assertContains(
        response,
        '<div class="trap" aria-hidden="true"><label for="id_homepage">Leave this empty</label>'
        '<input type="text" name="homepage" tabindex="-1" autocomplete="off" id="id_homepage"></div>',
        html=True,
    )


def test_too_many_suggestions_from_one_address_get_429_and_keep_what_was_typed(client, settings):
    settings.PUBLIC_SUBMISSIONS_PER_HOUR = 2
    client.post(SUGGEST, suggestion(url="https://example.org/1"))
    client.post(SUGGEST, suggestion(title="", url="https://example.org/x"))  # errors: not counted
    client.post(SUGGEST, suggestion(url="https://example.org/2"))
    response = client.post(SUGGEST, suggestion(title="My third idea", url="https://example.org/3"))
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assertContains(response, "Please try again after", status_code=429)
    assertContains(response, "Nothing has been sent", status_code=429)
    assertContains(response, 'value="My third idea"', status_code=429)
    assertContains(response, 'value="https://example.org/3"', status_code=429)
    assert Resource.objects.count() == 2

    another_address = client.post(
        SUGGEST, suggestion(url="https://example.org/4"), REMOTE_ADDR="198.51.100.9"
    )
    assert another_address.status_code == 302


def test_too_many_reports_get_429_and_keep_the_message(client, settings):
    settings.PUBLIC_SUBMISSIONS_PER_HOUR = 1
    resource = make_resource()
    client.post(report_url(resource), report())
    response = client.post(report_url(resource), report(message="A second problem"))
    assert response.status_code == 429
    assertContains(response, "A second problem</textarea>", status_code=429)
    assert ProblemReport.objects.count() == 1
    # Reports and suggestions are counted apart.
    assert client.post(SUGGEST, suggestion()).status_code == 302


def test_honeypot_submissions_count_towards_the_limit(client, settings):
    settings.PUBLIC_SUBMISSIONS_PER_HOUR = 1
    client.post(SUGGEST, suggestion(homepage="spam"))
    assert client.post(SUGGEST, suggestion()).status_code == 429
    assert not Resource.objects.exists()


def test_everything_typed_into_a_suggestion_is_escaped(client, librarian):
    typed = {
        "title": SCRIPT,
        "url": f"https://example.org/?q={SCRIPT}",
        "summary": SCRIPT,
        "publisher": SCRIPT,
        "email": SCRIPT,  # not an email: the form comes back with every value
    }
    response = client.post(SUGGEST, suggestion(**typed))
    assert response.status_code == 200
    assertNotContains(response, SCRIPT)
    assertContains(response, ESCAPED_SCRIPT, count=5)

    # A web address with < > or " in it is refused (it would not be a URI); the rest is kept.
    accepted = typed | {"email": "visitor@example.org", "url": "https://example.org/?q=script"}
    client.post(SUGGEST, suggestion(**accepted))
    resource = Resource.objects.get()
    client.force_login(librarian)
    for page in [
        client.get(RESOURCES),
        client.get(RESOURCES, {"suggested": "yes"}),
        client.get(reverse("admin:resources_resource_change", args=[resource.pk])),
        client.get(reverse("admin:resources_resource_history", args=[resource.pk])),
        client.get(resource.get_absolute_url()),  # the staff preview
    ]:
        assert page.status_code == 200
        assertNotContains(page, SCRIPT)
        assertContains(page, ESCAPED_SCRIPT)


def test_everything_typed_into_a_report_is_escaped(client, librarian):
    resource = make_resource(title="Fingertips")
    response = client.post(report_url(resource), report(kind=SCRIPT, message=SCRIPT, email=SCRIPT))
    assert response.status_code == 200
    assertNotContains(response, SCRIPT)
    assertContains(response, ESCAPED_SCRIPT, count=2)  # the message and the email

    client.post(report_url(resource), report(message=SCRIPT))
    problem = ProblemReport.objects.get()
    client.force_login(librarian)
    for page in [
        client.get(REPORTS),
        client.get(reverse("admin:resources_problemreport_change", args=[problem.pk])),
        client.get(reverse("admin:resources_resource_change", args=[resource.pk])),
    ]:
        assert page.status_code == 200
        assertNotContains(page, SCRIPT)
        assertContains(page, ESCAPED_SCRIPT)


def test_a_published_title_with_markup_is_escaped_on_the_report_page(client):
    resource = make_resource(title=SCRIPT)
    response = client.get(report_url(resource))
    assertNotContains(response, SCRIPT)
    assertContains(response, ESCAPED_SCRIPT)


def test_both_forms_refuse_a_post_without_the_csrf_token():
    resource = make_resource()
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(SUGGEST, suggestion()).status_code == 403
    assert strict.post(report_url(resource), report()).status_code == 403
    assert Resource.objects.count() == 1
    assert not ProblemReport.objects.exists()


def test_both_forms_accept_a_post_with_the_token():
    resource = make_resource()
    strict = Client(enforce_csrf_checks=True)
    for url, data in [(SUGGEST, suggestion()), (report_url(resource), report())]:
        strict.get(url)
        token = strict.cookies["csrftoken"].value
        assert strict.post(url, data | {"csrfmiddlewaretoken": token}).status_code == 302
    assert ProblemReport.objects.count() == 1


# Validation


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "Enter the title of the resource"),
        ("title", "   ", "Enter the title of the resource"),
        ("title", "x" * 301, "Enter a title of 300 characters or fewer"),
        ("title", "Nul\x00character", "Null characters are not allowed."),
        (
            "url",
            "ftp://example.org/file",
            URL_ERROR,
        ),
        ("url", "javascript:alert(1)", URL_ERROR),
        (
            "url",
            'https://example.org/"><script>alert(1)</script>',
            "A web address cannot contain “&quot;”, “&gt;” or “&lt;”. Copy it from your "
            "browser&#x27;s address bar, which writes such characters with % signs.",
        ),
        ("url", "not a web address", URL_ERROR),
        (
            "url",
            "https://example.org/" + "x" * 1000,
            "Enter a web address of 1000 characters or fewer",
        ),
        ("summary", "x" * 2001, "Describe it in 2000 characters or fewer"),
        ("publisher", "x" * 201, "Enter a publisher of 200 characters or fewer"),
        (
            "email",
            "not-an-email",
            "Enter an email address in the correct format, like name@example.com",
        ),
        ("email", "a" * 250 + "@example.org", "Enter an email address of 254 characters or fewer"),
    ],
)
def test_suggestion_errors_are_summarised_and_shown_at_the_field(client, field, value, message):
    response = client.post(SUGGEST, suggestion(**{field: value}))
    assert response.status_code == 200
    assertContains(response, "<title>Error: Suggest a resource")
    assertContains(response, '<div class="error-summary" role="alert"')
    assertContains(response, f'<li><a href="#id_{field}">{message}</a></li>', html=True)
    assertContains(
        response,
        f'<p class="error-message" id="id_{field}_error"><span class="visually-hidden">Error:</span> {message}</p>',
        html=True,
    )
    assertContains(response, 'aria-invalid="true"', count=1)
    assert not Resource.objects.exists()


def test_a_suggestion_needs_only_a_title(client):
    response = client.post(SUGGEST, {"title": "A printed leaflet"})
    assertRedirects(response, THANKS)
    resource = Resource.objects.get()
    assert (resource.url, resource.summary, resource.suggested_by_email) == ("", "", "")


def test_a_web_address_without_a_scheme_is_taken_as_https(client):
    client.post(SUGGEST, suggestion(url="www.example.org/guide"))
    assert Resource.objects.get().url == "https://www.example.org/guide"


@pytest.mark.parametrize(
    ("data", "anchor", "message"),
    [
        ({"kind": ""}, "id_kind_0", "Choose what is wrong"),
        ({"kind": "not-a-kind"}, "id_kind_0", "Choose what is wrong"),
        ({"message": ""}, "id_message", "Tell us what is wrong"),
        ({"message": "x" * 2001}, "id_message", "Tell us in 2000 characters or fewer"),
        ({"email": "nope"}, "id_email", "Enter an email address in the correct format"),
    ],
)
def test_report_errors_are_summarised_and_shown_at_the_field(client, data, anchor, message):
    resource = make_resource()
    response = client.post(report_url(resource), report(**data))
    assert response.status_code == 200
    assertContains(response, '<div class="error-summary" role="alert"')
    assertContains(response, f'<a href="#{anchor}">{message}')
    assertContains(response, f"</span> {message}")
    assert not ProblemReport.objects.exists()


def test_a_radio_group_error_is_described_on_its_fieldset(client):
    response = client.post(report_url(make_resource()), report(kind=""))
    assertContains(response, '<fieldset class="fieldset" aria-describedby="id_kind_error">')
