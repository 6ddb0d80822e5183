from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from resources.curation.link_checking import Result, record
from resources.curation.workflow import add_months
from resources.models import LinkCheck, LinkCheckRun, LinkStatus, Resource, ResourceStatus
from tests.factories import (
    make_organisation,
    make_resource,
    make_resources,
    make_term,
    make_user,
    make_vocabulary,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:resources_resource_changelist")
ADD = reverse("admin:resources_resource_add")


@pytest.mark.parametrize("count", [5, 40])
def test_resource_changelist_queries_stay_flat(client, librarian, django_assert_num_queries, count):
    vocabulary = make_vocabulary(slug="characteristic", name="Protected characteristic")
    race = make_term(vocabulary=vocabulary, slug="race", name="Race")
    for resource in make_resources(count):
        resource.terms.add(race)
        resource.keywords.add("BAME")
    # PostgreSQL asks for the table's estimate first (none here: the table was never analysed).
    with django_assert_num_queries(9 + (connection.vendor == "postgresql")):
        response = client.get(CHANGELIST)
    assert response.status_code == 200


def test_changelist_searches_title_publisher_acronym_and_keywords(client, librarian):
    ohid = make_organisation(name="Office for Health Improvement and Disparities", acronym="OHID")
    make_resource(title="Fingertips", publisher=ohid)
    make_resource(title="Health Equity Assessment Tool", keywords=["HEAT"])
    make_resource(title="Unrelated thing")
    for query, expected in [
        ("fingertips", "Fingertips"),
        ("OHID", "Fingertips"),
        ("heat", "Health Equity Assessment Tool"),
    ]:
        response = client.get(CHANGELIST, {"q": query})
        assertContains(response, expected)
        assertNotContains(response, "Unrelated thing")


def test_changelist_search_finds_what_the_public_search_finds_and_drafts(client, librarian):
    """Issue 12: the admin found 5 for "BAME" where the public search found 9: it did not read
    the vocabularies' synonyms."""
    vocabulary = make_vocabulary(slug="characteristic", name="Protected characteristic")
    race = make_term(vocabulary=vocabulary, slug="race", name="Race", synonyms="BAME")
    make_resource(title="Ethnic inequalities in health", terms=[race])
    make_resource(title="Draft on ethnicity", terms=[race], status=ResourceStatus.DRAFT)
    make_resource(title="Unrelated thing")
    public = client.get(reverse("resources:list"), {"q": "BAME"})
    assertContains(public, "Ethnic inequalities in health")
    response = client.get(CHANGELIST, {"q": "BAME"})
    assertContains(response, "Ethnic inequalities in health")
    assertContains(response, "Draft on ethnicity")
    assertNotContains(response, "Unrelated thing")


def test_changelist_filters_by_a_vocabulary_term_and_a_new_vocabulary_appears(client, librarian):
    vocabulary = make_vocabulary(slug="audience", name="Audience")
    commissioners = make_term(vocabulary=vocabulary, slug="commissioners", name="Commissioners")
    make_resource(title="For commissioners", terms=[commissioners])
    make_resource(title="For nobody in particular")
    response = client.get(CHANGELIST, {"vocabulary_audience": "commissioners"})
    assertContains(response, "By audience")
    assertContains(response, "For commissioners")
    assertNotContains(response, "For nobody in particular")

    make_term(vocabulary=make_vocabulary(slug="setting", name="Care setting"))
    assertContains(client.get(CHANGELIST), "By care setting")


def test_changelist_filters_by_status_kind_and_publisher(client, librarian):
    nice = make_organisation(name="NICE")
    make_resource(title="NICE guideline", publisher=nice, kind="guidance")
    make_resource(title="Draft report", kind="report", status=ResourceStatus.DRAFT)
    assertContains(client.get(CHANGELIST), "By publisher")
    response = client.get(CHANGELIST, {"status__exact": "draft"})
    assertContains(response, "Draft report")
    assertNotContains(response, "NICE guideline")
    response = client.get(CHANGELIST, {"kind__exact": "guidance", "publisher__id__exact": nice.pk})
    assertContains(response, "NICE guideline")
    assertNotContains(response, "Draft report")


def add_form(**overrides):
    return {
        "title": "Health equity audit guide",
        "slug": "",
        "url": "https://www.example.nhs.uk/hea",
        "kind": "guidance",
        "format": "",
        "access": "free",
        "summary": "",
        "year_published": "2021",
        "keywords": "HEA, equity audit",
        "curator_notes": "",
    } | overrides


def test_changelist_names_the_publisher_by_acronym_and_gives_dates_in_short(client, librarian):
    ohid = make_organisation(name="Office for Health Improvement and Disparities", acronym="OHID")
    make_resource(publisher=ohid, review_due_on=date(2027, 3, 4))
    make_resource(publisher=make_organisation(name="The Health Foundation"))
    response = client.get(CHANGELIST)
    assertContains(
        response,
        '<td class="field-publisher_name">'
        '<abbr title="Office for Health Improvement and Disparities">OHID</abbr></td>',
        html=True,
    )
    assertContains(
        response, '<td class="field-publisher_name">The Health Foundation</td>', html=True
    )
    assertContains(response, '<td class="field-review_due">4 Mar 2027</td>', html=True)
    today = timezone.localdate()
    updated = f'<td class="field-updated">{today.day} {today:%b %Y}</td>'
    assertContains(response, updated, count=2, html=True)


def test_each_vocabularys_position_box_is_named_for_it(client, librarian):
    make_vocabulary(name="Audience")
    response = client.get(reverse("admin:taxonomy_vocabulary_changelist"))
    assertContains(response, 'aria-label="Position of Audience"')


def test_saving_in_the_admin_stamps_who_created_and_changed_it(client, librarian):
    response = client.post(ADD, add_form())
    assert response.status_code == 302
    resource = Resource.objects.get(title="Health equity audit guide")
    assert (resource.created_by, resource.updated_by, resource.status) == (
        librarian,
        librarian,
        "draft",
    )
    assert sorted(resource.keywords.names()) == ["HEA", "equity audit"]

    other = make_user(groups=["Librarian"])
    client.force_login(other)
    change = reverse("admin:resources_resource_change", args=[resource.pk])
    client.post(change, add_form(title="Health equity audit: a guide", slug=resource.slug))
    resource.refresh_from_db()
    assert (resource.created_by, resource.updated_by) == (librarian, other)


def test_admin_tells_the_librarian_which_resource_already_has_the_url(client, librarian):
    existing = make_resource(
        title="Local health equity audit guide", url="https://www.example.nhs.uk/hea"
    )
    response = client.post(ADD, add_form(url="HTTPS://www.example.nhs.uk/hea/?utm_source=email"))
    assert response.status_code == 200
    assertContains(response, "already in the catalogue as")
    assertContains(response, reverse("admin:resources_resource_change", args=[existing.pk]))
    assert Resource.objects.count() == 1


def test_admin_refuses_a_web_address_with_characters_no_address_has(client, librarian):
    response = client.post(ADD, add_form(url='https://example.org/report"><b>'))
    assertContains(response, "A web address cannot contain “&quot;”, “&gt;” or “&lt;”.")
    assert not Resource.objects.exists()
    organisation = make_organisation(name="NICE")
    change = reverse("admin:resources_organisation_change", args=[organisation.pk])
    form = client.get(change).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    response = client.post(change, data | {"website": "https://www.nice.org.uk/{page}"})
    assertContains(response, "A web address cannot contain “{” or “}”.")


def test_admin_refuses_the_same_address_without_www_naming_the_resource(client, librarian):
    existing = make_resource(title="Core20PLUS5", url="https://www.england.nhs.uk/core20plus5/")
    response = client.post(ADD, add_form(url="http://england.nhs.uk/core20plus5"))
    assertContains(response, "already in the catalogue as")
    assertContains(response, reverse("admin:resources_resource_change", args=[existing.pk]))
    assert Resource.objects.count() == 1


def test_admin_reports_a_year_out_of_range_without_saving(client, librarian):
    response = client.post(ADD, add_form(year_published="20211"))
    assert response.status_code == 200
    assertContains(response, "between 1800 and 2100")
    assert not Resource.objects.exists()


def run_action(client, action, *resources):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [resource.pk for resource in resources]},
        follow=True,
    )


