"""Requests per second under load for the public pages, as a share of a static file's rate.

    .venv/bin/python scripts/throughput.py [--connections 16,32] [--duration 20]
        [--database-url postgres://postgres@127.0.0.1:5432/throughput]
        [--cache-url redis://127.0.0.1:6379/9] [--workers 3] [--threads 4]
        [--resources 0] [--checkout PATH] [--scenario NAME …] [--page-cache on,off]

Serves the app as the README's deployment section does (gunicorn gthread workers, debug off,
PostgreSQL, Redis as the shared cache) on a free loopback port and drives each page with wrk
(Debian's `wrk`) at each number of connections, asking for gzip as browsers do. The stylesheet
is measured in the same run, so each page's rate reads as a share of what the same server does
for a static file. The Redis database given is flushed first. `--page-cache off` measures with
the whole-page cache off (DJANGO_PAGE_CACHE=0), as a page is on its first view after a change;
`--checkout` serves another copy of the code (an older commit) for before/after pairs.
Load averages are printed before and after each run. Not a test: nothing fails, it reports.
"""

# ruff: noqa: T201  (a command-line report: printing is its job)

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import bench

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/throughput"
DEFAULT_CACHE_URL = "redis://127.0.0.1:6379/9"
SCENARIOS = ["static", "home", "finder", "finder-filters", "finder-search", "resource", "api"]


def main():
    options = parse_arguments()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    os.environ["DATABASE_URL"] = options.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "directory.settings")
    sys.path.insert(0, str(options.checkout))
    bench.create_database(options.database_url)
    bench.prepare_catalogue(options.resources)
    paths = scenarios()
    chosen = options.scenario or SCENARIOS
    print(f"Code: {options.checkout} at {commit(options.checkout)}")
    print(
        f"gunicorn: {options.workers} gthread workers x {options.threads} threads; "
        f"cache {options.cache_url}; wrk asks for gzip."
    )
    for page_cache in options.page_cache:
        flush(options.cache_url)
        port = bench.free_port()
        server = start_gunicorn(options, port, page_cache=page_cache)
        try:
            bench.wait_until_answering(server, port)
            for connections in options.connections:
                print(
                    f"\nPage cache {page_cache}, {connections} connections, {options.duration} s each"
                )
                print(f"load average before: {load_average()}")
                rows = []
                for name in chosen:
                    url = f"http://127.0.0.1:{port}{paths[name]}"
                    run_wrk(url, connections=2, duration=2)  # warm: first views fill the caches
                    rows.append((name, paths[name], run_wrk(url, connections, options.duration)))
                print(f"load average after: {load_average()}")
                print_table(rows)
        finally:
            bench.stop(server)


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", default="16,32", type=numbers)
    parser.add_argument("--duration", type=int, default=20, help="seconds per page")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--cache-url", default=DEFAULT_CACHE_URL)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--resources", type=int, default=0, help="top the catalogue up to this")
    parser.add_argument("--checkout", type=Path, default=ROOT)
    parser.add_argument("--scenario", action="append", choices=SCENARIOS)
    parser.add_argument("--page-cache", default="on", type=lambda raw: raw.split(","))
    return parser.parse_args()


def numbers(raw):
    return [int(part) for part in raw.split(",")]


def scenarios():
    from django.contrib.staticfiles.storage import staticfiles_storage

    paths = bench.build_scenarios()
    return {
        "static": staticfiles_storage.url("css/site.css"),
        "home": paths["home"],
        "finder": paths["finder"],
        "finder-filters": paths["finder-filters"],
        "finder-search": paths["finder-search"],
        "resource": paths["resource"],
        "api": "/api/v1/resources/?q=health+equity",
    }


def commit(checkout):
    return subprocess.run(
        ["git", "-C", str(checkout), "log", "-1", "--format=%h %s"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()[:90]


def flush(cache_url):
    import redis

    redis.Redis.from_url(cache_url).flushdb()


def start_gunicorn(options, port, *, page_cache):
    environment = os.environ | {
        "DATABASE_URL": options.database_url,
        "CACHE_URL": options.cache_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "throughput-measurement-only-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_PAGE_CACHE": "1" if page_cache == "on" else "0",
        "DJANGO_LOG_LEVEL": "ERROR",
    }
    command = [
        str(BIN / "gunicorn"),
        "directory.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--worker-class",
        "gthread",
        "--workers",
        str(options.workers),
        "--threads",
        str(options.threads),
        "--log-level",
        "warning",
    ]
    return subprocess.Popen(command, cwd=options.checkout, env=environment)


def run_wrk(url, connections, duration):
    command = [
        "wrk",
        f"--threads={min(2, connections)}",
        f"--connections={connections}",
        f"--duration={duration}s",
        "--timeout=10s",
        "--latency",
        "--header=Accept-Encoding: gzip",
        url,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return parse_wrk(output)


def parse_wrk(output):
    def found(pattern, default="0"):
        match = re.search(pattern, output, re.MULTILINE)
        return match.group(1) if match else default

    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return {
        "rate": float(found(r"Requests/sec:\s+([\d.]+)")),
        "p50": found(r"^\s+50%\s+(\S+)", "?"),
        "p99": found(r"^\s+99%\s+(\S+)", "?"),
        "requests": int(found(r"(\d+) requests in")),
        "non_2xx": int(found(r"Non-2xx or 3xx responses: (\d+)")),
        "socket_errors": sum(int(n) for n in socket_errors.groups()) if socket_errors else 0,
    }


def load_average():
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def print_table(rows):
    static_rate = next((result["rate"] for name, _, result in rows if name == "static"), None)
    print("| page | requests/s | share of static | p50 | p99 | requests | errors |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, _, result in rows:
        share = f"{result['rate'] / static_rate:.0%}" if static_rate else "-"
        errors = result["non_2xx"] + result["socket_errors"]
        print(
            f"| {name} | {result['rate']:,.0f} | {share} | {result['p50']} | {result['p99']} "
            f"| {result['requests']:,} | {errors} |"
        )


if __name__ == "__main__":
    main()
