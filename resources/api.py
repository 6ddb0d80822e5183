"""The read-only JSON API at /api/v1/: resources, organisations and vocabularies.

Plain Django views over the finder's own rules (docs/decisions/0011-json-api.md). Filters and
search are resources.finder.Finder's, so the API and the finder page always agree on what a
query means; where the page drops a bad value with a message, the API answers 400 and lists
every problem. The OpenAPI description is built from the same parameter definitions the views
check requests against, with one parameter per vocabulary in the database.
"""

from dataclasses import asdict, dataclass
from functools import wraps
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse, QueryDict
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from resources.caching import CachedResults
from resources.finder import (
    MAX_QUERY_LENGTH,
    MAX_YEAR,
    MIN_YEAR,
    SORTS,
    UNREADABLE,
    VERY_LARGE,
    Finder,
    Problem,
    clean_text,
    whole_number,
)
from resources.models import (
    Organisation,
    OrganisationKind,
    Resource,
    ResourceAccess,
    ResourceFormat,
    ResourceKind,
    ResourceStatus,
)
from resources.views import vocabularies_with_terms
from taxonomy.models import Vocabulary

DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE = 20, 100
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
ALLOWED_HEADERS = (
    "Accept, Accept-Language, Content-Language, Content-Type, If-Modified-Since, If-None-Match"
)
PREFLIGHT_MAX_AGE = 24 * 60 * 60
ECHOED_LENGTH = 100  # characters of a bad value repeated back in an error


# Parameters: what the views accept and what the description documents ----------------------


@dataclass(frozen=True)
class Parameter:
    """One query parameter: its name, what it does, and its JSON Schema."""

    name: str
    description: str
    schema: dict

    @property
    def is_list(self):
        return self.schema["type"] == "array"

    def openapi(self):
        described = {
            "name": self.name,
            "in": "query",
            "required": False,
            "description": self.description,
            "schema": self.schema,
        }
        if self.is_list:
            described |= {"style": "form", "explode": True}
        return described


def any_of(values):
    """The schema of a parameter that may be repeated, each value one of `values`."""
    return {"type": "array", "items": {"type": "string", "enum": list(values)}, "uniqueItems": True}


