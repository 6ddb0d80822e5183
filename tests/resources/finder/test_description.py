"""The view in words, and each applied choice with the view without it (no database)."""

from resources.finder.description import applied, description, headline


def test_the_view_in_words(read):
    selection = read(
        "audience=commissioners&characteristic=race&characteristic=disability&kind=e-learning"
    )
    assert description(selection, "") == (
        "for commissioners, about Race or Disability, of type e-learning"
    )
    assert headline(selection, "") == (
        "Resources for commissioners, about Race or Disability, of type e-learning"
    )


def test_the_words_say_the_search_as_made_the_publisher_access_and_years(read):
    selection = read("q=helth+equity&publisher=ohid&access=registration&year_from=2015")
    assert description(selection, "health equity") == (
        "matching “health equity”, published by Office for Health Improvement and Disparities, "
        "with access free, with registration, published in or after 2015"
    )
    assert description(read("year_to=2015"), "") == "published in or before 2015"
    assert description(read("year_from=2010&year_to=2015"), "") == "published 2010 to 2015"


def test_a_view_of_everything_is_all_resources(read):
    selection = read("sort=added&colour=blue")
    assert (description(selection, ""), headline(selection, "")) == ("", "All resources")


def test_each_applied_choice_links_to_the_view_without_it(read):
    selection = read(
        "q=audit&characteristic=race&kind=tool&publisher=ohid&access=free&year_to=2020"
    )
    assert applied(selection) == [
        ("Search: audit", "characteristic=race&kind=tool&publisher=ohid&access=free&year_to=2020"),
        (
            "Protected characteristic: Race",
            "q=audit&kind=tool&publisher=ohid&access=free&year_to=2020",
        ),
        ("Type: Tool", "q=audit&characteristic=race&publisher=ohid&access=free&year_to=2020"),
        (
            "Publisher: Office for Health Improvement and Disparities",
            "q=audit&characteristic=race&kind=tool&access=free&year_to=2020",
        ),
        ("Access: Free", "q=audit&characteristic=race&kind=tool&publisher=ohid&year_to=2020"),
        ("Published to 2020", "q=audit&characteristic=race&kind=tool&publisher=ohid&access=free"),
    ]
