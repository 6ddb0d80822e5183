"""The catalogue's words that misspellings are corrected against: kept as resources are indexed,
pruned when everything is, and read with a fixed number of indexed lookups however big the
catalogue is (reading every resource's text for them took seconds at 20,000 resources)."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from resources.models import SearchWord
from resources.search import index_resources
from resources.search.spelling import correct
from tests.factories import make_resource, make_resources

pytestmark = pytest.mark.django_db

FINDER = reverse("resources:list")


def test_a_new_resources_words_correct_a_misspelling_at_once(client):
    assertNotContains(client.get(FINDER, {"q": "kathmandoo"}), "Showing results for")
    make_resource(title="Sanitation in Kathmandu settlements")
    response = client.get(FINDER, {"q": "kathmandoo"})
    assertContains(response, "Showing results for “kathmandu”")


def test_indexing_everything_forgets_words_no_resource_uses_any_more(client):
    gone = make_resource(title="Zymurgy and public health")
    make_resource(title="Oral health in care homes")
    assert SearchWord.objects.filter(word="zymurgy").exists()
    gone.delete()
    index_resources()
    assert not SearchWord.objects.filter(word="zymurgy").exists()
    assert SearchWord.objects.filter(word="homes").exists()
    assertNotContains(client.get(FINDER, {"q": "zymurgi"}), "Showing results for")


@pytest.mark.parametrize("count", [3, 40])
def test_correcting_a_word_costs_the_same_statements_however_many_resources(
    django_assert_num_queries, count
):
    make_resources(count, title="Inequalities in access to dentistry in Kathmandu")
    # Whether the word is the catalogue's (one lookup), then the words spelt like it (one more).
    with django_assert_num_queries(2):
        assert correct("inequalites") == "inequalities"
    # A word of the catalogue but not of English: the first lookup only.
    with django_assert_num_queries(1):
        assert correct("kathmandu") == "kathmandu"
