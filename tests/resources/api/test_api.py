import re
from datetime import UTC, date, datetime
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_openapi
from pytest_django.asserts import assertContains
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from resources.api.parameters import resource_parameters
from resources.finder import UNREADABLE
from resources.models import Organisation, ResourceStatus
from taxonomy.models import FINDER_PARAMETERS, LIMIT_PARAMETER, RESERVED_VOCABULARY_SLUGS
from tests.factories import (
    make_organisation,
    make_resource,
    make_resources,
    make_term,
    make_vocabulary,
)

pytestmark = pytest.mark.django_db

RESOURCES = reverse("api:resources")
FINDER = reverse("resources:list")


@pytest.fixture
def catalogue(taxonomy):
    """A few resources that tell the finder's rules apart."""
    nice = make_organisation(name="NICE", slug="nice")
    make_resource(
        title="Race audit for commissioners",
        terms=[taxonomy["race"], taxonomy["commissioners"]],
        kind="guidance",
        publisher=nice,
        year_published=2021,
        access="free",
        keywords=["audit"],
    )
    make_resource(
        title="Disability for commissioners",
        terms=[taxonomy["disability"], taxonomy["commissioners"]],
        year_published=2016,
    )
    make_resource(title="Race for pharmacists", terms=[taxonomy["race"], taxonomy["pharmacy"]])
    make_resource(title="Audit of oral health", kind="tool", summary="An audit.")
    make_resource(title="Hidden audit draft", status=ResourceStatus.DRAFT)
    return taxonomy


def slugs(response):
    return [resource["slug"] for resource in response.json()["results"]]


def finder_slugs(client, query):
    response = client.get(f"{FINDER}?{query}", follow=True)
    return re.findall(r'data-slug="([^"]+)"', response.content.decode())


# Same rules as the finder ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", None),
        (
            "characteristic=race&characteristic=disability",
            [
                "disability-for-commissioners",
                "race-audit-for-commissioners",
                "race-for-pharmacists",
            ],
        ),
        ("characteristic=race&audience=commissioners", ["race-audit-for-commissioners"]),
        ("audience=frontline", ["race-for-pharmacists"]),
        ("kind=guidance&publisher=nice&access=free", ["race-audit-for-commissioners"]),
        ("year_from=2020&year_to=2022", ["race-audit-for-commissioners"]),
        ("q=audit", ["audit-of-oral-health", "race-audit-for-commissioners"]),
        ("q=audit&sort=title", ["audit-of-oral-health", "race-audit-for-commissioners"]),
        ("q=BAME&sort=title", ["race-audit-for-commissioners", "race-for-pharmacists"]),
        ("sort=newest", None),
        ("q=audit&characteristic=race", ["race-audit-for-commissioners"]),
    ],
)
def test_resources_are_the_finders_results_in_the_finders_order(client, catalogue, query, expected):
    response = client.get(f"{RESOURCES}?{query}")
    assert response.status_code == 200
    assert slugs(response) == finder_slugs(client, query)
    if expected is not None:
        assert sorted(slugs(response)) == expected
    assert "hidden-audit-draft" not in slugs(response)


