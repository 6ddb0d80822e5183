"""A finder view taken away: as a file (CSV, RIS, BibTeX), a reading list to print, an Atom feed,
or a small list for other sites to embed. Each takes the finder's own query string, so a view
means the same in every form (docs/decisions/0010-feeds-and-exports.md)."""

from csp.decorators import csp_replace
from django.contrib.syndication.views import Feed
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from resources import exports
from resources.caching import CachedResults, cached
from resources.exports import DIRECTORY_NAME
from resources.finder import Finder, whole_number
from resources.models import Resource
from resources.views.shared import finder_url, view_title, with_query
from taxonomy.models import LIMIT_PARAMETER, vocabularies_with_terms

NEWEST_SIZE = 50  # the most a feed or an embedded list shows
EMBED_SIZE = 10
READING_LIST_SIZE = 500


def newest_ids(finder):
    """The ids of the view's newest additions, cached (a feed is polled far more than it changes)."""
    newest = finder.newest().values_list("pk", flat=True)[:NEWEST_SIZE]
    return cached("newest", finder.query_string(), lambda: list(newest))


@require_safe
def resource_export(request, format):
    """The whole view as CSV, RIS or BibTeX, streamed in chunks (never all in memory), the
    header before any row is read."""
    export = exports.FORMATS[format]
    finder = Finder(request.GET, vocabularies_with_terms())
    today = timezone.localdate()
    context = exports.Context(request, finder.vocabularies, today)
    pieces = exports.pieces(export, finder.results(), finder.vocabularies, context)
    response = StreamingHttpResponse(pieces, content_type=export.content_type)
    name = exports.filename(finder, export.extension, today)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_safe
def reading_list(request):
    """The view as a numbered list to print: citation-like lines with the addresses in full."""
    finder = Finder(request.GET, vocabularies_with_terms())
    view = finder.query_string()
    results = CachedResults(finder.results(), view, Resource.objects.for_listing().in_order)
    context = {
        "finder": finder,
        "headline": finder.headline(),
        "resources": results[:READING_LIST_SIZE],
        "total": results.count(),
        "limit": READING_LIST_SIZE,
        "view": view,
        "view_url": request.build_absolute_uri(finder_url(view)),
        "today": timezone.localdate(),
    }
    return render(request, "resources/resource_reading_list.html", context)


def embed_limit(raw, problems):
    """How many to show: `limit` from 1 to NEWEST_SIZE, with a message for anything else."""
    if not raw:
        return EMBED_SIZE
    number = whole_number(raw)
    if number is not None and number >= 1:
        if number <= NEWEST_SIZE:
            return number
        problems.append(
            f"An embedded list shows at most {NEWEST_SIZE}, so this shows {NEWEST_SIZE}."
        )
        return NEWEST_SIZE
    problems.append(
        f"“{raw[:20]}” is not a number from 1 to {NEWEST_SIZE}, so this shows {EMBED_SIZE}."
    )
    return EMBED_SIZE


@require_safe
@xframe_options_exempt
@csp_replace({"frame-ancestors": "*"})  # this page alone may be framed, by any site
def embed(request):
    """A compact list of the view's newest additions for other sites to show in an iframe."""
    params = request.GET.copy()
    raw_limit = (params.pop(LIMIT_PARAMETER, None) or [""])[-1].strip()
    finder = Finder(params, vocabularies_with_terms())
    limit = embed_limit(raw_limit, finder.problems)
    view = finder.query_string()
    listing = Resource.objects.for_listing()
    context = {
        "finder": finder,
        "headline": finder.headline(),
        "resources": listing.in_order(newest_ids(finder)[:limit]),
        "total": CachedResults(finder.results(), view, listing.in_order).count(),
        "view_url": request.build_absolute_uri(finder_url(view)),
    }
    return render(request, "resources/resource_embed.html", context)


class ViewFeed(Feed):
    """The view's newest additions, most recently published first. Bad values in the query
    string are ignored, as the finder ignores them."""

    feed_type = Atom1Feed
    author_name = DIRECTORY_NAME

    def get_object(self, request):
        return Finder(request.GET, vocabularies_with_terms())

    def title(self, finder):
        return view_title(finder)

    def subtitle(self, finder):
        return f"The {NEWEST_SIZE} newest additions to this view of the catalogue."

    def link(self, finder):
        return finder_url(finder.query_string())

    def feed_url(self, finder):
        return with_query(reverse("resources:feed"), finder.query_string())

    def items(self, finder):
        with_terms = Resource.objects.for_listing().prefetch_related("terms")
        return with_terms.in_order(newest_ids(finder))

    def item_title(self, resource):
        return resource.title  # the feed writer escapes it (Django's default escapes twice)

    def item_description(self, resource):
        return resource.summary

    def item_link(self, resource):
        return resource.get_absolute_url()

    def item_author_name(self, resource):
        return resource.publisher.name if resource.publisher else None

    def item_pubdate(self, resource):
        return resource.published_at or resource.created_at

    def item_updateddate(self, resource):
        return resource.updated_at

    def item_categories(self, resource):
        return [term.name for term in resource.terms.all()]
