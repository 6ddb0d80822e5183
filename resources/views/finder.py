"""The finder page: search and filters over the published catalogue, with counts."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_safe

from resources.caching import CachedResults, cached
from resources.finder import SORTS, Finder, catalogue_counts
from resources.insights import note
from resources.models import Resource
from resources.views.shared import canonical_url, page_of, view_title, with_query
from taxonomy.models import vocabularies_with_terms


def embed_snippet(request, finder):
    """The <iframe> another site pastes in to show this view."""
    url = request.build_absolute_uri(with_query(reverse("resources:embed"), finder.query_string()))
    return format_html(
        '<iframe src="{}" title="{}" width="100%" height="600" loading="lazy"></iframe>',
        url,
        view_title(finder),
    )


@require_safe
def resource_list(request):
    return finder_page(request)


def note_view(request, finder, page):
    """Count a search (with how many it found) or, without one, the view by its canonical query
    string. Pages after the first are the same search or view, read further: not counted."""
    if page.number > 1:
        return
    if finder.text:
        note(request, "search", finder.text, result_count=page.paginator.count)
    else:
        note(request, "view", finder.query_string())


def finder_page(request, about_the_view=None):
    """The finder at request.path, for the view its query string asks for. `about_the_view`
    (finder -> context), when given, adds what the page says about a saved view."""
    vocabularies = vocabularies_with_terms()
    finder = Finder(request.GET, vocabularies)
    for notice in finder.notices:  # shown once: on this page, or after the redirect below
        messages.info(request, notice)
    view = finder.query_string()
    total, groups = catalogue_counts(vocabularies) if finder.is_everything() else (None, None)
    count = total if total is not None else finder.count
    listing = Resource.objects.for_listing()
    results = CachedResults(finder.results(), view, listing.in_order, count=count)
    page = page_of(request, results, finder.problems)
    canonical = finder.query_string(page=page.number if page.number > 1 else None)
    if not finder.problems and request.META.get("QUERY_STRING", "") != canonical:
        return redirect(with_query(request.path, canonical))
    if about_the_view is None:  # the public finder: a saved view's page is not counted
        note_view(request, finder, page)
    applied = finder.applied()
    context = {
        "finder": finder,
        "finder_path": request.path,
        "page": page,
        "groups": groups if groups is not None else cached("finder-groups", view, finder.groups),
        "applied": applied,
        "chosen_count": len(applied) - bool(finder.text),
        "description": finder.description(),
        "sorts": SORTS,
        "canonical": canonical,
        "canonical_url": canonical_url(request, request.path, query_string=canonical),
        "view": view,
        "embed_snippet": embed_snippet(request, finder),
    }
    if about_the_view is not None:
        context |= about_the_view(finder)
    return render(request, "resources/resource_list.html", context)