def test_a_resource_says_what_who_when_and_how_it_is_classified(client, taxonomy):
    phe = make_organisation(name="Public Health England", slug="phe", acronym="PHE")
    ohid = make_organisation(
        name="Office for Health Improvement and Disparities", slug="ohid", acronym="OHID"
    )
    phe.succeeded_by = ohid
    phe.save()
    partner = make_organisation(name="Local Government Association", slug="lga", acronym="LGA")
    resource = make_resource(
        title="Health Equity Assessment Tool (HEAT) – für alle",
        slug="heat",
        url="https://www.gov.uk/heat",
        kind="tool",
        summary="A framework to embed action on health inequalities.",
        publisher=phe,
        authors="Bambra, Clare\nMarmot, Michael",
        year_published=2020,
        last_updated_on=date(2021, 3, 4),
        access="free",
        format="pdf",
        terms=[taxonomy["race"], taxonomy["commissioners"], taxonomy["disability"]],
        keywords=["HEAT", "equity audit"],
        published_at=datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC),
        curator_notes="Secret judgement call",
    )
    resource.partners.set([partner])
    response = client.get(reverse("api:resource", args=["heat"]))
    assert response["Content-Type"] == "application/json"
    assert "für alle".encode() in response.content  # UTF-8, not \u escapes
    assert b"Secret judgement call" not in response.content
    assert response.json() == {
        "slug": "heat",
        "title": "Health Equity Assessment Tool (HEAT) – für alle",
        "url": "http://testserver/resources/heat/",
        "web_address": "https://www.gov.uk/heat",
        "kind": {"value": "tool", "label": "Tool"},
        "summary": "A framework to embed action on health inequalities.",
        "publisher": {"slug": "phe", "name": "Public Health England", "acronym": "PHE"},
        "current_publisher": {
            "slug": "ohid",
            "name": "Office for Health Improvement and Disparities",
            "acronym": "OHID",
        },
        "authors": ["Bambra, Clare", "Marmot, Michael"],
        "partners": [{"slug": "lga", "name": "Local Government Association", "acronym": "LGA"}],
        "year_published": 2020,
        "last_updated_on": "2021-03-04",
        "access": {"value": "free", "label": "Free"},
        "format": {"value": "pdf", "label": "PDF document"},
        "terms": {
            "audience": [{"slug": "commissioners", "name": "Commissioners"}],
            "characteristic": [
                {"slug": "race", "name": "Race"},
                {"slug": "disability", "name": "Disability"},
            ],
        },
        "keywords": ["HEAT", "equity audit"],
        "published_at": "2024-05-06T07:08:09Z",
    }


def test_a_resource_with_nothing_recorded_says_null(client):
    make_resource(slug="bare", url="", publisher=None)
    data = client.get(reverse("api:resource", args=["bare"])).json()
    assert data["web_address"] is None
    assert data["publisher"] is None and data["current_publisher"] is None
    assert data["access"] is None and data["format"] is None
    assert data["terms"] == {} and data["keywords"] == [] and data["partners"] == []


@pytest.mark.parametrize(
    "status", [ResourceStatus.DRAFT, ResourceStatus.IN_REVIEW, ResourceStatus.ARCHIVED]
)
def test_unpublished_resources_are_not_in_the_api(client, status):
    make_resource(title="Not yet", slug="not-yet", status=status)
    response = client.get(reverse("api:resource", args=["not-yet"]))
    assert response.status_code == 404
    assert response.json() == {
        "errors": [
            {
                "parameter": "slug",
                "value": "not-yet",
                "message": "No published resource has the slug “not-yet”.",
            }
        ]
    }
    assert client.get(RESOURCES).json()["count"] == 0


# Pages ----------------------------------------------------------------------------------------


def test_resources_come_twenty_a_page_with_links_to_the_next_and_previous(client, taxonomy):
    make_resources(45, terms=[taxonomy["race"]])
    first = client.get(f"{RESOURCES}?characteristic=race").json()
    assert (first["count"], first["page"], first["page_size"], first["num_pages"]) == (45, 1, 20, 3)
    assert len(first["results"]) == 20
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/resources/?characteristic=race&page=2"
    last = client.get(first["next"].replace("page=2", "page=3")).json()
    assert len(last["results"]) == 5 and last["next"] is None
    assert last["previous"] == "http://testserver/api/v1/resources/?characteristic=race&page=2"
    sized = client.get(f"{RESOURCES}?page_size=10&page=2").json()
    assert sized["num_pages"] == 5
    assert sized["previous"] == "http://testserver/api/v1/resources/?page_size=10"
    assert sized["next"] == "http://testserver/api/v1/resources/?page=3&page_size=10"
    everything = client.get(f"{RESOURCES}?page_size=100").json()
    assert len(everything["results"]) == 45
    assert [resource["slug"] for resource in everything["results"][20:40]] == slugs(
        client.get(f"{RESOURCES}?page=2")
    )


