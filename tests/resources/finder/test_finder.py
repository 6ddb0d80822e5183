"""The Finder facade: it reads nothing until asked."""

import pytest
from django.http import QueryDict

from resources.finder import Finder
from taxonomy.models import Vocabulary
from tests.factories import make_organisation


@pytest.mark.django_db
def test_making_a_finder_reads_nothing_from_the_database(django_assert_num_queries, taxonomy):
    vocabularies = list(Vocabulary.objects.prefetch_related("terms"))
    make_organisation(slug="nhs-england")
    params = QueryDict("q=health+equity&publisher=nhs-england&characteristic=race&colour=red")
    with django_assert_num_queries(0):
        finder = Finder(params, vocabularies)
    with django_assert_num_queries(1):  # the publisher named
        assert finder.problems == ["“colour” is not a filter we know, so it was ignored."]
    assert finder.query_string() == "q=health+equity&characteristic=race&publisher=nhs-england"
