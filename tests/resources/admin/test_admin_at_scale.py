"""The admin stays quick as the catalogue grows (issue 16): its search reads the search index,
its change list counts no further than it pages, and the term list and coverage page read kept
counts. Statements are pinned at two sizes."""

import pytest
from django.db import connection
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from resources.models import ResourceKind
from tests.factories import (
    make_organisation,
    make_resource,
    make_resources,
    make_term,
    make_vocabulary,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:resources_resource_changelist")
TERMS = reverse("admin:taxonomy_term_changelist")
COVERAGE = reverse("admin:resources_resource_coverage")


@pytest.mark.parametrize("count", [3, 30])
def test_a_search_in_the_change_list_stays_flat(
    client, librarian, django_assert_num_queries, count
):
    for resource in make_resources(count, title="Health equity audit"):
        resource.keywords.add("HEA")
    make_resource(title="Unrelated thing")
    # On PostgreSQL the search counts its matches up to its pool, cached by catalogue version.
    with django_assert_num_queries(9 + 2 * (connection.vendor == "postgresql")):
        response = client.get(CHANGELIST, {"q": "health"})
    assertContains(response, "Health equity audit")
    assertNotContains(response, "Unrelated thing")
    assertContains(response, f"{count} results")


def test_the_change_list_corrects_a_misspelling_only_when_nothing_has_the_words(client, librarian):
    make_resource(title="Health equity audit")
    make_resource(title="Unrelated thing")
    response = client.get(CHANGELIST, {"q": "helth"})
    assertContains(response, "Health equity audit")
    assertNotContains(response, "Unrelated thing")


def test_the_change_list_finds_a_resource_by_its_slug_or_its_web_address(client, librarian):
    make_resource(
        title="Fingertips", slug="fingertips-profiles", url="https://fingertips.phe.org.uk/"
    )
    make_resource(title="Unrelated thing")
    for typed in [
        "fingertips-profiles",
        "https://fingertips.phe.org.uk",
        "http://www.fingertips.phe.org.uk/",
    ]:
        response = client.get(CHANGELIST, {"q": typed})
        assertContains(response, "Fingertips")
        assertNotContains(response, "Unrelated thing")


def test_the_change_list_counts_no_further_than_it_pages(client, librarian, monkeypatch):
    monkeypatch.setattr("resources.admin.paging.COUNTED_AT", 3)
    make_resources(5, title="Health equity audit")
    response = client.get(CHANGELIST)
    assertContains(response, "more than 3 resources")
    response = client.get(CHANGELIST, {"q": "health"})
    assertContains(response, "more than 3 results")
    assertContains(response, "Select all more than 3 resources")


def test_the_change_list_says_exactly_how_many_below_the_cap(client, librarian):
    make_resources(2)
    assertContains(client.get(CHANGELIST), "2 resources")


def test_the_publisher_filter_lists_only_organisations_that_publish(client, librarian):
    make_resource(publisher=make_organisation(name="NICE"))
    make_organisation(name="Publishes nothing")
    response = client.get(CHANGELIST)
    assertContains(response, "NICE")
    assertNotContains(response, "Publishes nothing")


@pytest.mark.parametrize("count", [3, 30])
def test_the_term_list_reads_kept_counts_and_stays_flat(
    client, librarian, django_assert_num_queries, count
):
    vocabulary = make_vocabulary(slug="characteristic", name="Protected characteristic")
    race = make_term(vocabulary=vocabulary, slug="race", name="Race")
    for number in range(count):
        make_term(vocabulary=vocabulary, slug=f"term-{number}", name=f"Term {number}", parent=race)
    make_resources(count, terms=[race])
    client.get(TERMS)  # the first visit after a change counts the terms
    with django_assert_num_queries(9):
        response = client.get(TERMS)
    assertContains(response, f'<td class="field-resource_count">{count}</td>', html=True)


def test_the_term_list_counts_again_after_a_change(client, librarian):
    race = make_term(vocabulary=make_vocabulary(), slug="race", name="Race")
    make_resource(terms=[race])
    assertContains(client.get(TERMS), '<td class="field-resource_count">1</td>', html=True)
    make_resource(terms=[race])
    assertContains(client.get(TERMS), '<td class="field-resource_count">2</td>', html=True)


@pytest.mark.parametrize("count", [3, 30])
def test_the_coverage_page_reads_kept_counts_and_stays_flat(
    client, librarian, django_assert_num_queries, count
):
    vocabulary = make_vocabulary(slug="characteristic", name="Protected characteristic")
    race = make_term(vocabulary=vocabulary, slug="race", name="Race")
    make_resources(count, kind=ResourceKind.GUIDANCE, terms=[race])
    client.get(COVERAGE)  # the first visit after a change counts
    with django_assert_num_queries(7):
        response = client.get(COVERAGE)
    assertContains(response, f"{count}<span")
    make_resource(kind=ResourceKind.GUIDANCE, terms=[race])
    assertContains(client.get(COVERAGE), f"{count + 1}<span")


@pytest.mark.parametrize("terms", [3, 30])
def test_a_change_form_stays_flat(client, librarian, django_assert_num_queries, terms):
    vocabulary = make_vocabulary()
    tagged = [make_term(vocabulary=vocabulary, slug=f"t{n}", name=f"T{n}") for n in range(terms)]
    resource = make_resource(terms=tagged, keywords=["HEA", "equity audit"])
    with django_assert_num_queries(15):
        response = client.get(reverse("admin:resources_resource_change", args=[resource.pk]))
    assert response.status_code == 200
