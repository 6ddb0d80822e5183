import json
import re
from datetime import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from resources.finder import facets
from resources.models import Organisation, ResourceStatus
from resources.search import outcome
from resources.views import catalogue as views
from tests.factories import (
    make_organisation,
    make_resource,
    make_resources,
    make_term,
    make_user,
    make_vocabulary,
)

pytestmark = pytest.mark.django_db

FINDER = reverse("resources:list")


def result_slugs(response):
    return re.findall(r'data-slug="([^"]+)"', response.content.decode())


def test_home_shows_ways_in_with_counts_and_recent_additions(client, taxonomy):
    make_resource(title="Race equality guide", terms=[taxonomy["race"]])
    make_resource(title="Draft on race", terms=[taxonomy["race"]], status=ResourceStatus.DRAFT)
    response = client.get(reverse("resources:home"))
    assertContains(
        response,
        '<h2 id="group-characteristic"><a href="/topics/characteristic/">Protected characteristic</a></h2>',
        html=True,
    )
    assertContains(
        response,
        '<a href="/resources/?characteristic=race">Race</a> <span class="count">1<span class="visually-hidden"> resource</span></span>',
        html=True,
    )
    assertContains(response, "Race equality guide")
    assertNotContains(response, "Draft on race")


def test_finder_ors_within_a_vocabulary_and_ands_across(client, taxonomy):
    make_resource(
        title="Race for commissioners",
        terms=[taxonomy["race"], taxonomy["commissioners"]],
    )
    make_resource(
        title="Disability for commissioners",
        terms=[taxonomy["disability"], taxonomy["commissioners"]],
    )
    make_resource(title="Race for frontline", terms=[taxonomy["race"], taxonomy["frontline"]])
    response = client.get(
        FINDER + "?audience=commissioners&characteristic=disability&characteristic=race"
    )
    assert sorted(result_slugs(response)) == [
        "disability-for-commissioners",
        "race-for-commissioners",
    ]
    assertContains(response, "2 resources for commissioners, about Disability or Race")


def test_choosing_a_broader_term_includes_its_narrower_terms(client, taxonomy):
    make_resource(title="For pharmacists", terms=[taxonomy["pharmacy"]])
    make_resource(title="For all frontline staff", terms=[taxonomy["frontline"]])
    make_resource(title="For commissioners", terms=[taxonomy["commissioners"]])
    response = client.get(FINDER + "?audience=frontline")
    assert sorted(result_slugs(response)) == [
        "for-all-frontline-staff",
        "for-pharmacists",
    ]


@pytest.mark.parametrize("fetched", [2, 5000])
def test_a_broader_term_counts_each_resource_tagged_below_it_once(
    client, taxonomy, monkeypatch, fetched
):
    monkeypatch.setattr(facets, "COUNTED_IDS", fetched)
    topic = make_vocabulary(slug="topic", name="Topic", position=3)
    health = make_term(vocabulary=topic, slug="health", name="Health")
    mental = make_term(vocabulary=topic, slug="mental", name="Mental health", parent=health)
    dementia = make_term(vocabulary=topic, slug="dementia", name="Dementia", parent=mental)
    places = make_term(vocabulary=topic, slug="places", name="Places")
    coastal = make_term(vocabulary=topic, slug="coastal", name="Coastal", parent=places)
    race = taxonomy["race"]
    make_resource(terms=[race, mental, dementia, taxonomy["pharmacy"], taxonomy["frontline"]])
    make_resource(terms=[race, coastal])
    make_resource(terms=[race, places, coastal])
    make_resource(terms=[dementia])  # outside the view
    response = client.get(FINDER + "?characteristic=race")
    # Two levels of broader terms, in two vocabularies, each resource counted once.
    expected = {"health": "1", "mental": "1", "dementia": "1", "places": "2", "coastal": "2"}
    assert {slug: option_count(response, "topic", slug) for slug in expected} == expected
    assert option_count(response, "audience", "frontline") == "1"
    assert option_count(response, "audience", "pharmacy") == "1"


