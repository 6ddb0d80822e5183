"""Search as a person meets it on the finder: corrections only of words that are not words,
saying so with a way back; partial matches when no resource has every word; operators meaning
the same on both databases; the same page for the same misspelling every time (issue 12, items
5, 6 and 8)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from resources.models import Resource
from resources.search import outcome, search
from tests.factories import make_resource, make_term, make_vocabulary

pytestmark = pytest.mark.django_db

FINDER = reverse("resources:list")


def result_slugs(response):
    return [resource.slug for resource in response.context["page"]]


@pytest.mark.parametrize(
    ("typed", "not_made"),
    [
        ("nursing", "using"),
        ("heart disease", "heat"),
        ("people who cannot read well", "red"),
        ("men dying younger", "young"),
    ],
)
def test_a_word_of_english_is_never_corrected_into_another(client, typed, not_made):
    # The catalogue has the word each was "corrected" into, not the word typed.
    make_resource(title="Using heat maps: red, young and well")
    response = client.get(FINDER, {"q": typed})
    assertNotContains(response, "Showing results for")
    assert response.context["finder"].searched_for == typed, f"became {not_made!r}"


def test_a_correction_says_so_and_offers_the_search_as_typed(client):
    make_resource(title="Health literacy explained")
    response = client.get(FINDER, {"q": "helth literacy"})
    assert result_slugs(response) == ["health-literacy-explained"]
    assertContains(
        response,
        "Showing results for “health literacy”; "
        '<a href="/resources/?q=helth+literacy&amp;spelling=as-typed">'
        "search instead for “helth literacy”</a>.",
        html=True,
    )
    as_typed = client.get(FINDER, {"q": "helth literacy", "spelling": "as-typed"})
    assertNotContains(as_typed, "Showing results for")
    assertContains(as_typed, "resource matching “helth literacy”")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram rescue is PostgreSQL's")
def test_the_trigram_rescue_says_what_it_searched_for(client, monkeypatch):
    """A misspelling too far from any catalogue word for the lexicon is respelt from the titles
    spelt most like it; the page says so as for any correction."""
    make_resource(title="Proportionate universalism in practice")
    monkeypatch.setattr("resources.search.spelling.close_words", lambda word: [])
    response = client.get(FINDER, {"q": "proportionat universalsm"})
    assert result_slugs(response) == ["proportionate-universalism-in-practice"]
    assertContains(response, "Showing results for “proportionate universalism”")
    assertContains(response, "search instead for “proportionat universalsm”")


def test_no_resource_with_every_word_shows_those_with_some_and_says_so(client):
    make_resource(title="Stop smoking services")
    make_resource(title="Maternity and pregnancy care")
    make_resource(title="Unrelated")
    response = client.get(FINDER, {"q": "smoking in pregnancy"})
    assertContains(
        response,
        "No resources match every word of “smoking in pregnancy”. Showing resources that "
        "match some of them, those with the most words first.",
    )
    assert set(result_slugs(response)) == {"stop-smoking-services", "maternity-and-pregnancy-care"}


def test_a_synonym_finds_its_terms_resources(client):
    vocabulary = make_vocabulary(slug="topic", name="Topic")
    competence = make_term(
        vocabulary=vocabulary,
        slug="cultural-competence",
        name="Cultural competence",
        synonyms="language barriers\ninterpreter\ninterpreting",
    )
    make_resource(title="Care across cultures", terms=[competence])
    response = client.get(FINDER, {"q": "interpreter"})
    assert result_slugs(response) == ["care-across-cultures"]


@pytest.mark.parametrize("typed", ["A&E", "a&e"])
def test_a_word_written_with_an_ampersand_is_one_word(client, typed):
    # "A&E" used to be read as "a" (a stop word) and "e", which every resource contains.
    emergency = make_term(
        vocabulary=make_vocabulary(slug="topic", name="Topic"),
        slug="emergency-services",
        name="Emergency services",
        synonyms="A&E\nemergency department",
    )
    make_resource(title="Urgent care and who waits", terms=[emergency])
    make_resource(title="Every resource has an e in it")
    make_resource(title="A&E attendances by deprivation")
    response = client.get(FINDER, {"q": typed})
    assert sorted(result_slugs(response)) == [
        "ae-attendances-by-deprivation",
        "urgent-care-and-who-waits",
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"health equity" -audit', ["health-equity-in-practice"]),
        ('"equity health"', []),
        ("audit or practice", ["health-equity-audit-guide", "health-equity-in-practice"]),
        ("-audit equity", ["equity-of-care-and-health", "health-equity-in-practice"]),
    ],
)
def test_operators_mean_the_same_on_both_databases(client, query, expected):
    make_resource(title="Health equity audit guide")
    make_resource(title="Health equity in practice")
    make_resource(title="Equity of care and health", summary="Equity, then health.")
    response = client.get(FINDER, {"q": query})
    assert sorted(result_slugs(response)) == expected


@pytest.mark.skipif(connection.vendor != "postgresql", reason="only PostgreSQL takes a pool")
def test_a_broad_search_takes_its_pool_in_a_total_order(monkeypatch):
    """Each step of a broad search's pool is LIMITed: without a total order PostgreSQL returns
    whichever rows its scan meets first, and with synchronized scans that changes from one
    request to the next (issue 12, item 6: three different pages for "inequalites")."""
    monkeypatch.setattr(outcome, "POOL_SIZE", 3)
    for number in range(8):
        make_resource(title=f"Health equity audit {number}")
    published = Resource.objects.published()
    found = search(published, "health equity audit")
    assert found.is_broad
    with CaptureQueriesContext(connection) as captured:
        pool, _ = found.best(found.queryset, published)
    steps = [query["sql"] for query in captured.captured_queries if " LIMIT " in query["sql"]]
    assert steps
    for sql in steps:
        # The id, by name or as the one column selected.
        assert re.search(r'ORDER BY (1|"resources_resource"\."id") ASC LIMIT', sql), sql
    assert found.best(found.queryset, published)[0] == pool
