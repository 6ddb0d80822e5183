"""Measure the public pages against a big catalogue on PostgreSQL, through gunicorn.

    .venv/bin/python scripts/bench.py [--resources 100000] [--requests 60]
        [--database-url postgres://postgres@127.0.0.1:5432/bench] [--scenario NAME] [--explain]

Creates the database if it is missing, migrates it, loads the shipped catalogue and tops it up
with synthetic resources (manage.py generate_catalogue) until it holds --resources, so a second
run starts measuring at once. Then it serves the app as production would (gunicorn, debug off,
hashed static files) on a free loopback port, and times sequential requests per scenario.
Not a test: nothing fails, it reports.
"""

# ruff: noqa: T201  (a command-line report: printing is its job)

import argparse
import math
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench"
WARM_UP = 5
START_TIMEOUT = 30

# Filters the scenarios would like to use; any that do not exist are swapped for the most used
# term of the same vocabulary.
PREFERRED_TERMS = {
    "audience": "commissioners",
    "characteristic": "race",
    "topic": "covid-19",
}
SEARCH_FILTER_AUDIENCE = "frontline-professionals"

SCENARIO_NAMES = [
    "home",
    "finder",
    "finder-one-term",
    "finder-filters",
    "finder-search",
    "search-filters",
    "resource",
    "largest-audience",
    "topics-audience",
    "csv-5000",
]


def main():
    options = parse_arguments()
    os.environ["DATABASE_URL"] = options.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "directory.settings")
    sys.path.insert(0, str(ROOT))

    create_database(options.database_url)
    prepare_catalogue(options.resources)
    scenarios = build_scenarios()
    if options.scenario:
        scenarios = {options.scenario: scenarios[options.scenario]}

    port = free_port()
    server = start_gunicorn(options.database_url, port, cold=options.cold)
    try:
        wait_until_answering(server, port)
        results = {}
        for name, path in scenarios.items():
            results[name] = run_scenario(port, path, options.requests)
            print(f"  {name}: done", flush=True)
    finally:
        stop(server)

    print_table(scenarios, results, options)
    if options.explain:
        print_explain_reminder(scenarios, results, options.database_url)


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--resources",
        type=int,
        default=100_000,
        help="Resources the database should hold, shipped ones included (default 100000).",
    )
    parser.add_argument(
        "--requests",
        type=int,
        default=60,
        help="Timed requests per scenario, after 5 warm-up ones (default 60).",
    )
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE_URL,
        help=f"PostgreSQL database to use, created if missing (default {DEFAULT_DATABASE_URL}).",
    )
    parser.add_argument(
        "--scenario",
        choices=SCENARIO_NAMES,
        help="Run only this scenario.",
    )
    parser.add_argument(
        "--cold",
        action="store_true",
        help="Serve with caching switched off (CACHE_URL=dummy://): every request computes.",
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="Say how to get the query plan of the slowest scenario.",
    )
    options = parser.parse_args()
    if urlsplit(options.database_url).scheme not in {"postgres", "postgresql"}:
        parser.error("--database-url must be a postgres:// address.")
    if options.requests < 1:
        parser.error("--requests must be at least 1.")
    return options


def create_database(database_url):
    import psycopg
    from psycopg import sql

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    if not name:
        sys.exit("The database URL names no database.")
    maintenance = parts._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"Created database {name}.")


def prepare_catalogue(target):
    import django
    from django.core.management import call_command

    django.setup()
    from django.db import connections

    from resources.models import Resource

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_catalogue")
    held = Resource.objects.count()
    if held < target:
        print(f"The database holds {held:,} resources; adding {target - held:,}.")
        started = time.perf_counter()
        call_command("generate_catalogue", resources=target - held)
        print(f"Generated in {time.perf_counter() - started:.1f} s.")
    else:
        print(f"The database already holds {held:,} resources.")
    # The site runs with debug off, so it needs the hashed static files and their manifest.
    call_command("collectstatic", interactive=False, verbosity=0)
    connections.close_all()