def option_count(response, name, value):
    match = re.search(
        rf'id="{name}-{value}"[^>]*>\s*<label for="{name}-{value}">[^<]*<span class="count">([^<]*)</span>',
        response.content.decode(),
    )
    return match.group(1)


def test_each_option_counts_with_other_groups_applied_and_its_own_ignored(client, taxonomy):
    make_resource(terms=[taxonomy["race"], taxonomy["commissioners"]])
    make_resource(terms=[taxonomy["race"], taxonomy["frontline"]])
    make_resource(terms=[taxonomy["disability"], taxonomy["commissioners"]])
    response = client.get(FINDER + "?characteristic=race")
    # Own group ignored: disability would still give 1.
    assert option_count(response, "characteristic", "disability") == "1"
    assert option_count(response, "characteristic", "race") == "2"
    # Other groups applied: with race chosen, commissioners gives 1, frontline (with pharmacy) 1.
    assert option_count(response, "audience", "commissioners") == "1"
    assert option_count(response, "audience", "frontline") == "1"
    # An option that would give nothing is shown as such, not hidden.
    assert option_count(response, "characteristic", "age") == "none"


@pytest.mark.parametrize("fetched", [2, 5000])
def test_a_view_counts_the_same_whether_or_not_its_ids_are_fetched_to_count_by(
    client, taxonomy, monkeypatch, fetched
):
    # A view of more than COUNTED_IDS resources is counted through its filters instead.
    monkeypatch.setattr(facets, "COUNTED_IDS", fetched)
    make_resources(3, terms=[taxonomy["race"], taxonomy["commissioners"]])
    make_resource(terms=[taxonomy["race"]])
    make_resource(terms=[taxonomy["disability"], taxonomy["commissioners"]])
    response = client.get(FINDER + "?characteristic=race")
    assertContains(response, "4 resources about Race")
    assert option_count(response, "characteristic", "disability") == "1"
    assert option_count(response, "audience", "commissioners") == "3"
    # With two groups chosen, the view is the intersection of the two views that each ignore one.
    response = client.get(FINDER + "?audience=commissioners&characteristic=race")
    assertContains(response, "3 resources for commissioners, about Race")
    assert option_count(response, "characteristic", "disability") == "1"
    assert option_count(response, "characteristic", "race") == "3"
    assert option_count(response, "audience", "commissioners") == "3"


def test_a_one_group_view_counts_its_own_options_over_the_whole_catalogue(client, taxonomy):
    # With nothing else chosen, race's own group is counted over the whole catalogue: the counts
    # kept for it (resources.finder.catalogue_counts), counted again when the catalogue changes.
    make_resource(terms=[taxonomy["race"], taxonomy["commissioners"]])
    make_resource(terms=[taxonomy["disability"]])
    response = client.get(FINDER + "?characteristic=race")
    assert option_count(response, "characteristic", "race") == "1"
    assert option_count(response, "characteristic", "disability") == "1"
    assert option_count(response, "audience", "commissioners") == "1"
    assertContains(
        response,
        '<input type="checkbox" id="characteristic-race" name="characteristic" value="race" checked>',
        html=True,
    )
    make_resource(terms=[taxonomy["disability"], taxonomy["commissioners"]])
    make_resource(terms=[taxonomy["race"]], status=ResourceStatus.DRAFT)
    response = client.get(FINDER + "?characteristic=race")
    assertContains(response, "1 resource about Race")  # the kept count too: published only
    assert option_count(response, "characteristic", "disability") == "2"
    assert option_count(response, "audience", "commissioners") == "1"


@pytest.mark.parametrize("count", [3, 30])
def test_a_one_term_view_queries_stay_flat(client, django_assert_num_queries, taxonomy, count):
    make_resources(count, terms=[taxonomy["race"], taxonomy["commissioners"]])
    client.get(FINDER)  # counts and keeps the whole catalogue
    # The catalogue's version (shared by every server); vocabularies and terms; the kept counts
    # (race's own, and the view's count); the view's ids; the page of results; its rows; the
    # other vocabularies; type, access and publishers together; the publishers' names; and the
    # count of views opened (resources/insights).
    with django_assert_num_queries(10):
        client.get(FINDER + "?characteristic=race")


