"""Exports stream from the first byte: the header goes before any row is read, then a piece a
chunk as the database gives them, in a fixed number of statements whatever the view's size. On
PostgreSQL the rows come from one statement and a CSV's lines are written by the database, to
the same bytes as the Python writers write."""

from datetime import date

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from resources import exports
from resources.exports import rows as export_rows
from resources.exports.csv_in_postgres import csv_line_chunks
from resources.exports.writers import FORMATS, Context
from resources.finder import Finder
from resources.models import ResourceAccess, ResourceKind
from taxonomy.models import vocabularies_with_terms
from tests.factories import make_organisation, make_resource, make_resources, make_term

pytestmark = pytest.mark.django_db

ON_POSTGRESQL = connection.vendor == "postgresql"
only_on_postgresql = pytest.mark.skipif(
    not ON_POSTGRESQL, reason="the database writes the rows on PostgreSQL only"
)


def export_url(extension):
    return reverse("resources:export", args=[extension])


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of 2 rows, then 3, so a handful of resources spans several chunks."""
    monkeypatch.setattr(export_rows, "FIRST_CHUNK_SIZE", 2)
    monkeypatch.setattr(export_rows, "CHUNK_SIZE", 3)


def test_csv_header_arrives_before_any_row_is_read(client, taxonomy):
    make_resources(5, terms=[taxonomy["race"]])
    with CaptureQueriesContext(connection) as queries:
        content = iter(client.get(export_url("csv")).streaming_content)
        header = next(content)
        statements_for_the_header = len(queries)
        rest = b"".join(content)
    assert header.decode().startswith("\ufeffTitle,Web address,")
    assert header.decode().count("\r\n") == 1
    # Vocabularies and their terms, nothing of the resources.
    assert statements_for_the_header == 2
    assert rest.decode().count("\r\n") == 5


# What ends each resource's record in each format.
RECORD_ENDS = {"csv": "\r\n", "ris": "ER  - ", "bib": "\n}\n"}


@pytest.mark.parametrize("extension", ["csv", "ris", "bib"])
def test_each_chunk_of_rows_is_sent_as_it_is_read(client, small_chunks, extension):
    make_resources(8)
    content = client.get(export_url(extension)).streaming_content
    pieces = [piece.decode() for piece in content]
    if extension == "csv":
        pieces = pieces[1:]  # after the header
    # 2 first, so the first rows reach the client soon, then 3 at a time.
    assert [piece.count(RECORD_ENDS[extension]) for piece in pieces] == [2, 3, 3]


@pytest.mark.parametrize("count", [3, 30])
@pytest.mark.parametrize("extension", ["csv", "ris", "bib"])
@only_on_postgresql
def test_statements_stay_flat_over_many_chunks(
    client, django_assert_num_queries, small_chunks, taxonomy, extension, count
):
    make_resources(count, terms=[taxonomy["race"]], keywords=["HEAT"])
    # Vocabularies and their terms; then, in a savepoint, JIT off and the one statement
    # (a cursor, fetched a chunk at a time).
    with django_assert_num_queries(6):
        text = b"".join(client.get(export_url(extension)).streaming_content).decode()
    assert text.count(RECORD_ENDS[extension]) == count + (extension == "csv")


@pytest.fixture
def awkward(taxonomy):
    """Resources with every value the CSV rules treat specially."""
    topic = make_term(name="Équité", slug="equite", position=0).vocabulary
    make_term(vocabulary=topic, name="zeta", slug="zeta", position=0)
    make_term(vocabulary=topic, name="Alpha", slug="alpha", position=5)
    terms = [*taxonomy.values(), *topic.terms.all()]
    values = [
        {"title": '=HYPERLINK("x")', "summary": "-2+3, with a comma"},
        {"title": "+cmd", "summary": 'He said "no"\r\nthen left\nagain\r'},
        {"title": "@SUM(1)", "summary": "\tTabbed", "url": ""},
        {"title": "\rReturn", "summary": "", "year_published": 2021},
        {
            "title": "Plain, with comma",
            "authors": "Marmot, Michael\r\n\n  Allen, Jessica \u2028X\xa0",
        },
        {"title": "Árvore “quoted”", "authors": "\v\f\x1c one \x85two\u2029", "publisher": None},
        {"title": "Kinds", "kind": ResourceKind.DATA_TOOL, "access": ResourceAccess.NHS_LOGIN},
        {"title": "No access", "access": "", "year_published": None},
    ]
    keywords = [["éclair", "Zebra", "apple", "Éclat"], ["-minus", "=eq"], [], ["b, c", 'q"uote']]
    publisher = make_organisation(name='Org, "quoted"\nname')
    for number, fields in enumerate(values):
        make_resource(
            publisher=fields.pop("publisher", publisher),
            terms=terms[number % 3 :: 2],
            keywords=keywords[number % len(keywords)],
            **fields,
        )


def finder_and_context(query=""):
    finder = Finder(QueryDict(query), vocabularies_with_terms())
    context = Context(RequestFactory().get("/"), finder.vocabularies, date(2026, 12, 1))
    return finder, context


@only_on_postgresql
@pytest.mark.parametrize("query", ["", "sort=newest", "characteristic=race"])
def test_csv_written_by_the_database_is_what_python_writes(awkward, query):
    finder, context = finder_and_context(query)
    rows = export_rows.rows_in_chunks(finder.results(), finder.vocabularies)
    by_python = "".join(
        line for chunk in rows for line in FORMATS["csv"].write_rows(chunk, context)
    )
    by_database = "".join(csv_line_chunks(finder.results(), context))
    assert by_database == by_python
    assert by_python.count("\r\n") > 3


@only_on_postgresql
@pytest.mark.parametrize("extension", ["ris", "bib"])
def test_rows_from_one_statement_are_the_rows_read_in_chunks(awkward, extension):
    finder, context = finder_and_context()
    write = FORMATS[extension].write_rows
    in_chunks = export_rows.rows_in_chunks(finder.results(), finder.vocabularies)
    one_statement = export_rows.rows_from_one_statement(finder.results(), finder.vocabularies)
    by_chunks = "".join(line for chunk in in_chunks for line in write(chunk, context))
    by_statement = "".join(line for chunk in one_statement for line in write(chunk, context))
    assert by_statement == by_chunks
    assert by_chunks.count("Kinds") == 1


def test_the_whole_file_is_the_same_whichever_way_it_is_read(client, awkward, small_chunks):
    """The streamed export is the Python writers' output (on PostgreSQL, the database's)."""
    finder, context = finder_and_context()
    context.today = date.today()
    rows = exports.exportable(finder.results(), finder.vocabularies)
    expected = "".join(FORMATS["csv"].write(list(rows), context))
    streamed = b"".join(client.get(export_url("csv")).streaming_content).decode()
    assert streamed == expected


@pytest.mark.parametrize(
    "query",
    [
        "q=a%00b",
        "characteristic=%00",
        "publisher=%00",
        "sort=%00",
        "year_from=99999999999999999999",
        "kind=%FF",
        "q=%ED%A0%80",
        "page=-1&limit=x",
    ],
)
def test_bad_values_never_break_an_export(client, taxonomy, query):
    make_resources(3, terms=[taxonomy["race"]])
    response = client.get(export_url("csv") + "?" + query)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    assert text.startswith("\ufeffTitle,")


@pytest.mark.parametrize("extension", ["csv", "ris"])
def test_a_download_abandoned_midway_leaves_the_connection_usable(small_chunks, extension):
    make_resources(8)
    finder, context = finder_and_context()
    before = list(connection.savepoint_ids)
    pieces = exports.pieces(FORMATS[extension], finder.results(), finder.vocabularies, context)
    next(pieces), next(pieces)
    pieces.close()  # what closing the response does when the client goes away
    assert connection.savepoint_ids == before
    assert not connection.needs_rollback
    assert len("".join(pieces_of_a_new_export(extension))) > 0


def pieces_of_a_new_export(extension):
    finder, context = finder_and_context()
    return exports.pieces(FORMATS[extension], finder.results(), finder.vocabularies, context)
