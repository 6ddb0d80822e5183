"""The read-only JSON API at /api/v1/: resources, organisations and vocabularies.

Plain Django views over the finder's own rules (docs/decisions/0011-json-api.md). Filters and
search are resources.finder.Finder's, so the API and the finder page always agree on what a
query means; where the page drops a bad value with a message, the API answers 400 and lists
every problem. The OpenAPI description is built from the same parameter definitions the views
check requests against, with one parameter per vocabulary in the database.
"""

from django.http import HttpResponsePermanentRedirect, QueryDict
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.views.decorators.http import require_GET

from resources.api.openapi import description
from resources.api.parameters import (
    PAGE_PARAMETERS,
    page_request,
    resource_parameters,
    unexpected,
)
from resources.api.responses import (
    api_view,
    error_response,
    json_response,
    not_found,
    page_response,
)
from resources.api.serialisers import organisation_data, resource_data, vocabulary_data
from resources.caching import CachedResults
from resources.finder import Finder, Problem, organisation_sizes
from resources.models import Organisation, Resource
from taxonomy.models import Vocabulary, vocabularies_with_terms


def organisations():
    """Organisations A to Z as the API lists them, with their lineage."""
    return (
        Organisation.objects.select_related("succeeded_by")
        .prefetch_related("predecessors", "further_successors", "partial_predecessors")
        .order_by("name", "pk")
    )


def show_organisations():
    """How the API shows an organisation: with its published resources, counted as its page
    counts them (publisher or partner), from the kept counts."""
    sizes = organisation_sizes()

    def show(request, organisation):
        return organisation_data(request, organisation, sizes.get(str(organisation.pk), 0))

    return show


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
    listing = Resource.objects.for_detail()
    results = CachedResults(finder.results(), finder.query_string(), listing.in_order)
    return page_response(request, results, number, size, finder.canonical_items(), resource_data)


@api_view()
def resource_detail(request, slug):
    resource = Resource.objects.published().for_detail().filter(slug=slug).first()
    if resource is None:
        return not_found(slug, f"No published resource has the slug “{slug}”.")
    return json_response(resource_data(request, resource))


@api_view(parameters=PAGE_PARAMETERS)
def organisation_list(request):
    problems = []
    number, size = page_request(request, problems)
    if problems:
        return error_response(400, problems)
    return page_response(request, organisations(), number, size, [], show_organisations())


@api_view()
def organisation_detail(request, slug):
    organisation = organisations().filter(slug=slug).first()
    if organisation is None:
        return not_found(slug, f"No organisation has the slug “{slug}”.")
    return json_response(show_organisations()(request, organisation))


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
        if match and match.func is not no_such_endpoint:
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


@api_view()
def openapi(request):
    publishers = Organisation.objects.order_by("slug").values_list("slug", flat=True)
    return json_response(description(request, vocabularies_with_terms(), publishers))
