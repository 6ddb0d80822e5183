"""Reading a query string into a selection, and writing the canonical one back (no database)."""

import pytest

from resources.finder import read_year
from resources.finder.selection import MAX_QUERY_LENGTH, Problem


def slugs(terms):
    return [term.slug for term in terms]


def test_an_unknown_term_is_reported_and_the_rest_of_the_view_still_applies(read):
    selection = read("characteristic=race&characteristic=nonsense&audience=commissioners")
    assert slugs(selection.chosen_terms("characteristic")) == ["race"]
    assert slugs(selection.chosen_terms("audience")) == ["commissioners"]
    assert selection.problems == [
        "“nonsense” is not a protected characteristic in this catalogue, so it was ignored."
    ]
    assert selection.bad_values == [
        Problem(
            "characteristic",
            "nonsense",
            "“nonsense” is not a protected characteristic in this catalogue.",
        )
    ]


def test_an_unknown_type_access_or_publisher_is_reported(read):
    selection = read("kind=guidance&kind=poem&access=free&access=gratis&publisher=ohid&publisher=x")
    assert (selection.kinds, selection.access) == (["guidance"], ["free"])
    assert [organisation.slug for organisation in selection.publishers] == ["ohid"]
    assert selection.problems == [
        "“poem” is not a type of resource we know, so it was ignored.",
        "“gratis” is not a kind of access we know, so it was ignored.",
        "“x” is not a publisher in this catalogue, so it was ignored.",
    ]


def test_publishers_are_looked_up_only_when_the_query_string_names_one(read):
    read("characteristic=race&year_from=2020")
    assert read.asked == []
    read("publisher=ohid&publisher=ohid&publisher=nhs-england")
    assert read.asked == [["ohid", "nhs-england"]]


@pytest.mark.parametrize("year", ["twenty", "1799", "2101", "²⁰²⁰", "-2020", "9" * 5000])
def test_a_year_that_is_not_a_year_is_reported_and_ignored(read, year):
    selection = read(f"year_from={year}&characteristic=race")
    assert selection.year_from is None
    assert slugs(selection.chosen_terms("characteristic")) == ["race"]
    [problem] = selection.bad_values
    assert (problem.parameter, problem.value) == ("year_from", year)
    assert problem.message.endswith("is not a year between 1800 and 2100.")
    assert selection.problems[0].endswith("so “published from” was ignored.")


def test_years_the_wrong_way_round_are_swapped_with_a_message(read):
    selection = read("year_from=2020&year_to=2010")
    assert (selection.year_from, selection.year_to) == (2010, 2020)
    assert selection.problems == ["The years were the wrong way round, so we used 2010 to 2020."]


def test_the_year_rule_reads_whole_numbers_from_1800_to_2100():
    assert [read_year(text) for text in ["1800", "2021", "02021", "2100"]] == [
        1800,
        2021,
        2021,
        2100,
    ]
    assert [read_year(text) for text in ["1799", "2101", "20 21", "2021.0", ""]] == [None] * 5


def test_a_value_given_twice_counts_once(read):
    selection = read("characteristic=race&characteristic=race&kind=tool&kind=tool&q=a&q=a")
    assert slugs(selection.chosen_terms("characteristic")) == ["race"]
    assert (selection.kinds, selection.text) == (["tool"], "a")
    assert selection.problems == []
    assert selection.query_string() == "q=a&characteristic=race&kind=tool"


def test_tracking_parameters_are_dropped_without_a_message(read):
    selection = read("utm_source=newsletter&UTM_Campaign=x&fbclid=1&gclid=2&characteristic=race")
    assert selection.problems == []
    assert selection.query_string() == "characteristic=race"


def test_an_unknown_parameter_is_reported_and_the_page_parameter_is_known(read):
    selection = read("colour=blue&page=2")
    assert selection.problems == ["“colour” is not a filter we know, so it was ignored."]


def test_unreadable_characters_are_dropped_with_a_message(read):
    selection = read("q=health%00equity&characteristic=ra%FFce")
    assert selection.text == "healthequity"
    assert slugs(selection.chosen_terms("characteristic")) == ["race"]
    assert selection.problems == [
        "Some characters in “q” could not be read and were ignored.",
        "Some characters in “characteristic” could not be read and were ignored.",
    ]


def test_a_search_that_is_too_long_is_cut_at_a_word(read):
    selection = read("q=" + "equity " * 40)
    assert len(selection.text) <= MAX_QUERY_LENGTH
    assert selection.text.split() == ["equity"] * (len(selection.text) // 7 + 1)
    assert selection.problems == [
        "Your search was too long, so only its first 200 characters were used."
    ]


@pytest.mark.parametrize(
    ("query", "sort"),
    [("", "title"), ("q=audit", "relevance"), ("sort=relevance", "title"), ("sort=added", "added")],
)
def test_the_sort_is_relevance_only_with_a_search(read, query, sort):
    assert read(query).sort == sort


def test_an_unknown_sort_falls_back_to_the_usual_order(read):
    selection = read("q=audit&sort=best")
    assert selection.sort == "relevance"
    assert selection.problems == ["“best” is not a way to sort, so results are in the usual order."]


def test_the_canonical_query_string_has_a_stable_order_and_sorted_values(read):
    selection = read(
        "sort=newest&access=free&kind=tool&kind=guidance&characteristic=race"
        "&characteristic=age&audience=commissioners&year_to=2020&year_from=2010"
        "&publisher=ohid&publisher=nhs-england&q=equity+audit&utm_source=x"
    )
    assert selection.query_string() == (
        "q=equity+audit&audience=commissioners&characteristic=age&characteristic=race"
        "&kind=guidance&kind=tool&publisher=nhs-england&publisher=ohid&access=free"
        "&year_from=2010&year_to=2020&sort=newest"
    )


def test_the_canonical_query_string_drops_empty_values_and_the_default_sort(read):
    assert read("q=&kind=&audience=&year_from=&sort=title").query_string() == ""
    assert read("q=audit&sort=relevance").query_string() == "q=audit"
    assert read("q=audit&sort=title").query_string() == "q=audit&sort=title"


def test_the_query_string_with_a_change_or_without_one_choice(read):
    selection = read("characteristic=race&characteristic=age&kind=tool")
    assert selection.query_string(page=2) == (
        "characteristic=age&characteristic=race&kind=tool&page=2"
    )
    assert selection.query_string(page=None) == "characteristic=age&characteristic=race&kind=tool"
    assert selection.query_string_without("characteristic", "race") == (
        "characteristic=age&kind=tool"
    )
    assert selection.query_string_without("characteristic") == "kind=tool"
