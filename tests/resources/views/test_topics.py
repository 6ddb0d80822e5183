import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from resources.models import ResourceStatus
from tests.factories import make_resource, make_term, make_vocabulary

pytestmark = pytest.mark.django_db


@pytest.fixture
def core20plus5():
    vocabulary = make_vocabulary(slug="core20plus5", name="Core20PLUS5")
    areas = make_term(
        vocabulary=vocabulary, slug="clinical-areas", name="5 clinical areas of focus"
    )
    hypertension = make_term(
        vocabulary=vocabulary,
        slug="hypertension",
        name="Hypertension case-finding",
        parent=areas,
        definition="Finding people with high blood pressure.",
        synonyms="high blood pressure\nBP",
    )
    return vocabulary, areas, hypertension


def test_term_page_shows_definition_synonyms_and_resources(client, core20plus5):
    _, areas, hypertension = core20plus5
    make_resource(title="Blood pressure checks", terms=[hypertension])
    make_resource(
        title="Draft on blood pressure",
        terms=[hypertension],
        status=ResourceStatus.DRAFT,
    )
    response = client.get(hypertension.get_absolute_url())
    assertContains(response, "<h1>Hypertension case-finding</h1>", html=True)
    assertContains(response, "Finding people with high blood pressure.")
    assertContains(response, "high blood pressure, BP")
    assertContains(
        response,
        f'<a href="{areas.get_absolute_url()}">5 clinical areas of focus</a>',
        html=True,
    )
    assertContains(response, "Blood pressure checks")
    assertNotContains(response, "Draft on blood pressure")


def test_broader_term_page_includes_narrower_terms_resources(client, core20plus5):
    _, areas, hypertension = core20plus5
    make_resource(title="Blood pressure checks", terms=[hypertension])
    response = client.get(areas.get_absolute_url())
    assertContains(response, "1 resource (including narrower terms)")
    assertContains(response, "Blood pressure checks")


def test_vocabulary_pages_list_terms_with_counts(client, core20plus5):
    vocabulary, areas, hypertension = core20plus5
    make_resource(terms=[hypertension])
    response = client.get(vocabulary.get_absolute_url())
    assertContains(response, "<h1>Core20PLUS5</h1>", html=True)
    assertContains(response, "Hypertension case-finding")
    assertContains(client.get(reverse("taxonomy:index")), "Core20PLUS5")


def test_unknown_vocabulary_or_term_is_404(client, core20plus5):
    assert client.get("/topics/nothing/").status_code == 404
    assert client.get("/topics/core20plus5/nothing/").status_code == 404


def test_topic_pages_count_published_resources_with_narrower_terms(client, core20plus5):
    vocabulary, areas, hypertension = core20plus5
    make_resource(terms=[hypertension])
    make_resource(terms=[areas, hypertension])
    make_resource(terms=[hypertension], status=ResourceStatus.DRAFT)
    for page in [vocabulary.get_absolute_url(), reverse("taxonomy:index")]:
        response = client.get(page)
        for term in [areas, hypertension]:
            assertContains(
                response,
                f'<a href="{term.get_absolute_url()}">{term.name}</a> <span class="count">2'
                '<span class="visually-hidden"> resources</span></span>',
                html=True,
            )


@pytest.mark.parametrize("count", [3, 30])
def test_topic_pages_queries_stay_flat(
    client, django_assert_num_queries, core20plus5, count, no_page_cache
):
    vocabulary, areas, hypertension = core20plus5
    for _ in range(count):
        make_resource(terms=[hypertension])
    # Cold: the whole catalogue's counts are computed and kept for this catalogue version.
    with django_assert_num_queries(9):
        client.get(vocabulary.get_absolute_url())
    # Then a topic page reads the catalogue's version and the vocabularies with their terms;
    # the counts come from the cache (or, after a restart, one read of the kept ones).
    for page in [vocabulary.get_absolute_url(), reverse("taxonomy:index")]:
        with django_assert_num_queries(3):
            client.get(page)
