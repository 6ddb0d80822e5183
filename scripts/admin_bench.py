"""Time the librarians' admin pages against a big catalogue, nothing cached.

    .venv/bin/python scripts/admin_bench.py --database-url postgres://postgres@127.0.0.1:5432/bench
        [--requests 10] [--page NAME] [--explain]

Runs in process through Django's test client, signed in as a superuser (admin-bench, created in
that database if missing), with the dummy cache: every request counts from scratch, except what
is kept in the database per catalogue version (resources.caching.kept), which it keeps first,
as a bulk load does, and says so. For each page it prints the status, the statements, and p50/p95
of --requests timed requests after one untimed. Not a test: nothing fails, it reports.
"""

# ruff: noqa: T201  (a command-line report: printing is its job)

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench"
USERNAME = "admin-bench"


def main():
    options = parse_arguments()
    os.environ["DATABASE_URL"] = options.database_url
    os.environ["CACHE_URL"] = "dummy://"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "directory.settings")
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()

    from django.conf import settings

    # Plain static files, as the tests use: no collectstatic needed for the admin's pages.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

    from django.contrib.auth import get_user_model
    from django.test import Client

    from resources.finder.catalogue_counts import keep_catalogue_counts
    from resources.models import Resource

    user, _ = get_user_model().objects.get_or_create(
        username=USERNAME, defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    started = time.perf_counter()
    keep_catalogue_counts()
    try:  # kept since issue 16; a checkout from before it counts coverage on every visit
        from resources.curation.coverage import keep_coverage
    except ImportError:
        pass
    else:
        keep_coverage()
    print(f"kept counts computed first: {time.perf_counter() - started:.2f} s")
    resource = Resource.objects.order_by("-pk").values_list("pk", flat=True).first()
    print(f"{Resource.objects.count():,} resources; change form of resource {resource}")

    pages = {
        "changelist": "/admin/resources/resource/",
        "changelist-search": "/admin/resources/resource/?q=health",
        "changelist-acronym": "/admin/resources/resource/?q=BAME",
        "changelist-drafts": "/admin/resources/resource/?status__exact=draft",
        "changelist-page-20": "/admin/resources/resource/?p=20",
        "change-form": f"/admin/resources/resource/{resource}/change/",
        "coverage": "/admin/resources/resource/coverage/",
        "term-list": "/admin/taxonomy/term/",
    }
    print(f"{'page':<22}{'status':>7}{'stmts':>7}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    for name, url in pages.items():
        if options.page and name not in options.page:
            continue
        measure(client, name, url, options)


def measure(client, name, url, options):
    from django.db import connection

    statements = []

    def record(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements.append((time.perf_counter() - started, sql))

    with connection.execute_wrapper(record):
        response = client.get(url)
    times = []
    for _ in range(options.requests):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(
        f"{name:<22}{response.status_code:>7}{len(statements):>7}"
        f"{statistics.median(times):>9.0f}{p95:>9.0f}{times[-1]:>9.0f}"
    )
    if options.explain:
        for seconds, sql in sorted(statements, reverse=True)[:3]:
            print(f"    {seconds * 1000:.0f} ms  {sql[:400]}")


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--page", action="append", help="only this page (repeatable)")
    parser.add_argument("--explain", action="store_true", help="print the 3 slowest statements")
    return parser.parse_args()


if __name__ == "__main__":
    main()