def test_librarian_sends_drafts_for_review_but_cannot_publish(client, librarian):
    draft = make_resource(status=ResourceStatus.DRAFT)
    response = client.get(CHANGELIST)
    assertContains(response, "Send selected resources for review")
    assertNotContains(response, "Publish selected resources")

    response = run_action(client, "send_to_review", draft)
    assertContains(response, "1 resource moved to in review.")
    draft.refresh_from_db()
    assert (draft.status, draft.updated_by) == ("in-review", librarian)

    run_action(client, "publish", draft)
    draft.refresh_from_db()
    assert draft.status == "in-review"


def test_editor_publishes_and_archives(client, editor):
    reviewed = make_resource(status=ResourceStatus.IN_REVIEW)
    response = run_action(client, "publish", reviewed)
    assertContains(response, "1 resource moved to published.")
    reviewed.refresh_from_db()
    assert reviewed.status == "published" and reviewed.published_at is not None

    run_action(client, "archive", reviewed)
    reviewed.refresh_from_db()
    assert reviewed.status == "archived"


def test_bulk_action_reports_each_resource_it_could_not_move(client, editor):
    draft = make_resource(title="Unreviewed draft", status=ResourceStatus.DRAFT)
    reviewed = make_resource(status=ResourceStatus.IN_REVIEW)
    response = run_action(client, "publish", draft, reviewed)
    assertContains(response, "1 resource moved to published.")
    assertContains(response, "“Unreviewed draft” is draft and cannot go straight to published.")
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_librarian_cannot_delete_resources_or_manage_people(client, librarian):
    resource = make_resource()
    assert (
        client.get(reverse("admin:resources_resource_delete", args=[resource.pk])).status_code
        == 403
    )
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assertNotContains(client.get(CHANGELIST), "Delete selected")