@pytest.mark.parametrize("fetched", [2, 5000])
def test_type_access_and_publisher_count_with_their_own_choice_ignored(
    client, taxonomy, monkeypatch, fetched
):
    monkeypatch.setattr(facets, "COUNTED_IDS", fetched)
    nhs = make_organisation(name="NHS England", slug="nhs-england")
    race = [taxonomy["race"]]
    make_resource(terms=race, kind="guidance", access="free", publisher=nhs)
    make_resource(terms=race, kind="guidance", access="registration", publisher=nhs)
    make_resource(terms=race, kind="tool", access="free", publisher=nhs)
    make_resource(terms=[taxonomy["disability"]], kind="guidance", access="free", publisher=nhs)
    # Nothing chosen among them: all three counted over the race view, in one statement.
    response = client.get(FINDER + "?characteristic=race")
    assert option_count(response, "kind", "guidance") == "2"
    assert option_count(response, "kind", "tool") == "1"
    assert option_count(response, "access", "free") == "2"
    assert option_count(response, "publisher", "nhs-england") == "3"
    # Type chosen: its options ignore it, access and publisher apply it.
    response = client.get(FINDER + "?characteristic=race&kind=guidance")
    assert option_count(response, "kind", "tool") == "1"
    assert option_count(response, "access", "free") == "1"
    assert option_count(response, "access", "registration") == "1"
    assert option_count(response, "publisher", "nhs-england") == "2"


def test_query_string_is_made_canonical(client, taxonomy):
    make_resource(terms=[taxonomy["race"]])
    response = client.get(FINDER + "?year_to=&characteristic=race&q=&audience=commissioners&kind=")
    assertRedirects(
        response,
        FINDER + "?audience=commissioners&characteristic=race",
        fetch_redirect_response=False,
    )
    response = client.get(FINDER + "?characteristic=race&characteristic=disability")
    assertRedirects(
        response,
        FINDER + "?characteristic=disability&characteristic=race",
        fetch_redirect_response=False,
    )


def test_each_applied_filter_can_be_removed_on_its_own(client, taxonomy):
    make_resource(terms=[taxonomy["race"], taxonomy["commissioners"]])
    response = client.get(FINDER + "?audience=commissioners&characteristic=race")
    assertContains(
        response,
        'href="/resources/?characteristic=race">Audience: Commissioners<span class="visually-hidden">: remove</span>',
        html=False,
    )
    assertContains(
        response,
        'href="/resources/?audience=commissioners">Protected characteristic: Race',
    )
    assertContains(response, "Clear all")


