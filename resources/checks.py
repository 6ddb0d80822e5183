"""Checks for running on several processes (docs/decisions/0018-several-servers.md).

`manage.py check --deploy` runs them with the worker count in WEB_CONCURRENCY (gunicorn's own
variable for its default); gunicorn.conf.py logs the same warning at start-up with the count
gunicorn was actually given, which no management command can know.
"""

import os

from django.conf import settings
from django.core import checks

PER_PROCESS_CACHE = "django.core.cache.backends.locmem.LocMemCache"


def per_process_cache_warnings(workers):
    """A warning if a production start runs several workers, each with a cache of its own."""
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.DEBUG or workers < 2 or backend != PER_PROCESS_CACHE:
        return []
    return [
        checks.Warning(
            f"{workers} worker processes each keep a cache of their own (no CACHE_URL).",
            hint=(
                "Set CACHE_URL=redis://host:6379/0 so that every worker and server shares one "
                "cache. The catalogue's version, the suggestion limit and sessions are in the "
                "database, so the workers still agree, but each one counts the catalogue again "
                "after every change and keeps its own copy of every count."
            ),
            id="resources.W001",
        )
    ]


def workers_from_environment():
    try:
        return int(os.environ.get("WEB_CONCURRENCY", "1"))
    except ValueError:
        return 1


@checks.register(checks.Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    return per_process_cache_warnings(workers_from_environment())