def test_term_autocomplete_finds_terms_by_name_and_synonym(client, librarian):
    vocabulary = make_vocabulary(name="Protected characteristic")
    make_term(vocabulary=vocabulary, name="Race", synonyms="BAME\nethnicity")
    url = reverse("admin:autocomplete")
    params = {"app_label": "resources", "model_name": "resource", "field_name": "terms"}
    for query in ["rac", "BAME"]:
        response = client.get(url, params | {"term": query})
        assert [row["text"] for row in response.json()["results"]] == [
            "Race (Protected characteristic)"
        ]


def test_publisher_autocomplete_finds_organisations_by_acronym(client, librarian):
    make_organisation(name="UK Health Security Agency", acronym="UKHSA")
    url = reverse("admin:autocomplete")
    params = {
        "app_label": "resources",
        "model_name": "resource",
        "field_name": "publisher",
        "term": "ukhsa",
    }
    assert [row["text"] for row in client.get(url, params).json()["results"]] == [
        "UK Health Security Agency"
    ]


def test_review_action_stamps_who_and_when_and_sets_the_next_review(client, librarian):
    resource = make_resource(title="Needs a look")
    response = run_action(client, "mark_reviewed", resource)
    assertContains(response, "1 resource marked as reviewed; next review in 12 months.")
    resource.refresh_from_db()
    today = timezone.localdate()
    assert resource.last_reviewed_by == librarian
    assert timezone.localdate(resource.last_reviewed_at) == today
    assert resource.review_due_on == add_months(today, 12)