def test_filters_by_kind_publisher_access_and_years(client):
    nice = make_organisation(name="NICE", slug="nice")
    make_resource(title="Old NICE guidance", kind="guidance", publisher=nice, year_published=2016)
    make_resource(
        title="New NICE guidance",
        kind="guidance",
        publisher=nice,
        year_published=2021,
        access="free",
    )
    make_resource(title="New report", kind="report", year_published=2021)
    response = client.get(
        FINDER + "?kind=guidance&publisher=nice&access=free&year_from=2020&year_to=2022"
    )
    assert result_slugs(response) == ["new-nice-guidance"]
    assertContains(
        response,
        "of type guidance, published by NICE, with access free, published 2020 to 2022",
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "characteristic=nonsense",
            "“nonsense” is not a protected characteristic in this catalogue",
        ),
        ("kind=novel", "“novel” is not a type of resource we know"),
        ("publisher=nobody", "“nobody” is not a publisher in this catalogue"),
        ("year_from=last+year", "“last year” is not a year between 1800 and 2100"),
        ("year_to=99999", "“99999” is not a year between 1800 and 2100"),
        (
            "year_from=2022&year_to=2010",
            "The years were the wrong way round, so we used 2010 to 2022.",
        ),
        ("page=999", "There is only 1 page of results, so this is the last."),
        ("page=0", "There is no page “0”, so this is page 1."),
        ("page=-3", "There is no page “-3”, so this is page 1."),
        ("page=two", "There is no page “two”, so this is page 1."),
        ("page=%C2%B2", "There is no page “²”, so this is page 1."),
        ("page=" + "9" * 5000, "There is only 1 page of results, so this is the last."),
        ("year_from=%C2%B2", "“²” is not a year between 1800 and 2100"),
        ("year_to=" + "2" * 5000, "is not a year between 1800 and 2100"),
        ("q=" + "equity+" * 300, "Your search was too long"),
        ("q=race%00%00", "Some characters in “q” could not be read"),
        ("q=race%ff%fe", "Some characters in “q” could not be read"),
        ("sort=random", "“random” is not a way to sort"),
        ("colour=blue", "“colour” is not a filter we know"),
    ],
)
def test_bad_input_is_explained_and_the_rest_of_the_view_still_applies(
    client, taxonomy, query, message
):
    make_resource(
        title="Race for commissioners",
        terms=[taxonomy["race"], taxonomy["commissioners"]],
    )
    make_resource(title="Age for frontline", terms=[taxonomy["age"], taxonomy["frontline"]])
    response = client.get(f"{FINDER}?audience=commissioners&{query}")
    assert response.status_code == 200
    assertContains(response, message)
    assertContains(response, 'role="alert"')
    assertNotContains(response, "Age for frontline")


@pytest.mark.parametrize(
    "text",
    [
        '"health equity" -audit',
        "race OR disability",
        "(((",
        "'; DROP TABLE resources_resource; --",
        "a & b | !c",
        "*",
        "<script>alert(1)</script>",
    ],
)
def test_search_operators_and_quotes_never_break_the_page(client, text):
    make_resource(title="Health equity audit guide")
    response = client.get(FINDER, {"q": text})
    assert response.status_code in (200, 302)
    response = client.get(FINDER, {"q": text}, follow=True)
    assert response.status_code == 200
    assertNotContains(response, "<script>alert(1)</script>")


def test_search_ranks_title_above_keywords_above_summary(client):
    make_resource(title="Oral health in care homes", summary="Mentions audit once.")
    make_resource(title="Guide for leaders", keywords=["audit"])
    make_resource(title="Audit of oral health")
    response = client.get(FINDER, {"q": "audit"})
    assert result_slugs(response) == [
        "audit-of-oral-health",
        "guide-for-leaders",
        "oral-health-in-care-homes",
    ]


def test_search_finds_a_term_by_its_synonym_and_an_organisation_by_its_acronym(client, taxonomy):
    ohid = make_organisation(name="Office for Health Improvement and Disparities", acronym="OHID")
    make_resource(title="Ethnic inequalities in health", terms=[taxonomy["race"]])
    make_resource(title="Fingertips", publisher=ohid)
    make_resource(title="Unrelated")
    assert result_slugs(client.get(FINDER, {"q": "BAME"})) == ["ethnic-inequalities-in-health"]
    assert result_slugs(client.get(FINDER, {"q": "ohid"})) == ["fingertips"]


def test_search_finds_the_obvious_match_despite_a_misspelling(client):
    make_resource(title="Health equity assessment tool")
    make_resource(title="Oral health survey")
    response = client.get(FINDER, {"q": "helth equity asessment"})
    assert result_slugs(response)[0] == "health-equity-assessment-tool"


def test_search_and_filters_combine(client, taxonomy):
    make_resource(title="Audit for commissioners", terms=[taxonomy["commissioners"]])
    make_resource(title="Audit for frontline", terms=[taxonomy["frontline"]])
    response = client.get(FINDER + "?q=audit&audience=commissioners")
    assert result_slugs(response) == ["audit-for-commissioners"]
    assertContains(response, "1 resource matching “audit”, for commissioners")


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL ranks only the best of a broad search"
)
def test_broad_search_shows_its_best_matches_and_says_there_are_more(client, monkeypatch):
    monkeypatch.setattr(outcome, "POOL_SIZE", 3)
    for number in range(5):
        make_resource(title=f"Report {number}", summary="On health equity and audit.")
    make_resource(title="Zebra: health equity audit")  # the phrase in its title: among the best
    response = client.get(FINDER, {"q": "health equity audit"})
    slugs = result_slugs(response)
    assert len(slugs) == 3
    assert slugs[0] == "zebra-health-equity-audit"
    assertContains(response, "3+ resources matching “health equity audit”")
    assertContains(response, "This search matches more than 3 resources; these are the best 3")


