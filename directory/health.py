"""Health endpoints for a load balancer (docs/decisions/0016-failing-well.md).

`/health/live/` answers 200 while the process can answer at all; `/health/ready/` answers 200
when the database and the cache answer too, else 503 naming what failed. They are answered
here, first among the middleware: a probe needs no allowed Host header, is never redirected to
HTTPS, opens no session, is never cached, and a failing one is logged as one warning line, not
as a server error.
"""

import logging

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers

LIVE = "/health/live/"
READY = "/health/ready/"

logger = logging.getLogger(__name__)


def database_answers():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def cache_answers():
    cache.get("health:ready")


CHECKS = {"database": database_answers, "cache": cache_answers}


def readiness():
    """{check: "ok" or what went wrong} for every check."""
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:  # anything that stops a check means not ready
            results[name] = f"{type(error).__name__}: {' '.join(str(error).split())}"
        else:
            results[name] = "ok"
    return results


def health_checks(get_response):
    def middleware(request):
        if request.path == LIVE:
            response = JsonResponse({"status": "ok"})
        elif request.path == READY:
            checks = readiness()
            ready = all(result == "ok" for result in checks.values())
            response = JsonResponse(
                {"status": "ok" if ready else "unavailable", "checks": checks},
                status=200 if ready else 503,
            )
            if not ready:
                logger.warning("Not ready: %s", checks)
                response._has_been_logged = True
        else:
            return get_response(request)
        add_never_cache_headers(response)
        return response

    return middleware