def test_due_for_review_filter(client, librarian):
    today = timezone.localdate()
    make_resource(title="Overdue one", review_due_on=today - timedelta(days=1))
    make_resource(title="Due soon", review_due_on=today + timedelta(days=10))
    make_resource(title="Fine for now", review_due_on=today + timedelta(days=200))
    response = client.get(CHANGELIST, {"review": "overdue"})
    assertContains(response, "Overdue one")
    assertNotContains(response, "Due soon")
    response = client.get(CHANGELIST, {"review": "next-30-days"})
    assertContains(response, "Due soon")
    assertNotContains(response, "Fine for now")


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2026, 11, 22), 12, date(2027, 11, 22)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
    ],
)
def test_add_months_keeps_the_day_or_uses_the_months_last(day, months, expected):
    assert add_months(day, months) == expected


def test_link_report_lists_what_broke_and_what_moved(client, librarian):
    broken = make_resource(title="Gone away")
    moved = make_resource(title="Moved on")
    run = LinkCheckRun.objects.create(checked=2)
    LinkCheck.objects.create(
        run=run,
        resource=broken,
        url=broken.url,
        outcome="broken",
        status_code=404,
        status_before="ok",
        status_after="broken",
    )
    LinkCheck.objects.create(
        run=run,
        resource=moved,
        url=moved.url,
        outcome="redirected",
        status_code=200,
        final_url="https://example.org/new-home",
        is_permanent_redirect=True,
        status_before="ok",
        status_after="redirected",
    )
    response = client.get(reverse("admin:resources_linkcheckrun_change", args=[run.pk]))
    assertContains(response, "Gone away</a>: HTTP 404")
    assertContains(response, "Moved on</a>: now at https://example.org/new-home")
    response = client.get(reverse("admin:resources_resource_change", args=[broken.pk]))
    assertContains(response, "Link check history")
    assertContains(response, "<td>Broken</td><td>404</td>")


def test_a_link_failing_but_not_confirmed_is_shown_filterable_and_in_the_run_report(
    client, librarian
):
    failing = make_resource(title="Answers 404 today", link_status="ok")
    make_resource(title="Still fine", link_status="ok")
    run = LinkCheckRun.objects.create()
    record(run, failing, Result(url=failing.url, outcome=LinkStatus.BROKEN, status_code=404))

    response = client.get(CHANGELIST)
    assertContains(response, '<td class="field-link_state">Failing (1 day)</td>', html=True)
    response = client.get(CHANGELIST + "?link_status__exact=failing")
    assertContains(response, "Answers 404 today")
    assertNotContains(response, "Still fine")
    assertContains(response, "Failing, not confirmed yet")

    response = client.get(reverse("admin:resources_linkcheckrun_change", args=[run.pk]))
    assertContains(response, "Answers 404 today</a>: HTTP 404; failing on 1 day")
    response = client.get(reverse("admin:resources_linkcheckrun_changelist"))
    assertContains(response, '<td class="field-failing_count">1</td>', html=True)


def test_every_change_is_recorded_with_who_when_and_what(client, librarian):
    client.post(ADD, add_form(title="First title"))
    resource = Resource.objects.get()
    change = reverse("admin:resources_resource_change", args=[resource.pk])
    client.post(change, add_form(title="Better title", slug=resource.slug, year_published="2022"))
    latest, first = resource.history.all()[:2]
    assert (latest.history_user, first.history_user) == (librarian, librarian)
    changed = {
        change.field: (change.old, change.new) for change in latest.diff_against(first).changes
    }
    assert changed["title"] == ("First title", "Better title")
    assert changed["year_published"] == (2021, 2022)
    response = client.get(reverse("admin:resources_resource_history", args=[resource.pk]))
    assertContains(response, "Better title")
    assertContains(response, librarian.username)