def test_search_that_finds_nothing_says_what_to_try(client):
    make_resource(title="Health equity audit")
    response = client.get(FINDER, {"q": "zzzzqqqq"})
    assertContains(response, "0 resources matching")
    assertContains(response, "Try fewer or different words")


def test_finder_sorts(client):
    make_resource(title="B report", year_published=2019)
    make_resource(title="A report", year_published=2023)
    make_resource(title="C report", year_published=None)
    assert result_slugs(client.get(FINDER)) == ["a-report", "b-report", "c-report"]
    assert result_slugs(client.get(FINDER + "?sort=newest")) == [
        "a-report",
        "b-report",
        "c-report",
    ]
    assert result_slugs(client.get(FINDER + "?sort=added")) == [
        "c-report",
        "a-report",
        "b-report",
    ]


def test_title_order_reads_past_leading_punctuation_and_case(client):
    make_resource(title="Marmot review")
    make_resource(title="'Levelling up' general practice", slug="levelling-up")
    make_resource(title="eLearning for all", slug="elearning")
    make_resource(title="“Zero” tolerance", slug="zero")
    make_resource(title="Fair society")
    assert result_slugs(client.get(FINDER)) == [
        "elearning",
        "fair-society",
        "levelling-up",
        "marmot-review",
        "zero",
    ]


def test_finder_pages_twenty_at_a_time(client):
    make_resources(45)
    first = client.get(FINDER)
    assert len(result_slugs(first)) == 20
    assertContains(first, "Page 1 of 3")
    assert len(result_slugs(client.get(FINDER + "?page=3"))) == 5


def test_finder_never_lists_drafts_or_archived(client):
    make_resource(title="Public one")
    make_resource(title="Secret draft", status=ResourceStatus.DRAFT)
    make_resource(title="Old archived", status=ResourceStatus.ARCHIVED)
    response = client.get(FINDER, {"q": "secret"}, follow=True)
    assertNotContains(response, "Secret draft")
    assertNotContains(client.get(FINDER), "Old archived")


@pytest.mark.parametrize("count", [3, 30])
def test_finder_queries_stay_flat(client, django_assert_num_queries, taxonomy, count):
    for resource in make_resources(count, terms=[taxonomy["race"], taxonomy["commissioners"]]):
        resource.keywords.add("BAME")
    # Cold: nothing cached yet for this catalogue version, so the whole-catalogue counts are
    # computed (and kept in the database: one read, one version check, one write more). One
    # more counts the view opened (resources/insights), as one counts the search below.
    with django_assert_num_queries(12):
        client.get(FINDER)
    # One query more on PostgreSQL (whether the words match anything as typed); SQLite needs
    # none for one word, and neither reads the spelling lexicon for a word of English.
    # Two of them fetch the ids each facet count filters by, one per chosen group ignored; the
    # view with every choice is their intersection, and its length the results heading's count
    # (Finder.counted_ids). Type, access and publishers are counted in one statement. And the
    # catalogue's version, read once per request (the cold request above reads it too, where it
    # replaced the kept counts' version check).
    with django_assert_num_queries(11 + (connection.vendor == "postgresql")):
        client.get(FINDER + "?q=resource&audience=commissioners&characteristic=race")