def test_no_results_is_an_empty_first_page_not_an_error(client):
    response = client.get(f"{RESOURCES}?q=zzzzqqqq")
    assert response.status_code == 200
    assert response.json() == {
        "count": 0,
        "page": 1,
        "page_size": 20,
        "num_pages": 1,
        "next": None,
        "previous": None,
        "results": [],
    }


# Strict validation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        (
            "characteristic=nope",
            [
                (
                    "characteristic",
                    "nope",
                    "“nope” is not a protected characteristic in this catalogue.",
                )
            ],
        ),
        ("kind=novel", [("kind", "novel", "“novel” is not a type of resource we know.")]),
        ("access=gratis", [("access", "gratis", "“gratis” is not a kind of access we know.")]),
        (
            "publisher=nobody",
            [("publisher", "nobody", "“nobody” is not a publisher in this catalogue.")],
        ),
        (
            "year_from=last+year",
            [("year_from", "last year", "“last year” is not a year between 1800 and 2100.")],
        ),
        ("year_to=%C2%B2", [("year_to", "²", "“²” is not a year between 1800 and 2100.")]),
        (
            "year_from=2022&year_to=2010",
            [("year_from", "2022", "year_from (2022) is after year_to (2010).")],
        ),
        (
            "sort=random",
            [
                (
                    "sort",
                    "random",
                    "“random” is not a way to sort; the sorts are relevance, newest, title, added.",
                )
            ],
        ),
        ("colour=blue", [("colour", "blue", "“colour” is not a parameter of this endpoint.")]),
        (
            "utm_source=newsletter",
            [("utm_source", "newsletter", "“utm_source” is not a parameter of this endpoint.")],
        ),
        ("status=draft", [("status", "draft", "“status” is not a parameter of this endpoint.")]),
        ("q=a&q=b", [("q", "b", "Give “q” once, not 2 times.")]),
        ("page=abc", [("page", "abc", "“abc” is not a whole number of 1 or more.")]),
        ("page=0", [("page", "0", "“0” is not a whole number of 1 or more.")]),
        ("page=-1", [("page", "-1", "“-1” is not a whole number of 1 or more.")]),
        ("page=1.5", [("page", "1.5", "“1.5” is not a whole number of 1 or more.")]),
        ("page_size=0", [("page_size", "0", "“0” is not a whole number from 1 to 100.")]),
        ("page_size=1000", [("page_size", "1000", "“1000” is not a whole number from 1 to 100.")]),
        ("page_size=ten", [("page_size", "ten", "“ten” is not a whole number from 1 to 100.")]),
        (
            "q=race%00",
            [
                (
                    "q",
                    "race\x00",
                    "Some characters could not be read (control characters, NUL bytes or broken percent-encoding).",
                )
            ],
        ),
        (
            "q=race%ff%fe",
            [
                (
                    "q",
                    "race\ufffd\ufffd",
                    "Some characters could not be read (control characters, NUL bytes or broken percent-encoding).",
                )
            ],
        ),
        ("q=" + "x" * 2000, [("q", "x" * 100, "The search is longer than 200 characters.")]),
        ("%ff=1", [("\ufffd", "1", f"{UNREADABLE} in a parameter's name.")]),
        ("page%00=1", [("page\x00", "1", f"{UNREADABLE} in a parameter's name.")]),
    ],
)
def test_bad_input_is_a_400_that_says_what_is_wrong(client, catalogue, query, errors):
    response = client.get(f"{RESOURCES}?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    expected = [
        {"parameter": parameter, "value": value, "message": message}
        for parameter, value, message in errors
    ]
    assert response.json() == {"errors": expected}


@pytest.mark.parametrize(
    ("page", "message"),
    [
        ("2", "Page 2 is past the end: there is 1 page of results."),
        ("9" * 5000, "That page is past the end: there is 1 page of results."),
    ],
)
def test_a_page_past_the_end_is_not_found(client, catalogue, page, message):
    """A well-formed page number the description allows: no such page, not a bad request."""
    response = client.get(f"{RESOURCES}?page={page}")
    assert response.status_code == 404
    assert response.json() == {
        "errors": [{"parameter": "page", "value": page[:100], "message": message}]
    }


