"""The API keeps the contract of its own OpenAPI description: schemathesis reads
/api/v1/openapi.json from the app and sends each operation requests generated from it (valid
ones, which must be answered 2xx or a documented 404, and invalid ones, which must be refused),
checking every answer's status, content type and body against the description. Bounded, so it
runs in CI on every change; each mismatch it once found has a plain test in test_api.py."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from tests.factories import make_organisation, make_resource

pytestmark = pytest.mark.django_db

EXAMPLES = 30  # for each operation and mode: about 30 s in all on SQLite


@pytest.fixture
def api_schema(taxonomy):
    """The description of a small catalogue: its vocabularies and publishers are what the
    description's enumerations list."""
    nice = make_organisation(name="NICE", slug="nice")
    make_organisation(name="Public Health England", slug="phe")
    make_resource(
        title="Race audit for commissioners",
        terms=[taxonomy["race"], taxonomy["commissioners"]],
        publisher=nice,
        year_published=2021,
        url="https://www.nice.org.uk/race-audit",
    )
    make_resource(title="Audit of oral health", kind="tool", year_published=2016)
    # As Django's test client does: requests made in the test's own transaction must not close
    # its connection (with PostgreSQL's pool, closing it inside the transaction fails).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def years_in_order(case):
    """The one rule the description states in words alone (OpenAPI cannot relate two
    parameters): year_from after year_to is refused, so valid examples keep them in order."""
    query = case.query or {}
    years = [str(query.get(name, "")) for name in ("year_from", "year_to")]
    return not all(year.isdigit() for year in years) or int(years[0]) <= int(years[1])


def fits_a_query_string(case):
    """A query string holds text, so a value nested in a list or an object is not sent at all:
    a case made invalid only by one would reach the app as a valid request."""
    for value in (case.query or {}).values():
        items = value if isinstance(value, list) else [value]
        if any(isinstance(item, (list, dict)) for item in items):
            return False
    return True


def lists_given_as_lists(operation):
    """A query string cannot tell a one-item list from a single value: `access=x` is both. A
    case made invalid only by giving a list parameter a single value (`access=` where the
    description wants an array) reaches the app as a valid one-item list, so it is not sent;
    the values themselves are still broken in other cases. Which cases those are depends on the
    description's enumerations, so on which publishers earlier tests left numbered."""
    lists = {
        parameter.name
        for parameter in operation.query
        if parameter.definition["schema"].get("type") == "array"
    }

    def given_as_lists(case):
        query = case.query or {}
        return all(isinstance(query[name], list) for name in lists if name in query)

    return given_as_lists


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_answer_matches_the_description(api_schema, mode):
    """Each operation in turn, with examples generated from the description: valid ones
    (positive) and ones that break it (negative)."""
    for result in api_schema.get_all_operations():
        operation = result.ok()
        if mode.is_negative and not (operation.query or operation.path_parameters):
            continue  # nothing to break in a request without parameters
        strategy = operation.as_strategy(generation_mode=mode)
        strategy = strategy.filter(years_in_order).filter(fits_a_query_string)
        strategy = strategy.filter(lists_given_as_lists(operation))

        @given(case=strategy)
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def answers_match(case):
            # The WSGI client does not undo gzip, which a browser's Accept-Encoding gets.
            case.call_and_validate(headers={"Accept-Encoding": "identity"})

        answers_match()