def test_resource_page_shows_what_who_when_and_how_to_cite(client, taxonomy):
    phe = make_organisation(name="Public Health England", slug="phe")
    ohid = make_organisation(name="Office for Health Improvement and Disparities", slug="ohid")
    phe.succeeded_by = ohid
    phe.save()
    resource = make_resource(
        title="Health Equity Assessment Tool",
        url="https://www.gov.uk/heat",
        publisher=phe,
        year_published=2020,
        kind="tool",
        summary="A framework to embed action on health inequalities.",
        terms=[taxonomy["race"]],
        keywords=["HEAT"],
    )
    related = make_resource(title="Race equality guide", terms=[taxonomy["race"]])
    response = client.get(resource.get_absolute_url())
    assertContains(response, "<h1>Health Equity Assessment Tool</h1>", html=True)
    assertContains(response, "Its work is now carried on by")
    assertContains(response, '<a href="/topics/characteristic/race/">Race</a>', html=True)
    assertContains(
        response,
        "Public Health England (2020) Health Equity Assessment Tool. Available at: https://www.gov.uk/heat",
    )
    assertContains(response, related.title)
    data = json.loads(
        re.search(
            r'<script type="application/ld\+json">(.*?)</script>',
            response.content.decode(),
            re.S,
        ).group(1)
    )
    assert data["@type"] == "CreativeWork" and data["name"] == "Health Equity Assessment Tool"
    assert data["publisher"]["name"] == "Public Health England"


def test_resource_page_escapes_what_people_typed(client):
    resource = make_resource(title="</script><script>alert('x')</script>", summary="<b>bold</b>")
    response = client.get(resource.get_absolute_url())
    content = response.content.decode()
    assert "<script>alert('x')</script>" not in content
    assert "<b>bold</b>" not in content


def test_resource_without_a_url_says_so(client):
    resource = make_resource(url="")
    assertContains(
        client.get(resource.get_absolute_url()), "We have not found a web address for this resource"
    )


@pytest.mark.parametrize(
    "status", [ResourceStatus.DRAFT, ResourceStatus.IN_REVIEW, ResourceStatus.ARCHIVED]
)
def test_unpublished_resources_are_not_public_but_staff_can_preview(client, status):
    resource = make_resource(title="Not yet", status=status)
    assert client.get(resource.get_absolute_url()).status_code == 404
    client.force_login(make_user(is_staff=True))
    response = client.get(resource.get_absolute_url())
    assertContains(response, "Not published.")
    assertContains(response, '<meta name="robots" content="noindex">')


def test_resource_page_lists_those_sharing_the_most_terms_first(client, taxonomy):
    terms = [taxonomy["race"], taxonomy["commissioners"], taxonomy["disability"]]
    resource = make_resource(title="Subject", terms=terms)
    make_resource(title="A shares one", terms=terms[:1])
    make_resource(title="B shares all three", terms=terms)
    make_resource(title="C shares two", terms=terms[1:])
    make_resource(title="D shares none", terms=[taxonomy["age"]])
    page = client.get(resource.get_absolute_url()).content.decode()
    related = page[page.index("B shares") :]
    assert related.index("B shares") < related.index("C shares") < related.index("A shares")
    assert "D shares none" not in page


def test_related_resources_come_from_the_most_specific_terms_in_a_big_catalogue(
    client, taxonomy, monkeypatch
):
    # As if the audience tagged too many resources to count them all on every resource page.
    monkeypatch.setattr(views, "RELATED_LINKS", 3)
    race, commissioners = taxonomy["race"], taxonomy["commissioners"]
    resource = make_resource(title="Subject", terms=[race, commissioners])
    make_resource(title="Shares the characteristic", terms=[race])
    for number in range(3):
        make_resource(title=f"Audience only {number}", terms=[commissioners])
    page = client.get(resource.get_absolute_url()).content.decode()
    assert "Shares the characteristic" in page
    assert "Audience only" not in page


@pytest.mark.parametrize("count", [2, 20])
def test_resource_page_queries_stay_flat(client, django_assert_num_queries, taxonomy, count):
    resources = make_resources(count, terms=[taxonomy["race"], taxonomy["commissioners"]])
    for resource in resources:
        resource.keywords.add("BAME", "HEAT")
    # The first page after a change counts how many resources each term tags (to choose the
    # related resources' candidates by the most specific terms) and keeps it: four queries more.
    # Each counts the page opened (resources/insights): one query.
    with django_assert_num_queries(11):
        client.get(resources[0].get_absolute_url())
    with django_assert_num_queries(8):  # one of them the catalogue's version
        client.get(resources[1].get_absolute_url())