def build_scenarios():
    from django.db import connections
    from django.db.models import Count, F
    from django.db.models.functions import Abs
    from django.http import QueryDict

    from resources.finder import Finder
    from resources.models import Resource
    from taxonomy.models import Term, Vocabulary

    vocabularies = list(Vocabulary.objects.prefetch_related("terms"))

    def canonical(params):
        """The finder's own form of a view, so the bench never times a redirect."""
        return "/resources/?" + Finder(QueryDict(urlencode(params)), vocabularies).query_string()

    def term(vocabulary, preferred):
        terms = Term.objects.filter(vocabulary__slug=vocabulary)
        if terms.filter(slug=preferred).exists():
            return preferred
        busiest = terms.annotate(uses=Count("resources")).order_by("-uses").first()
        return busiest.slug if busiest else preferred

    filters = {vocabulary: term(vocabulary, slug) for vocabulary, slug in PREFERRED_TERMS.items()}
    audience = term("audience", SEARCH_FILTER_AUDIENCE)
    largest = largest_term("audience", vocabularies)
    resource = Resource.objects.published().order_by("pk").first()
    slug = resource.slug if resource else "no-published-resource"
    # The 5,000-row CSV: the view of the term whose resources are nearest that number.
    near_5000 = (
        Term.objects.annotate(uses=Count("resources"))
        .order_by(Abs(F("uses") - 5000))
        .values_list("vocabulary__slug", "slug")
        .first()
    )
    connections.close_all()
    return {
        "home": "/",
        "finder": "/resources/",
        # What a term on the home page links to: one audience term, a view of thousands.
        "finder-one-term": canonical({"audience": filters["audience"]}),
        "finder-filters": canonical(filters),
        "finder-search": "/resources/?q=health+equity+audit",
        "search-filters": canonical(
            {"q": "health inequalities", "audience": audience, "kind": "guidance"}
        ),
        "resource": f"/resources/{slug}/",
        # The biggest view a home-page link can give: the audience term with most resources,
        # its narrower terms included (issue 16).
        "largest-audience": canonical({"audience": largest}),
        "topics-audience": "/topics/audience/",
        "csv-5000": "/resources/export.csv?" + urlencode([near_5000] if near_5000 else []),
    }


def largest_term(vocabulary_slug, vocabularies):
    """The slug of the term of `vocabulary_slug` whose view is biggest: most published resources
    tagged with it or with a term narrower than it."""
    from django.db.models import Count, Q

    from resources.models import Resource
    from taxonomy.models import narrower_sets

    vocabulary = next(item for item in vocabularies if item.slug == vocabulary_slug)
    terms = list(vocabulary.terms.all())
    published = Resource.objects.published()
    sizes = published.aggregate(
        **{
            str(pk): Count("pk", distinct=True, filter=Q(terms__in=ids))
            for pk, ids in narrower_sets(terms).items()
        }
    )
    busiest = max(terms, key=lambda term: sizes[str(term.pk)])
    return busiest.slug


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(database_url, port, *, cold=False):
    environment = os.environ | {
        **({"CACHE_URL": "dummy://"} if cold else {}),
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        # Errors still show; a "Not Found" line per 404 would bury the report.
        "DJANGO_LOG_LEVEL": os.environ.get("DJANGO_LOG_LEVEL", "ERROR"),
    }
    command = [
        str(BIN / "gunicorn"),
        "directory.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "1",
        "--log-level",
        "warning",
    ]
    print(f"Starting gunicorn on 127.0.0.1:{port}.", flush=True)
    return subprocess.Popen(command, cwd=ROOT, env=environment)


def wait_until_answering(server, port):
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped with exit code {server.returncode}.")
        try:
            fetch(port, "/")
            return
        except OSError:
            time.sleep(0.2)
    stop(server)
    sys.exit(f"gunicorn did not answer within {START_TIMEOUT} s.")


def fetch(port, path):
    """Fetch the page and read all of it; returns the status code (errors are answers too)."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        error.read()
        return error.code


def run_scenario(port, path, requests):
    for _ in range(WARM_UP):
        fetch(port, path)
    timings, statuses = [], Counter()
    for _ in range(requests):
        started = time.perf_counter()
        statuses[fetch(port, path)] += 1
        timings.append((time.perf_counter() - started) * 1000)
    return {"timings": sorted(timings), "statuses": statuses}


def percentile(ordered, share):
    """Nearest-rank percentile of an ascending list."""
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def print_table(scenarios, results, options):
    print()
    print(
        f"{options.requests} sequential requests per scenario, after {WARM_UP} warm-up; "
        f"database {urlsplit(options.database_url).path.lstrip('/')}."
    )
    header = f"{'scenario':<16} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  status codes"
    print(header)
    print("-" * len(header))
    for name, result in results.items():
        timings = result["timings"]
        statuses = ", ".join(
            f"{code}×{count}" for code, count in sorted(result["statuses"].items())
        )
        print(
            f"{name:<16} {percentile(timings, 0.5):>8.1f} {percentile(timings, 0.95):>8.1f} "
            f"{timings[-1]:>8.1f}  {statuses}"
        )
    print()
    for name, path in scenarios.items():
        print(f"  {name:<16} {path}")


def print_explain_reminder(scenarios, results, database_url):
    slowest = max(results, key=lambda name: percentile(results[name]["timings"], 0.95))
    print()
    print(f"Slowest scenario at p95: {slowest} ({scenarios[slowest]}).")
    print("To see its query plan, build the same queryset the view builds and explain it:")
    print(f"  DATABASE_URL={database_url} {BIN / 'python'} manage.py shell")
    print("  >>> print(queryset.explain(analyze=True, buffers=True))")
    print(
        "or log the SQL (DJANGO_LOG_LEVEL=DEBUG with DJANGO_DEBUG=1 logs django.db.backends) "
        "and run EXPLAIN (ANALYZE, BUFFERS) on the slow statement in psql."
    )


def stop(server):
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


if __name__ == "__main__":
    main()
