"""Failing well (docs/decisions/0016-failing-well.md): when the database is away a visitor gets
a 503 page with Retry-After within seconds, and the site recovers on its own once it is back."""

import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import httpx
import psycopg
import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

from directory.errors import RETRY_AFTER_SECONDS
from directory.settings import cache_settings

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the outage is PostgreSQL's"
)


@pytest.fixture
def database_away(monkeypatch):
    """Every attempt to reach the database fails as a refused connection does."""

    def refuse(self):
        raise OperationalError("connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)


@pytest.fixture
def visitor():
    return Client(raise_request_exception=False)


@pytest.mark.django_db
def test_a_page_without_its_database_is_a_styled_503_that_says_when_to_try_again(
    visitor, database_away
):
    response = visitor.get("/resources/?q=equity")
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "<h1>The directory is unavailable for a moment</h1>" in page
    assert "css/site.css" in page  # the site's own look, not a bare error


@pytest.mark.django_db
def test_the_api_without_its_database_is_a_json_503(visitor, database_away):
    response = visitor.get("/api/v1/resources/")
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json()["errors"][0]["message"].startswith("The directory cannot reach")


@pytest.mark.django_db
def test_an_outage_is_logged_in_one_line_without_a_traceback(visitor, database_away, caplog):
    visitor.get("/organisations/")
    errors = [record for record in caplog.records if record.levelname == "ERROR"]
    assert [record.getMessage() for record in errors] == [
        "Database unavailable, answered 503: GET /organisations/: connection refused"
    ]
    assert errors[0].exc_info is None


@pytest.mark.django_db
def test_any_other_fault_is_still_a_500(visitor, monkeypatch):
    def broken(*args):
        raise ValueError("a bug")

    monkeypatch.setattr("resources.views.catalogue.vocabularies_with_terms", broken)
    response = visitor.get("/")
    assert response.status_code == 500
    assert "Retry-After" not in response


def database_name():
    return connection.settings_dict["NAME"]


def maintenance(sql, *params):
    """Run `sql` on the server's own `postgres` database, as the superuser the tests use."""
    dsn = {**connection.get_connection_params(), "dbname": "postgres"}
    dsn.pop("options", None)
    dsn.pop("cursor_factory", None)
    with psycopg.connect(**dsn, autocommit=True) as admin:
        admin.execute(sql, params)


@contextmanager
def refusing_connections():
    """The test's own database refuses new connections and drops those it has, as a database
    that went away does; then it is back."""
    name = database_name()
    maintenance(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
    try:
        maintenance(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", name
        )
        yield
    finally:
        maintenance(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        connection.close()  # this thread's connection was dropped too


# One client for every request: making one per request (an SSL context each) costs this process,
# which is also the server's, more time than the server takes to answer.
http = httpx.Client(timeout=60)


def timed_get(url):
    started = time.monotonic()
    response = http.get(url)
    return response, time.monotonic() - started


@on_postgresql
def test_while_postgresql_is_away_visitors_get_a_503_within_seconds_and_then_the_site_again(
    live_server, transactional_db
):
    home, api = f"{live_server.url}/", f"{live_server.url}/api/v1/resources/"
    assert http.get(home).status_code == 200

    with refusing_connections():
        page, page_waited = timed_get(home)
        answer, answer_waited = timed_get(api)
        ready = http.get(f"{live_server.url}/health/ready/")
        with ThreadPoolExecutor(max_workers=6) as visitors:  # six at once, none waits longer
            crowd = list(visitors.map(timed_get, [home, api] * 3))

    assert (page.status_code, answer.status_code, ready.status_code) == (503, 503, 503)
    assert page.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "The directory is unavailable for a moment" in page.text
    assert answer.json()["errors"]
    assert page_waited < 3.5, page_waited
    assert answer_waited < 3.5, answer_waited
    assert [response.status_code for response, _ in crowd] == [503] * 6
    assert max(waited for _, waited in crowd) < 3.5, crowd

    # Back: the next visitor gets the page, with no restart and no 500 for a dead connection.
    page, waited = timed_get(home)
    assert page.status_code == 200
    assert waited < 3.5, waited
    assert http.get(api).status_code == 200
    assert http.get(f"{live_server.url}/health/ready/").status_code == 200


def run_django(statement, **environment):
    """Run `statement` on the database in a fresh process with this test's database settings and
    `environment`; what it raised and how long it took, timed inside that process so that
    starting Python and Django under load does not count."""
    program = (
        "import time, django; django.setup(); from django.db import connection\n"
        "started = time.monotonic()\n"
        f"try:\n    {statement}\n"
        "except Exception as error:\n    print(type(error).__name__, error)\n"
        "print(time.monotonic() - started)\n"
    )
    environment = {
        "DATABASE_URL": settings.DATABASE_URL,
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "directory.settings",
        **environment,
    }
    result = subprocess.run(
        [sys.executable, "-c", program],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    *raised, waited = result.stdout.splitlines()
    return " ".join(raised), float(waited)


@pytest.fixture
def silent_server():
    """A server that accepts connections and never answers: a database host that hangs."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted = []

    def accept():
        while True:
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    yield listener.getsockname()[1]
    listener.close()
    for peer in accepted:
        peer.close()


@pytest.mark.parametrize("pool", ["0", "1"])
def test_a_database_that_never_answers_fails_within_the_connect_timeout(silent_server, pool):
    raised, waited = run_django(
        "connection.ensure_connection()",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{silent_server}/directory",
        DATABASE_POOL=pool,
        DATABASE_CONNECT_TIMEOUT="1",
        DATABASE_POOL_TIMEOUT="1",
    )
    assert raised.startswith("OperationalError")
    assert waited < 2.5, waited


@on_postgresql
@pytest.mark.django_db
def test_a_statement_past_the_statement_timeout_is_cancelled():
    url = settings.DATABASE_URL.rsplit("/", 1)[0] + f"/{database_name()}"
    raised, waited = run_django(
        "connection.cursor().execute('SELECT pg_sleep(20)')",
        DATABASE_URL=url,
        DATABASE_STATEMENT_TIMEOUT="1",
    )
    assert "canceling statement due to statement timeout" in raised
    assert waited < 2.5, waited


@pytest.mark.django_db
def test_a_cache_that_never_answers_is_a_503_within_seconds(visitor, settings, silent_server):
    settings.CACHES = {"default": cache_settings(f"redis://127.0.0.1:{silent_server}/0")}
    started = time.monotonic()
    response = visitor.get("/")
    waited = time.monotonic() - started
    assert response.status_code == 503
    assert "The directory is unavailable for a moment" in response.content.decode()
    assert waited < 2.5, waited