def test_organisations_a_to_z_and_an_organisation_page(client):
    phe = make_organisation(name="Public Health England", acronym="PHE", slug="phe")
    ohid = make_organisation(name="Office for Health Improvement and Disparities", slug="ohid")
    phe.succeeded_by, phe.succeeded_on = ohid, "2021-10-01"
    phe.save()
    make_resource(title="Fingertips", publisher=phe)
    make_resource(title="Hidden draft", publisher=phe, status=ResourceStatus.DRAFT)
    response = client.get(reverse("resources:organisations"))
    assertContains(response, '<h2 id="letter-P">P</h2>', html=True)
    assertContains(response, "Public Health England (PHE)")
    # The published one only; a new one counts at once (the kept counts follow the catalogue).
    assertContains(response, '1<span class="visually-hidden"> resource</span>', html=True)
    make_resource(title="Local Health Profiles", publisher=phe)
    response = client.get(reverse("resources:organisations"))
    assertContains(response, '2<span class="visually-hidden"> resources</span>', html=True)
    response = client.get(phe.get_absolute_url())
    assertContains(response, "work passed to")
    assertContains(response, "on 1 October 2021")
    assertContains(response, "Fingertips")
    assertNotContains(response, "Hidden draft")
    assertContains(client.get(ohid.get_absolute_url()), "Took over the work of")


@pytest.mark.parametrize("count", [2, 20])
def test_organisations_a_to_z_queries_stay_flat(
    client, django_assert_num_queries, count, no_page_cache
):
    for number in range(count):
        make_resource(publisher=make_organisation(name=f"Trust {number}", slug=f"trust-{number}"))
    client.get(reverse("resources:organisations"))  # counts and keeps them
    # The catalogue's version, then the organisations; their counts are kept and cached.
    with django_assert_num_queries(2):
        client.get(reverse("resources:organisations"))


def test_unknown_pages_get_the_friendly_404(client):
    response = client.get("/resources/no-such-thing/")
    assert response.status_code == 404
    assertContains(response, "Page not found", status_code=404)
    assertContains(response, 'name="q"', status_code=404)


def test_sitemap_and_robots(client):
    resource = make_resource()
    make_resource(title="Draft", status=ResourceStatus.DRAFT)
    index = client.get("/sitemap.xml")
    assertContains(index, "sitemap-resources.xml")
    sitemap = client.get("/sitemap-resources.xml")
    assertContains(sitemap, resource.get_absolute_url())
    assertNotContains(sitemap, "/resources/draft/")
    robots = client.get("/robots.txt")
    assertContains(robots, "Disallow: /admin/")
    assertContains(robots, "Disallow: /api/v1/")
    assertContains(robots, "Sitemap: http://testserver/sitemap.xml")


def test_finder_serves_repeat_views_from_the_cache_until_the_catalogue_changes(
    client, django_assert_max_num_queries, taxonomy
):
    make_resources(5, terms=[taxonomy["race"]])
    url = FINDER + "?characteristic=race"
    client.get(url)
    with django_assert_max_num_queries(6):
        response = client.get(url)
    assertContains(response, "5 resources about Race")
    make_resource(title="Brand new", terms=[taxonomy["race"]])
    response = client.get(url)
    assertContains(response, "6 resources about Race")
    assertContains(response, "Brand new")


def test_resource_page_says_when_the_link_was_checked_and_warns_if_broken(client):
    checked = timezone.make_aware(datetime(2026, 11, 20, 9, 0))
    working = make_resource(link_status="ok", link_checked_at=checked)
    assertContains(client.get(working.get_absolute_url()), "Link last checked on 20 November 2026.")
    broken = make_resource(link_status="broken", link_checked_at=checked)
    response = client.get(broken.get_absolute_url())
    assertContains(response, "This link may not work.")
    assertContains(response, "on 20 November 2026, it was broken")


