"""Indexing many resources set-wise gives exactly the search data that indexing one saved
resource gives (docs/decisions/0024-building-at-scale.md), in statements that do not grow
with the number of resources."""

import pytest
from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.test.utils import CaptureQueriesContext

from resources.models import Organisation, Resource
from resources.search import compose_search_fields, index_resources
from resources.search.postgresql import CONFIG
from tests.factories import make_organisation, make_resource, make_term, make_vocabulary

pytestmark = pytest.mark.django_db


@pytest.fixture
def varied():
    """Resources with every kind of thing their search data is made from, and without."""
    vocabulary = make_vocabulary()
    # Same position: ordered by name. Synonyms with blank lines and spaces.
    first = make_term(vocabulary=vocabulary, name="Zebra crossings", position=1)
    second = make_term(
        vocabulary=vocabulary, name="Access to A&E", position=1, synonyms="ED\n\n  casualty \n"
    )
    third = make_term(vocabulary=make_vocabulary(), name="Children", position=0)
    closed = make_organisation(name="Old trust", acronym="OT")
    merged = make_organisation(name="Middle trust", acronym="MT")
    today = make_organisation(name="R&D board", acronym="RDB")
    closed.succeeded_by = merged
    closed.save()
    merged.succeeded_by = today
    merged.save()
    looped, other = make_organisation(name="Looping body"), make_organisation(name="Other body")
    Organisation.objects.filter(pk=looped.pk).update(succeeded_by=other)
    Organisation.objects.filter(pk=other.pk).update(succeeded_by=looped)
    partner = make_organisation(name="Partner trust", acronym="PT")
    resources = [
        make_resource(
            title="Health equity audit for A&E",
            alternative_titles="HEA\n\n  Equity audit  \n",
            authors="Marmot, Michael\nBlack, Douglas",
            publisher=closed,
            terms=[first, second, third],
            keywords=["zeta", "Alpha", "R&D"],
        ),
        make_resource(title="No publisher at all", publisher=None),
        make_resource(title="Looping", publisher=looped, terms=[third], keywords=["only"]),
        make_resource(title="Today", publisher=today, keywords=["Alpha"]),
    ]
    resources[0].partners.set([partner, today, merged])
    resources[3].partners.set([partner])
    return resources


def stored(resources):
    rows = Resource.objects.filter(pk__in=[resource.pk for resource in resources])
    return list(rows.order_by("pk").values_list("pk", "search_keywords", "search_text"))


def composed(resources):
    rows = Resource.objects.filter(pk__in=[resource.pk for resource in resources]).order_by("pk")
    rows = rows.select_related("publisher").prefetch_related("keywords", "terms", "partners")
    return [(resource.pk, *compose_search_fields(resource)) for resource in rows]


def test_set_wise_indexing_writes_what_compose_search_fields_gives(varied):
    Resource.objects.update(search_keywords="", search_text="")

    index_resources(Resource.objects.all())

    assert stored(varied) == composed(varied)
    first = stored(varied)[0]
    assert first[1].split() == (
        "HEA Equity audit Alpha R&D zeta Marmot, Michael Black, Douglas Old trust OT AE RD".split()
    )
    assert first[2] == (
        "Children Access to A&E ED casualty Zebra crossings Middle trust MT Partner trust PT "
        "R&D board RDB AE RD"
    )


def test_indexing_a_few_by_id_and_many_set_wise_agree(varied):
    index_resources(pks=[resource.pk for resource in varied])
    one_by_one = stored(varied)
    Resource.objects.update(search_keywords="", search_text="")

    index_resources()

    assert stored(varied) == one_by_one


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the vector is PostgreSQL's")
def test_set_wise_indexing_writes_the_same_weighted_vector_as_searchvector(varied):
    index_resources()

    expected = (
        SearchVector("title", weight="A", config=CONFIG)
        + SearchVector("search_keywords", weight="B", config=CONFIG)
        + SearchVector("search_text", weight="C", config=CONFIG)
        + SearchVector("summary", weight="D", config=CONFIG)
    )
    rows = Resource.objects.annotate(expected=expected).values_list("search_vector", "expected")
    assert [vector for vector, _ in rows] == [vector for _, vector in rows]
    assert all(vector for vector, _ in rows)


def test_set_wise_indexing_takes_the_same_statements_for_more_resources(varied, indexed):
    with CaptureQueriesContext(connection) as few:
        index_resources(Resource.objects.filter(pk__in=[varied[0].pk, varied[1].pk]))
    assert sorted(indexed) == sorted([varied[0].pk, varied[1].pk])
    more = [make_resource(terms=[make_term()], keywords=["more"]) for _ in range(6)]

    with CaptureQueriesContext(connection) as many:
        count = index_resources(Resource.objects.all())

    assert count == len(varied) + len(more)
    assert len(many) == len(few)
