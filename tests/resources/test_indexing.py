"""Search indexing: once per transaction, after it commits; statistics and whole-catalogue counts
only in bulk commands (docs/decisions/0012-search-indexing.md)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from resources.finder.catalogue_counts import CATALOGUE_COUNTS
from resources.models import CatalogueSnapshot, CatalogueVersion, Resource
from tests.factories import make_organisation, make_resource, make_term, make_vocabulary

pytestmark = pytest.mark.django_db


class Refused(Exception):
    pass


def version():
    return CatalogueVersion.objects.get().number


def test_writes_in_one_transaction_are_indexed_once_when_it_commits(indexed):
    vocabulary = make_vocabulary()
    terms = [make_term(vocabulary=vocabulary) for _ in range(3)]
    partner = make_organisation(name="Partner trust")
    before = version()
    with transaction.atomic():
        resource = make_resource(title="Health equity audit")
        resource.terms.set(terms)
        resource.partners.add(partner)
        resource.keywords.add("HEA")
        resource.summary = "How to run one."
        resource.save()
        assert indexed == []  # nothing yet: the transaction has not committed
    assert indexed == [resource.pk]
    assert version() > before  # it rises to the clock (resources.caching.catalogue_changed)
    resource.refresh_from_db()
    assert "Partner trust" in resource.search_text and "HEA" in resource.search_keywords


def test_nothing_is_indexed_when_the_transaction_rolls_back(indexed):
    term = make_term()
    resource = make_resource()
    indexed.clear()
    before = version()
    with pytest.raises(Refused), transaction.atomic():
        resource.terms.add(term)
        make_resource(title="Never kept")
        raise Refused
    assert indexed == []
    assert version() == before
    make_resource(title="The next write")  # and nothing is left over for it to run
    assert indexed == [Resource.objects.get(title="The next write").pk]


def test_a_write_after_a_savepoint_rolled_back_is_still_indexed(indexed):
    first = make_resource()
    second = make_resource()
    indexed.clear()
    with transaction.atomic():
        with pytest.raises(Refused), transaction.atomic():
            second.keywords.add("dropped")  # the transaction's changes are queued in here
            raise Refused  # and dropped with the savepoint
        first.keywords.add("kept")
    assert indexed == [first.pk]


def test_renaming_a_term_reindexes_its_resources_and_other_changes_do_not(indexed):
    term = make_term(name="BAME")
    tagged = [make_resource(terms=[term]) for _ in range(3)]
    indexed.clear()
    term.definition = "Black, Asian and minority ethnic."
    term.save()
    assert indexed == []
    term.name = "Ethnic minority"
    term.save()
    assert sorted(indexed) == sorted(resource.pk for resource in tagged)
    assert all("Ethnic minority" in r.search_text for r in Resource.objects.all())


def test_renaming_an_organisation_in_the_admin_indexes_without_analysing_or_recounting(
    client, librarian, indexed
):
    """ANALYZE and whole-catalogue counts once ran inside the request when 500 or more resources
    were indexed at once."""
    organisation = make_organisation(name="Public Health England", slug="phe")
    Resource.objects.bulk_create(
        Resource(
            title=f"Report {number}",
            slug=f"report-{number}",
            url=f"https://example.org/{number}",
            normalised_url=f"https://example.org/{number}",
            publisher=organisation,
        )
        for number in range(501)
    )
    change = reverse("admin:resources_organisation_change", args=[organisation.pk])
    form = {"name": "PHE (closed)", "slug": "phe", "kind": organisation.kind}
    with CaptureQueriesContext(connection) as queries:
        response = client.post(change, form | {"acronym": "", "website": "", "description": ""})
    assert response.status_code == 302
    assert len(indexed) == 501
    assert Resource.objects.filter(search_keywords__contains="PHE (closed)").count() == 501
    assert not any("ANALYZE" in query["sql"] for query in queries)
    assert not CatalogueSnapshot.objects.exists()


def test_reindex_search_refreshes_the_statistics_and_keeps_the_catalogues_counts():
    make_resource(title="Health equity audit")
    with CaptureQueriesContext(connection) as queries:
        call_command("reindex_search", stdout=StringIO())
    analysed = any(query["sql"].startswith("ANALYZE") for query in queries)
    assert analysed == (connection.vendor == "postgresql")
    kept = CatalogueSnapshot.objects.get(name=CATALOGUE_COUNTS)
    assert (kept.version, kept.value["total"]) == (version(), 1)
