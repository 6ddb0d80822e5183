"""What a visitor gets when the database or the shared cache cannot be reached: within seconds,
a 503 page (JSON under /api/) that says to try again, with Retry-After, instead of a 500
(docs/decisions/0016-failing-well.md)."""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.defaults import server_error as default_server_error
from redis.exceptions import ConnectionError as CacheConnectionError
from redis.exceptions import TimeoutError as CacheTimeoutError

from resources.api.responses import error_response
from resources.finder import Problem

RETRY_AFTER_SECONDS = 30
MESSAGE = "The directory cannot reach its catalogue just now. Please try again in a minute."

logger = logging.getLogger(__name__)


def server_error(request):
    """The site's handler500: a database that is away, refusing or stuck (a connection refused,
    dropped or timed out, a statement past DATABASE_STATEMENT_TIMEOUT), or a Redis cache that
    does not answer, is a 503; anything else is the usual 500 page."""
    error = sys.exception()
    if isinstance(error, OperationalError | InterfaceError):
        return unavailable(request, "Database", error)
    if isinstance(error, CacheConnectionError | CacheTimeoutError):
        return unavailable(request, "Cache", error)
    return default_server_error(request)


def unavailable(request, what, error):
    logger.error(
        "%s unavailable, answered 503: %s %s: %s",
        what,
        request.method,
        request.path,
        " ".join(str(error).split()),
    )
    if request.path.startswith(reverse("api-docs")):
        response = error_response(503, [Problem(None, None, MESSAGE)])
        response["Access-Control-Allow-Origin"] = "*"
    else:
        # Rendered without the request: its context (who is signed in, messages) would read the
        # session from the database.
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    # Logged above in one line; Django would log a traceback for every request of an outage.
    response._has_been_logged = True
    return response