def test_an_earlier_version_can_be_restored_from_the_admin(client, librarian):
    client.post(ADD, add_form(title="The right title"))
    resource = Resource.objects.get()
    change = reverse("admin:resources_resource_change", args=[resource.pk])
    client.post(change, add_form(title="A mistaken title", slug=resource.slug))
    original = resource.history.earliest()
    restore = reverse(
        "admin:resources_resource_simple_history", args=[resource.pk, original.history_id]
    )
    response = client.get(restore)
    assertContains(response, "The right title")
    assertContains(response, "Revert")
    client.post(restore, add_form(title="The right title", slug=resource.slug))
    resource.refresh_from_db()
    assert resource.title == "The right title"
    assert resource.history.count() == 3


def test_organisation_and_term_changes_are_recorded_too(client, librarian):
    organisation = make_organisation(name="Public Health England")
    organisation.name = "Public Health England (closed)"
    organisation.save()
    assert organisation.history.count() == 2
    term = make_term(name="Race")
    term.synonyms = "BAME"
    term.save()
    assert term.history.count() == 2


def test_a_second_save_over_someone_elses_is_refused_with_what_they_changed(client, librarian):
    client.post(ADD, add_form(title="Shared resource"))
    resource = Resource.objects.get()
    change = reverse("admin:resources_resource_change", args=[resource.pk])
    opened = client.get(change).context["adminform"].form["loaded_version"].value()

    colleague = make_user(username="colleague", groups=["Librarian"])
    other = Client()
    other.force_login(colleague)
    other_opened = other.get(change).context["adminform"].form["loaded_version"].value()
    other.post(
        change, add_form(title="Colleague's title", slug=resource.slug, loaded_version=other_opened)
    )

    response = client.post(
        change, add_form(title="My title", slug=resource.slug, loaded_version=opened)
    )
    assert response.status_code == 200
    assertContains(response, "colleague saved this resource at")
    assertContains(response, "nothing was overwritten")
    assertContains(response, "title: “Shared resource” → “Colleague&#x27;s title”")
    resource.refresh_from_db()
    assert resource.title == "Colleague's title"


def test_deleting_a_term_or_organisation_in_use_is_refused(client):
    client.force_login(make_user(groups=["Editor"]))
    vocabulary = make_vocabulary(name="Protected characteristic")
    race = make_term(vocabulary=vocabulary, name="Race")
    publisher = make_organisation(name="Public Health England")
    partner = make_organisation(name="Knowledge Hub")
    resource = make_resource(title="Ethnic inequalities", terms=[race], publisher=publisher)
    resource.partners.add(partner)
    for obj, url in [
        (race, reverse("admin:taxonomy_term_delete", args=[race.pk])),
        (publisher, reverse("admin:resources_organisation_delete", args=[publisher.pk])),
        (partner, reverse("admin:resources_organisation_delete", args=[partner.pk])),
    ]:
        response = client.post(url, {"post": "yes"})
        assertContains(response, "Ethnic inequalities")
        assertContains(response, "protected")
        obj.refresh_from_db()
    assert list(resource.terms.all()) == [race]


def test_a_librarian_saving_a_resource_with_ten_terms_indexes_it_once(client, librarian, indexed):
    vocabulary = make_vocabulary(slug="topic", name="Topic")
    terms = [make_term(vocabulary=vocabulary, name=f"Topic {number}") for number in range(10)]
    publisher = make_organisation(name="Public Health England", acronym="PHE")
    partner = make_organisation(name="Knowledge Hub")
    resource = make_resource(title="Health equity audit guide", terms=terms[:1])
    indexed.clear()
    change = reverse("admin:resources_resource_change", args=[resource.pk])
    form = add_form(slug=resource.slug, publisher=publisher.pk, partners=[partner.pk])
    response = client.post(change, form | {"terms": [term.pk for term in terms]})
    assert response.status_code == 302
    assert indexed == [resource.pk]
    resource.refresh_from_db()
    assert resource.terms.count() == 10
    assert all(term.name in resource.search_text for term in terms)
    assert "Knowledge Hub" in resource.search_text and "PHE" in resource.search_keywords