def test_every_problem_is_listed_at_once(client, catalogue):
    response = client.get(
        f"{RESOURCES}?characteristic=race&characteristic=nope&kind=novel&page_size=0&utm_source=x"
    )
    assert response.status_code == 400
    assert sorted(error["parameter"] for error in response.json()["errors"]) == [
        "characteristic",
        "kind",
        "page_size",
        "utm_source",
    ]


def test_empty_values_are_the_same_as_leaving_them_out(client, catalogue):
    response = client.get(f"{RESOURCES}?q=&kind=&year_from=&page=&page_size=&sort=")
    assert response.status_code == 200
    assert slugs(response) == slugs(client.get(RESOURCES))


@pytest.mark.parametrize(
    "url",
    [
        reverse("api:resource", args=["anything"]) + "?format=json",
        reverse("api:organisations") + "?q=nhs",
        reverse("api:vocabularies") + "?page=2",
        reverse("api:openapi") + "?v=3",
        reverse("api:index") + "?x=1",
    ],
)
def test_other_endpoints_refuse_parameters_they_do_not_take(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "is not a parameter of this endpoint" in response.json()["errors"][0]["message"]


def test_an_address_that_is_no_endpoint_is_a_json_404_and_a_missing_slash_is_added(client):
    response = client.get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response.json() == {
        "errors": [{"message": "There is no endpoint at /api/v1/nothing-here/; see /api/v1/."}]
    }
    response = client.get("/api/v1/resources?q=audit")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/resources/?q=audit"


# Organisations and vocabularies ---------------------------------------------------------------


def test_organisations_come_a_to_z_with_published_counts_and_lineage(client):
    phe = make_organisation(name="Public Health England", acronym="PHE", slug="phe")
    ohid = make_organisation(
        name="Office for Health Improvement and Disparities",
        slug="ohid",
        website="https://www.gov.uk/ohid",
    )
    ukhsa = make_organisation(name="UK Health Security Agency", slug="ukhsa")
    phe.succeeded_by, phe.succeeded_on = ohid, "2021-10-01"
    phe.save()
    phe.further_successors.add(ukhsa)
    make_resources(2, publisher=phe)
    make_resource(publisher=phe, status=ResourceStatus.DRAFT)
    response = client.get(reverse("api:organisations"))
    data = response.json()
    assert [organisation["slug"] for organisation in data["results"]] == ["ohid", "phe", "ukhsa"]
    assert data["results"][1] == {
        "slug": "phe",
        "name": "Public Health England",
        "acronym": "PHE",
        "kind": {"value": "other", "label": "Other"},
        "website": None,
        "description": "",
        "url": "http://testserver/organisations/phe/",
        "succeeded_by": "ohid",
        "successors": ["ohid", "ukhsa"],
        "succeeded_on": "2021-10-01",
        "predecessors": [],
        "resource_count": 2,
    }
    detail = client.get(reverse("api:organisation", args=["ohid"])).json()
    assert detail["predecessors"] == ["phe"]
    assert client.get(reverse("api:organisation", args=["ukhsa"])).json()["predecessors"] == ["phe"]
    assert detail["website"] == "https://www.gov.uk/ohid"
    assert detail["resource_count"] == 0
    missing = client.get(reverse("api:organisation", args=["nobody"]))
    assert missing.status_code == 404
    assert missing.json()["errors"][0]["message"] == "No organisation has the slug “nobody”."


def test_organisations_are_paginated(client):
    for number in range(25):
        make_organisation(name=f"Trust {number:02}")
    data = client.get(reverse("api:organisations") + "?page=2&page_size=10").json()
    assert (data["count"], data["num_pages"]) == (25, 3)
    assert [item["name"] for item in data["results"]][:2] == ["Trust 10", "Trust 11"]
    assert data["next"] == "http://testserver/api/v1/organisations/?page=3&page_size=10"
    past = client.get(reverse("api:organisations") + "?page=4&page_size=10")
    assert past.status_code == 404
    assert past.json()["errors"] == [
        {
            "parameter": "page",
            "value": "4",
            "message": "Page 4 is past the end: there are 3 pages of results.",
        }
    ]


def test_vocabularies_come_with_their_terms(client, taxonomy):
    data = client.get(reverse("api:vocabularies")).json()
    assert data["count"] == 2
    audience, characteristic = data["results"]
    assert (audience["slug"], audience["name"]) == ("audience", "Audience")
    assert audience["url"] == "http://testserver/topics/audience/"
    assert [(term["slug"], term["parent"]) for term in audience["terms"]] == [
        ("commissioners", None),
        ("frontline", None),
        ("pharmacy", "frontline"),
    ]
    assert characteristic["terms"][0] == {
        "slug": "race",
        "name": "Race",
        "definition": "Race, ethnicity and nationality.",
        "synonyms": ["BAME", "ethnicity"],
        "parent": None,
        "url": "http://testserver/topics/characteristic/race/",
    }
    one = client.get(reverse("api:vocabulary", args=["characteristic"])).json()
    assert one == characteristic
    missing = client.get(reverse("api:vocabulary", args=["colour"]))
    assert missing.status_code == 404
    assert missing.json()["errors"][0]["message"] == "No vocabulary has the slug “colour”."


# CORS and methods -----------------------------------------------------------------------------

ENDPOINTS = [
    reverse("api:index"),
    RESOURCES,
    reverse("api:resource", args=["a-resource"]),
    reverse("api:organisations"),
    reverse("api:organisation", args=["an-organisation"]),
    reverse("api:vocabularies"),
    reverse("api:vocabulary", args=["a-vocabulary"]),
    reverse("api:openapi"),
]


@pytest.mark.parametrize("url", ENDPOINTS)
def test_any_web_page_may_read_the_api(client, url):
    for response in [client.get(url), client.head(url), client.get(url + "?nonsense=1")]:
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "Set-Cookie" not in response
        assert "Access-Control-Allow-Credentials" not in response


@pytest.mark.parametrize("url", ENDPOINTS)
def test_a_preflight_request_is_told_what_may_be_asked(client, url):
    response = client.options(
        url,
        headers={
            "Origin": "https://intranet.example.nhs.uk",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "Accept-Language, Content-Type",
        },
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    allowed = {name.strip().lower() for name in response["Access-Control-Allow-Headers"].split(",")}
    assert {"accept", "accept-language", "content-type", "if-none-match"} <= allowed
    assert int(response["Access-Control-Max-Age"]) > 0


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("url", ENDPOINTS)
def test_the_api_only_reads(url, method):
    client = Client(enforce_csrf_checks=True)  # as a real browser's request: no token
    response = getattr(client, method)(url, data="{}", content_type="application/json")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json() == {
        "errors": [{"message": "This API only reads: use GET, HEAD, OPTIONS."}]
    }


# Query counts ---------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [3, 30])
def test_resource_list_queries_stay_flat(client, django_assert_num_queries, taxonomy, count):
    phe = make_organisation(name="Public Health England")
    phe.succeeded_by = make_organisation(name="OHID")
    phe.save()
    for resource in make_resources(
        count, publisher=phe, terms=[taxonomy["race"], taxonomy["commissioners"]]
    ):
        resource.keywords.add("BAME")
        resource.partners.add(phe)
    # The catalogue's version (shared by every server), vocabularies, terms, count, a page of
    # ids, the rows, their terms, keywords and partners.
    with django_assert_num_queries(9):
        response = client.get(RESOURCES + "?page_size=100")
    assert len(response.json()["results"]) == count
    with django_assert_num_queries(9):
        client.get(RESOURCES + "?audience=commissioners&characteristic=race&page_size=100")


@pytest.mark.parametrize("count", [2, 20])
def test_vocabulary_list_queries_stay_flat(client, django_assert_num_queries, count):
    for _ in range(count):
        vocabulary = make_vocabulary()
        parent = make_term(vocabulary=vocabulary)
        make_term(vocabulary=vocabulary, parent=parent)
    # The catalogue's version (for the page cache), the vocabularies, their terms.
    with django_assert_num_queries(3):
        response = client.get(reverse("api:vocabularies"))
    assert response.json()["count"] == count


@pytest.mark.parametrize("count", [2, 20])
def test_organisation_list_queries_stay_flat(client, django_assert_num_queries, count):
    for _ in range(count):
        predecessor = make_organisation(succeeded_by=make_organisation())
        predecessor.further_successors.add(make_organisation())
        make_resource(publisher=predecessor)
    client.get(reverse("api:organisations"))  # counts each organisation's resources, kept
    # The page, its count, predecessors and both successors; the kept counts come from the
    # cache, under the catalogue's version (read from the database, shared by every server).
    with django_assert_num_queries(6):
        client.get(reverse("api:organisations") + "?page_size=100")


# The OpenAPI description and the API agree ----------------------------------------------------


def openapi_document(client):
    response = client.get(reverse("api:openapi"))
    assert response.status_code == 200
    return response.json()


def test_the_description_is_valid_openapi_3_1(client, taxonomy):
    document = openapi_document(client)
    assert document["openapi"] == "3.1.0"
    validate_openapi(document)
    assert document["servers"] == [{"url": "http://testserver/api/v1"}]


def resource_list_parameters(document):
    return {
        parameter["name"]: parameter
        for parameter in document["paths"]["/resources/"]["get"]["parameters"]
    }


def test_a_librarians_new_vocabulary_is_described_and_accepted_at_once(client, taxonomy):
    setting = make_vocabulary(slug="setting", name="Care setting")
    make_term(vocabulary=setting, slug="primary-care", name="Primary care")
    make_term(vocabulary=setting, slug="prisons", name="Prisons")
    parameter = resource_list_parameters(openapi_document(client))["setting"]
    assert parameter["schema"]["items"]["anyOf"] == [
        {"type": "string", "enum": ["primary-care", "prisons"]},
        {"const": ""},  # an empty value means leaving it out
    ]
    assert parameter["explode"] is True
    assert client.get(f"{RESOURCES}?setting=prisons").status_code == 200
    assert client.get(f"{RESOURCES}?setting=nope").status_code == 400


def matches_description(document, template, response):
    """Validate a real response against the schema its path and status are documented with."""
    responses = document["paths"][template]["get"]["responses"]
    status = str(response.status_code)
    assert status in responses, f"{template} answered {status}, which is not documented"
    pointer = f"/paths/{template.replace('~', '~0').replace('/', '~1')}/get/responses/{status}"
    registry = Registry().with_resource("urn:api", DRAFT202012.create_resource(document))
    schema = {"$ref": f"urn:api#{pointer}/content/application~1json/schema"}
    Draft202012Validator(schema, registry=registry).validate(response.json())


def test_every_response_matches_its_description(client, catalogue):
    phe = make_organisation(name="Public Health England", slug="phe", website="https://phe.example")
    phe.succeeded_by = make_organisation(name="OHID", slug="ohid")
    phe.save()
    resource = make_resource(
        slug="full",
        publisher=phe,
        access="registration",
        format="video",
        last_updated_on=date(2022, 1, 2),
        published_at=timezone.now(),
        year_published=2022,
        terms=[catalogue["race"]],
        keywords=["HEAT"],
    )
    resource.partners.add(make_organisation(slug="partner"))
    document = openapi_document(client)
    calls = {
        "/": ["", "?x=1"],
        "/resources/": [
            "",
            "?q=audit&characteristic=race&page_size=1",
            "?page=2&page_size=1",
            "?characteristic=nope&page=abc&colour=blue",
            "?page=99",
        ],
        "/resources/{slug}/": ["full/", "race-for-pharmacists/", "no-such-thing/", "full/?x=1"],
        "/organisations/": ["", "?page_size=1&page=2", "?page=99", "?page_size=0"],
        "/organisations/{slug}/": ["phe/", "ohid/", "nobody/", "phe/?page=1"],
        "/vocabularies/": ["", "?x=1"],
        "/vocabularies/{slug}/": ["audience/", "colour/", "audience/?q=x"],
        "/openapi.json": ["", "?x=1"],
    }
    seen = set()
    for template, suffixes in calls.items():
        base = "/api/v1" + template.split("{")[0]
        for suffix in suffixes:
            response = client.get(base + suffix)
            matches_description(document, template, response)
            seen.add((template, response.status_code))
    for template, path_item in document["paths"].items():
        for status in path_item["get"]["responses"].keys() - {"414"}:  # gunicorn's, not ours
            assert (template, int(status)) in seen, f"no test calls {template} for a {status}"


def test_the_description_documents_every_finder_parameter(client, taxonomy):
    documented = set(resource_list_parameters(openapi_document(client)))
    finder_parameters = set(FINDER_PARAMETERS) | {"audience", "characteristic"}
    assert documented == finder_parameters | {"page_size"}


def test_no_vocabulary_may_take_a_name_the_finder_the_api_or_the_embed_uses():
    # The finder's names are the list taxonomy keeps; the API adds page_size, the embed limit.
    own = {parameter.name for parameter in resource_parameters([])} | {LIMIT_PARAMETER}
    assert own <= set(RESERVED_VOCABULARY_SLUGS)


def valid_value(name, schema):
    """A value other than the empty one that every parameter also takes."""
    if schema.get("type") == "array":
        return schema["items"]["anyOf"][0]["enum"][-1]
    schema = schema["anyOf"][0]
    if "enum" in schema:
        return schema["enum"][-1]
    if schema["type"] == "integer":
        return str(schema["minimum"])
    return {"q": "race"}[name]


def test_every_documented_parameter_is_accepted_and_nothing_else(client, catalogue):
    document = openapi_document(client)
    for template in document["paths"]:
        if "{" in template:
            continue
        url = "/api/v1" + template
        documented = document["paths"][template]["get"].get("parameters", [])
        for parameter in documented:
            value = valid_value(parameter["name"], parameter["schema"])
            response = client.get(url, {parameter["name"]: value})
            assert response.status_code == 200, (url, parameter["name"], response.json())
            matches_description(document, template, response)
        names = {parameter["name"] for parameter in documented}
        for undocumented in ["format", "status", "utm_source", "fbclid", "page_size", "callback"]:
            if undocumented not in names:
                response = client.get(url, {undocumented: "1"})
                assert response.status_code == 400, (url, undocumented)


# The page for people --------------------------------------------------------------------------


def test_api_page_describes_the_api_and_is_linked_from_every_page(client, taxonomy):
    response = client.get(reverse("api-docs"))
    assertContains(response, "<h1>API for developers</h1>", html=True)
    assertContains(
        response, f'<a href="{reverse("api:openapi")}">{reverse("api:openapi")}</a>', html=True
    )
    for name in ["q", "audience", "characteristic", "kind", "year_from", "page_size"]:
        assertContains(response, f"<dt><code>{name}</code></dt>", html=True)
    assertContains(
        response,
        '<a href="/topics/characteristic/">The terms of protected characteristic</a>',
        html=True,
    )
    home = client.get(reverse("resources:home"))
    assertContains(home, '<a href="/api/">API for developers</a>', html=True)


def test_the_api_page_example_is_a_working_call(client, catalogue):
    content = client.get(reverse("api-docs")).content.decode()
    example = re.search(r'For example, <a href="([^"]+)"', content).group(1).replace("&amp;", "&")
    assert example == f"{RESOURCES}?q=health+equity+audit&audience=commissioners"
    assert client.get(example).status_code == 200


def test_finder_view_becomes_an_api_call_by_changing_the_path(client, catalogue):
    query = "q=" + quote("race audit") + "&audience=commissioners"
    assert slugs(client.get(f"{RESOURCES}?{query}")) == finder_slugs(client, query)


# What schemathesis once found the API and its description disagreeing on --------------------


def test_the_search_pattern_refuses_exactly_what_the_api_refuses(client, catalogue):
    pattern = resource_list_parameters(openapi_document(client))["q"]["schema"]["anyOf"][0][
        "pattern"
    ]
    for q in ["race\x00", "race\x1b[0m", "race\x7f", "race\ufffd", "a\tb"]:
        assert re.fullmatch(pattern, q) is None
        assert client.get(RESOURCES, {"q": q}).status_code == 400, q
    # What prints nothing but is not unreadable is dropped from a search, and allowed.
    for q in ["race\u200b", "race\U000f0000", "race\u00a0audit", "race\naudit"]:
        assert re.fullmatch(pattern, q)
        assert client.get(RESOURCES, {"q": q}).status_code == 200, q


def test_the_description_lists_the_publishers_and_an_unknown_one_is_refused(client, catalogue):
    make_organisation(name="Public Health England", slug="phe")
    publisher = resource_list_parameters(openapi_document(client))["publisher"]
    every_slug = sorted(Organisation.objects.values_list("slug", flat=True))
    assert publisher["schema"]["items"]["anyOf"][0]["enum"] == every_slug
    assert {"nice", "phe"} <= set(every_slug)
    assert client.get(RESOURCES, {"publisher": "phe"}).status_code == 200
    assert client.get(RESOURCES, {"publisher": "nobody"}).status_code == 400


def test_an_invisible_character_makes_a_choice_unknown_not_empty(client, catalogue):
    response = client.get(RESOURCES, {"sort": "\U000f0000", "kind": "tool\u200b"})
    assert response.status_code == 400
    assert [error["parameter"] for error in response.json()["errors"]] == ["kind", "sort"]


def test_the_description_says_year_from_after_year_to_is_refused(client, catalogue):
    year_from = resource_list_parameters(openapi_document(client))["year_from"]
    assert "a year_from after year_to is refused" in year_from["description"]
    bad_request = openapi_document(client)["paths"]["/resources/"]["get"]["responses"]["400"]
    assert "year_from after year_to" in bad_request["description"]
    assert client.get(RESOURCES, {"year_from": 2022, "year_to": 2010}).status_code == 400


def test_every_parameter_is_described_as_taking_an_empty_value(client, catalogue):
    """?characteristic= means leaving it out, as the description says."""
    for name, parameter in resource_list_parameters(openapi_document(client)).items():
        schema = parameter["schema"]
        alternatives = schema["items"] if schema.get("type") == "array" else schema
        assert {"const": ""} in alternatives["anyOf"], name
        assert client.get(RESOURCES, {name: ""}).status_code == 200, name


@pytest.mark.parametrize(
    "path", ["/api/v1/organisations/a%0Ab/", "/api/v1/a%0A/", "/api/v2/resources/", "/api/x%0A"]
)
def test_every_address_under_the_api_that_is_no_endpoint_is_a_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "There is no endpoint at" in response.json()["errors"][0]["message"]


def test_web_addresses_with_letters_beyond_ascii_are_written_as_uris(client):
    publisher = make_organisation(slug="cafe", website="https://café.example/")
    make_resource(slug="cafe-culture", url="https://example.org/café?q=équité", publisher=publisher)
    resource = client.get(reverse("api:resource", args=["cafe-culture"])).json()
    assert resource["web_address"] == "https://example.org/caf%C3%A9?q=%C3%A9quit%C3%A9"
    organisation = client.get(reverse("api:organisation", args=["cafe"])).json()
    assert organisation["website"] == "https://caf%C3%A9.example/"


def test_every_operation_documents_the_servers_414(client):
    for template, path_item in openapi_document(client)["paths"].items():
        assert "414" in path_item["get"]["responses"], template
