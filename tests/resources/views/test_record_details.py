"""What a complete record shows: its authors, its lineage, and why it has no web address."""

import bibtexparser
import pytest
import rispy
from django.core.exceptions import ValidationError
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from resources.models import Resource
from resources.submissions.suggestions import SuggestionOutcome, suggest_resource
from tests.factories import make_organisation, make_resource

pytestmark = pytest.mark.django_db


def test_resource_page_names_its_authors_in_order(client):
    resource = make_resource(authors="Marmot, Michael\nAllen, Jessica")

    response = client.get(resource.get_absolute_url())

    assertContains(
        response, "<dt>Written by</dt><dd>Marmot, Michael; Allen, Jessica</dd>", html=True
    )


def test_resource_without_an_address_points_to_the_library_not_a_dead_end(client):
    resource = make_resource(url="", url_missing_reason="Searched three times; not found.")

    response = client.get(resource.get_absolute_url())

    assertContains(response, "ask your NHS library and knowledge service for a copy")
    assertNotContains(response, "Searched three times")  # the reason is for curators


def test_organisation_page_names_every_successor(client):
    ohid = make_organisation(name="Office for Health Improvement and Disparities")
    ukhsa = make_organisation(name="UK Health Security Agency")
    phe = make_organisation(
        name="Public Health England", succeeded_by=ohid, succeeded_on="2021-10-01"
    )
    phe.further_successors.add(ukhsa)

    response = client.get(phe.get_absolute_url())

    assertContains(response, "Public Health England’s work passed to")
    assertContains(response, f'<a href="{ohid.get_absolute_url()}">{ohid.name}</a> and')
    assertContains(
        response, f'<a href="{ukhsa.get_absolute_url()}">{ukhsa.name}</a> on 1 October 2021'
    )
    for successor in [ohid, ukhsa]:
        assertContains(
            client.get(successor.get_absolute_url()),
            f'Took over the work of: <a href="{phe.get_absolute_url()}">Public Health England</a>.',
        )


def test_an_address_a_resource_is_cited_as_is_recognised_as_a_duplicate():
    existing = make_resource(
        url="https://www.instituteofhealthequity.org/resources-reports/marmot-review",
        cited_urls="http://instituteoftheequity.org/resources-reports/marmot-review",
    )
    again = Resource(
        title="Typed again", url="https://instituteoftheequity.org/resources-reports/marmot-review/"
    )

    with pytest.raises(ValidationError, match="already in the catalogue"):
        again.full_clean()

    suggestion = suggest_resource(
        title="Marmot review", url="http://instituteoftheequity.org/resources-reports/marmot-review"
    )
    assert suggestion.outcome == SuggestionOutcome.PUBLISHED
    assert suggestion.resource == existing


@pytest.fixture
def marmot_review():
    return make_resource(
        title="Fair Society, Healthy Lives",
        slug="fair-society",
        kind="report",
        year_published=2010,
        authors="Marmot, Michael\nAllen, Jessica\nGoldblatt, Peter",
        publisher=make_organisation(name="Institute of Health Equity"),
    )


def test_citation_leads_with_the_authors_and_then_names_the_publisher(client, marmot_review):
    response = client.get(marmot_review.get_absolute_url())

    assertContains(
        response,
        "Marmot, Michael, Allen, Jessica and Goldblatt, Peter (2010) Fair Society, Healthy Lives. "
        "Institute of Health Equity. Available at:",
    )


def test_reference_managers_get_people_as_authors_and_the_body_as_publisher(client, marmot_review):
    export = reverse("resources:export", args=["ris"])
    [record] = rispy.loads(b"".join(client.get(export).streaming_content).decode())
    assert record["authors"] == ["Marmot, Michael", "Allen, Jessica", "Goldblatt, Peter"]
    assert record["publisher"] == "Institute of Health Equity"

    export = reverse("resources:export", args=["bib"])
    [entry] = bibtexparser.parse_string(
        b"".join(client.get(export).streaming_content).decode()
    ).entries
    assert entry["author"] == "Marmot, Michael and Allen, Jessica and Goldblatt, Peter"
    assert entry["institution"] == "Institute of Health Equity"


def test_searching_an_authors_name_finds_their_work(client):
    make_resource(title="Health divides", authors="Bambra, Clare")
    make_resource(title="Another report")

    response = client.get(reverse("resources:list"), {"q": "Bambra"})

    assertContains(response, "Health divides")
    assertNotContains(response, "Another report")
