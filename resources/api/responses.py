"""The API's answers: JSON, errors that list every problem, pages of results, and the wrapper
every endpoint has (read-only, open to any origin, strict about its parameters)."""

from dataclasses import asdict
from functools import wraps
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from resources.api.parameters import DEFAULT_PAGE_SIZE, ECHOED_LENGTH, unexpected
from resources.finder import VERY_LARGE, Problem
from taxonomy.models import PAGE_SIZE_PARAMETER

ALLOWED_METHODS = "GET, HEAD, OPTIONS"
ALLOWED_HEADERS = (
    "Accept, Accept-Language, Content-Language, Content-Type, If-Modified-Since, If-None-Match"
)
PREFLIGHT_MAX_AGE = 24 * 60 * 60


def json_response(data, status=200):
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def error_response(status, problems):
    errors = []
    for problem in problems:
        error = {key: value for key, value in asdict(problem).items() if value is not None}
        if "value" in error:
            error["value"] = error["value"][:ECHOED_LENGTH]
        errors.append(error)
    return json_response({"errors": errors}, status)


def not_found(slug, message):
    return error_response(404, [Problem("slug", slug, message)])


def api_view(parameters=()):
    """An API endpoint that accepts `parameters` (None: the view checks its own).

    Open to any web page (CORS) for reading: GET and HEAD answer with
    Access-Control-Allow-Origin: *, a preflight OPTIONS says what may be asked, and any other
    method is a 405. Nothing is written, so there is no CSRF token to check and no cookie."""

    def decorate(view):
        @wraps(view)
        def answer(request, *args, **kwargs):
            if request.method == "OPTIONS":
                response = HttpResponse(status=204)
                response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
                response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
                response["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
                response["Allow"] = ALLOWED_METHODS
            elif request.method not in ("GET", "HEAD"):
                response = error_response(
                    405, [Problem(None, None, f"This API only reads: use {ALLOWED_METHODS}.")]
                )
                response["Allow"] = ALLOWED_METHODS
            elif parameters is not None and (problems := unexpected(request, parameters)):
                response = error_response(400, problems)
            else:
                response = view(request, *args, **kwargs)
            response["Access-Control-Allow-Origin"] = "*"
            return response

        return csrf_exempt(answer)

    return decorate


def page_response(request, items, number, size, query, show):
    """One page of `items` as {count, page, …, results}; a page past the end is a 404 (the page
    is well formed, there is just no such page).

    `query` is the canonical query string's items, to which the links add page and page_size."""
    paginator = Paginator(items, size)
    if number > paginator.num_pages:
        pages = "is 1 page" if paginator.num_pages == 1 else f"are {paginator.num_pages} pages"
        message = f"Page {number:,} is past the end: there {pages} of results."
        if number == VERY_LARGE:
            message = f"That page is past the end: there {pages} of results."
        return error_response(404, [Problem("page", request.GET["page"], message)])
    page = paginator.page(number)

    def link(to):
        items = [*query, ("page", to)] if to > 1 else list(query)
        if size != DEFAULT_PAGE_SIZE:
            items.append((PAGE_SIZE_PARAMETER, size))
        return request.build_absolute_uri(f"{request.path}?{urlencode(items)}".rstrip("?"))

    return json_response(
        {
            "count": paginator.count,
            "page": number,
            PAGE_SIZE_PARAMETER: size,
            "num_pages": paginator.num_pages,
            "next": link(number + 1) if page.has_next() else None,
            "previous": link(number - 1) if page.has_previous() else None,
            "results": [show(request, item) for item in page],
        }
    )