PAGE_PARAMETERS = [
    Parameter("page", "Which page of results.", {"type": "integer", "minimum": 1, "default": 1}),
    Parameter(
        "page_size",
        f"Results a page, 1 to {MAX_PAGE_SIZE}.",
        {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": DEFAULT_PAGE_SIZE},
    ),
]


def resource_parameters(vocabularies):
    """The finder's parameters, one per vocabulary among them, then the page's."""
    year = {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR}
    return [
        Parameter(
            "q",
            "Words to search for, ranked as on the finder: title first, then keywords, synonyms, "
            'acronyms and publisher, then the summary. "A phrase", or and -word work as '
            "typed. Without a sort, results come best match first.",
            {"type": "string", "maxLength": MAX_QUERY_LENGTH},
        ),
        *(
            Parameter(
                vocabulary.slug,
                f"{vocabulary.name}: term slugs, repeat for more than one. Terms of one "
                "vocabulary are OR-ed, vocabularies AND-ed; a broader term includes its "
                "narrower terms.",
                any_of(term.slug for term in Finder.in_tree_order(vocabulary.terms.all())),
            )
            for vocabulary in vocabularies
        ),
        Parameter("kind", "Type of resource; repeat for more than one (OR).", any_of(ResourceKind)),
        Parameter(
            "publisher",
            "Publisher's organisation slug (see /organisations/); repeat for more than one (OR).",
            {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
        ),
        Parameter(
            "access",
            "Kind of access; repeat for more than one (OR).",
            any_of(value for value in ResourceAccess.values if value),
        ),
        Parameter("year_from", "Published in or after this year.", year),
        Parameter("year_to", "Published in or before this year.", year),
        Parameter(
            "sort",
            "Order of results: "
            + ", ".join(f"{name} ({label.lower()})" for name, label in SORTS.items())
            + ". The default is relevance with a search, else title.",
            {"type": "string", "enum": list(SORTS)},
        ),
        *PAGE_PARAMETERS,
    ]


def unexpected(request, parameters):
    """Problems with the query string's names: unknown ones, and single values given twice."""
    by_name = {parameter.name: parameter for parameter in parameters}
    problems = []
    for name, values in request.GET.lists():
        parameter = by_name.get(name)
        shown, damaged = clean_text(name)
        if parameter is None and damaged:
            problems.append(Problem(name, values[0], f"{UNREADABLE} in a parameter's name."))
        elif parameter is None:
            problems.append(
                Problem(name, values[0], f"“{shown}” is not a parameter of this endpoint.")
            )
        elif len(values) > 1 and not parameter.is_list:
            problems.append(
                Problem(name, values[1], f"Give “{shown}” once, not {len(values)} times.")
            )
    return problems


def page_request(request, problems):
    """The page number and size asked for (empty means the default), adding any problem."""
    asked = []
    for parameter in PAGE_PARAMETERS:
        value = request.GET.get(parameter.name, "")
        lowest, highest = parameter.schema["minimum"], parameter.schema.get("maximum")
        number = whole_number(value) if value else parameter.schema["default"]
        if number is None or number < lowest or (highest and number > highest):
            limits = f"from {lowest} to {highest}" if highest else f"of {lowest} or more"
            shown = value[:ECHOED_LENGTH]
            problems.append(
                Problem(parameter.name, value, f"“{shown}” is not a whole number {limits}.")
            )
            number = parameter.schema["default"]
        asked.append(number)
    return asked


# Responses ----------------------------------------------------------------------------------


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
    """One page of `items` as {count, page, …, results}; a page past the end is a 400.

    `query` is the canonical query string's items, to which the links add page and page_size."""
    paginator = Paginator(items, size)
    if number > paginator.num_pages:
        pages = "is 1 page" if paginator.num_pages == 1 else f"are {paginator.num_pages} pages"
        message = f"Page {number:,} is past the end: there {pages} of results."
        if number == VERY_LARGE:
            message = f"That page is past the end: there {pages} of results."
        return error_response(400, [Problem("page", request.GET["page"], message)])
    page = paginator.page(number)

    def link(to):
        items = [*query, ("page", to)] if to > 1 else list(query)
        if size != DEFAULT_PAGE_SIZE:
            items.append(("page_size", size))
        return request.build_absolute_uri(f"{request.path}?{urlencode(items)}".rstrip("?"))

    return json_response(
        {
            "count": paginator.count,
            "page": number,
            "page_size": size,
            "num_pages": paginator.num_pages,
            "next": link(number + 1) if page.has_next() else None,
            "previous": link(number - 1) if page.has_previous() else None,
            "results": [show(request, item) for item in page],
        }
    )


def choice(choices, value):
    return {"value": value, "label": choices(value).label} if value else None


def organisation_brief(organisation):
    if organisation is None:
        return None
    return {"slug": organisation.slug, "name": organisation.name, "acronym": organisation.acronym}


def resource_data(request, resource):
    terms = {}
    for term in sorted(
        resource.terms.all(), key=lambda term: (term.vocabulary.position, term.vocabulary.name)
    ):
        terms.setdefault(term.vocabulary.slug, []).append({"slug": term.slug, "name": term.name})
    publisher = resource.publisher
    current = publisher.current if publisher else None
    return {
        "slug": resource.slug,
        "title": resource.title,
        "url": request.build_absolute_uri(resource.get_absolute_url()),
        "web_address": resource.url or None,
        "kind": choice(ResourceKind, resource.kind),
        "summary": resource.summary,
        "publisher": organisation_brief(publisher),
        "current_publisher": organisation_brief(current) if current != publisher else None,
        "partners": [organisation_brief(partner) for partner in resource.partners.all()],
        "year_published": resource.year_published,
        "last_updated_on": resource.last_updated_on,
        "access": choice(ResourceAccess, resource.access),
        "format": choice(ResourceFormat, resource.format),
        "terms": terms,
        "keywords": sorted(tag.name for tag in resource.keywords.all()),
        "published_at": resource.published_at,
    }


def organisation_data(request, organisation):
    return {
        "slug": organisation.slug,
        "name": organisation.name,
        "acronym": organisation.acronym,
        "kind": choice(OrganisationKind, organisation.kind),
        "website": organisation.website or None,
        "description": organisation.description,
        "url": request.build_absolute_uri(organisation.get_absolute_url()),
        "succeeded_by": organisation.succeeded_by.slug if organisation.succeeded_by else None,
        "succeeded_on": organisation.succeeded_on,
        "predecessors": [other.slug for other in organisation.predecessors.all()],
        "resource_count": organisation.resource_count,
    }


def vocabulary_data(request, vocabulary):
    terms = Finder.in_tree_order(vocabulary.terms.all())
    slugs = {term.pk: term.slug for term in terms}
    return {
        "slug": vocabulary.slug,
        "name": vocabulary.name,
        "description": vocabulary.description,
        "url": request.build_absolute_uri(vocabulary.get_absolute_url()),
        "terms": [
            {
                "slug": term.slug,
                "name": term.name,
                "definition": term.definition,
                "synonyms": term.synonym_list,
                "parent": slugs.get(term.parent_id),
                "url": request.build_absolute_uri(
                    reverse("taxonomy:term", args=[vocabulary.slug, term.slug])
                ),
            }
            for term in terms
        ],
    }


# Querysets ----------------------------------------------------------------------------------


def for_api(resources):
    return resources.select_related("publisher__succeeded_by__succeeded_by").prefetch_related(
        "terms", "keywords", "partners"
    )


def api_listing_in_order(ids):
    rows = for_api(Resource.objects.filter(pk__in=ids)).in_bulk()
    return [rows[pk] for pk in ids if pk in rows]


def organisations():
    published = Q(resources__status=ResourceStatus.PUBLISHED)
    return (
        Organisation.objects.select_related("succeeded_by")
        .prefetch_related("predecessors")
        .annotate(resource_count=Count("resources", filter=published))
        .order_by("name", "pk")
    )


# Views --------------------------------------------------------------------------------------


@api_view()
def index(request):
    links = {
        name: request.build_absolute_uri(reverse(f"api:{name}"))
        for name in ["resources", "organisations", "vocabularies", "openapi"]
    }
    return json_response(links | {"documentation": request.build_absolute_uri(reverse("api-docs"))})


@api_view(parameters=None)
def resource_list(request):
    vocabularies = vocabularies_with_terms()
    parameters = resource_parameters(vocabularies)
    problems = unexpected(request, parameters)
    number, size = page_request(request, problems)
    paging = {parameter.name for parameter in PAGE_PARAMETERS}
    known = {parameter.name for parameter in parameters} - paging
    finder_params = QueryDict(mutable=True)
    for name, values in request.GET.lists():
        if name in known:
            finder_params.setlist(name, values)
    finder = Finder(finder_params, vocabularies)
    problems += finder.bad_values
    if problems:
        return error_response(400, problems)
    results = CachedResults(finder.results(), finder.query_string(), api_listing_in_order)
    return page_response(request, results, number, size, finder.canonical_items(), resource_data)


@api_view()
def resource_detail(request, slug):
    resource = for_api(Resource.objects.published()).filter(slug=slug).first()
    if resource is None:
        return not_found(slug, f"No published resource has the slug “{slug}”.")
    return json_response(resource_data(request, resource))


@api_view(parameters=PAGE_PARAMETERS)
def organisation_list(request):
    problems = []
    number, size = page_request(request, problems)
    if problems:
        return error_response(400, problems)
    return page_response(request, organisations(), number, size, [], organisation_data)


@api_view()
def organisation_detail(request, slug):
    organisation = organisations().filter(slug=slug).first()
    if organisation is None:
        return not_found(slug, f"No organisation has the slug “{slug}”.")
    return json_response(organisation_data(request, organisation))


@api_view()
def vocabulary_list(request):
    results = [vocabulary_data(request, vocabulary) for vocabulary in vocabularies_with_terms()]
    return json_response({"count": len(results), "results": results})


@api_view()
def vocabulary_detail(request, slug):
    vocabulary = Vocabulary.objects.prefetch_related("terms").filter(slug=slug).first()
    if vocabulary is None:
        return not_found(slug, f"No vocabulary has the slug “{slug}”.")
    return json_response(vocabulary_data(request, vocabulary))


@api_view(parameters=None)
def no_such_endpoint(request, path):
    """A JSON 404 for any other address under /api/v1/, after the usual slash redirect."""
    if not request.path.endswith("/"):
        try:
            match = resolve(f"{request.path}/")
        except Resolver404:
            match = None
        if match and match.url_name != "no-such-endpoint":
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(
                f"{request.path}/" + (f"?{query}" if query else "")
            )
    return error_response(
        404,
        [
            Problem(
                None, None, f"There is no endpoint at {request.path}; see {reverse('api:index')}."
            )
        ],
    )


@require_GET
def docs(request):
    vocabularies = vocabularies_with_terms()
    context = {"parameters": resource_parameters(vocabularies), "vocabularies": vocabularies}
    return render(request, "resources/api.html", context)