def test_resource_page_says_a_link_failing_but_not_confirmed_did_not_work_when_checked(client):
    checked = timezone.make_aware(datetime(2026, 11, 20, 9, 0))
    failing = make_resource(link_status="failing", link_failing_days=2, link_checked_at=checked)
    response = client.get(failing.get_absolute_url())
    assertContains(response, "When we checked this link on 20 November 2026, it did not work.")
    assertNotContains(response, "This link may not work.")
    assert "not checked" not in response.content.decode().lower()


def test_server_error_page_is_friendly_and_needs_no_database(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/resources/"))
    assert response.status_code == 500
    content = response.content.decode()
    assert "Sorry, something went wrong" in content
    assert '<a href="/">Go to the home page</a>' in content
    # Styled by a file: the Content-Security-Policy allows no inline style.
    assert '<link rel="stylesheet" href="/static/css/error.css">' in content
    assert "<style" not in content


@pytest.mark.parametrize(
    "path", ["/", "/resources/", "/organisations/", "/topics/", "/resources/feed/"]
)
def test_public_pages_answer_head_as_they_answer_get(client, path):
    # Link checkers and proxies ask with HEAD before they fetch.
    assert client.head(path).status_code == 200


def test_organisations_a_to_z_lists_publishers_and_partners_counted_as_their_pages_are(client):
    publisher = make_organisation(name="Kings Fund", slug="kings-fund")
    partner = make_organisation(name="Local Government Association", slug="lga")
    make_organisation(name="Drafts Only Trust", slug="drafts-only")
    make_resource(publisher=publisher).partners.set([partner])
    make_resource(publisher=publisher).partners.set([publisher])
    make_resource(
        publisher=Organisation.objects.get(slug="drafts-only"), status=ResourceStatus.DRAFT
    )

    response = client.get(reverse("resources:organisations"))

    listed = re.findall(
        r'<a href="/organisations/([^/]+)/">[^<]*</a> <span class="count">(\d+)',
        response.content.decode(),
    )
    assert ("kings-fund", "2") in listed
    assert ("lga", "1") in listed
    assert "drafts-only" not in dict(listed)
    assert client.get("/organisations/drafts-only/").status_code == 200
    api = client.get(reverse("api:organisation", args=["lga"])).json()
    assert api["resource_count"] == 1


def test_finder_puts_the_filters_behind_a_control_saying_how_many_are_chosen(client, taxonomy):
    make_resource(terms=[taxonomy["race"], taxonomy["commissioners"]])
    response = client.get(f"{FINDER}?q=resource&audience=commissioners&characteristic=race")
    assertContains(
        response,
        '<summary class="filter-panel__toggle">Filter '
        '<span class="filter-panel__chosen">(2 chosen)</span></summary>',
        html=True,
    )
    page = response.content.decode()
    assert '<details class="finder__filters filter-panel">' in page, "closed until opened"
    assert page.index("filter-panel__toggle") < page.index('id="results-heading"')
    assert page.index('id="results-heading"') < page.index('class="result"')
    assertContains(
        client.get(FINDER), '<summary class="filter-panel__toggle">Filter</summary>', html=True
    )


def test_finder_offers_a_skip_link_to_the_results(client):
    response = client.get(FINDER)
    assertContains(
        response, '<a class="skip-link" href="#results-heading">Skip to results</a>', html=True
    )
    assertContains(response, 'id="results-heading"', count=1)


def test_finder_applies_filters_only_when_asked_so_ticking_changes_nothing(client):
    """No script submits the form on a tick (WCAG 3.2.2): the "Apply filters" and "Sort"
    buttons do (docs/decisions/0015-finder-on-a-phone.md)."""
    response = client.get(FINDER)
    assertNotContains(response, "<script")
    assertContains(
        response, '<button class="button" type="submit">Apply filters</button>', html=True
    )
    assertContains(
        response, '<button class="button button--secondary" type="submit">Sort</button>', html=True
    )
