import json
from datetime import date

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from resources import exports
from resources.caching import CachedResults, cached
from resources.finder import SORTS, Finder
from resources.models import Organisation, Resource, ResourceStatus
from taxonomy.models import Vocabulary

PAGE_SIZE = 20
NEWEST_SIZE = 50  # the most a feed or an embedded list shows
EMBED_SIZE = 10
READING_LIST_SIZE = 500
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def vocabularies_with_terms():
    return list(Vocabulary.objects.prefetch_related("terms"))


def page_of(request, items, problems, size=PAGE_SIZE):
    """The requested page, with a message instead of an error for a page that does not exist."""
    paginator = Paginator(items, size)
    requested = request.GET.get("page", "1")
    if not requested.isdecimal() or int(requested) < 1:
        problems.append(f"There is no page “{requested[:20]}”, so this is page 1.")
        number = 1
    elif int(requested) > paginator.num_pages:
        problems.append(
            f"There {'is only 1 page' if paginator.num_pages == 1 else f'are only {paginator.num_pages} pages'}"
            " of results, so this is the last."
        )
        number = paginator.num_pages
    else:
        number = int(requested)
    return paginator.page(number)


def listing_in_order(ids):
    """The resources with these ids, ready for listing, in the order given."""
    rows = Resource.objects.filter(pk__in=ids).for_listing().in_bulk()
    return [rows[pk] for pk in ids if pk in rows]


def newest_ids(finder):
    """The ids of the view's newest additions, cached (a feed is polled far more than it changes)."""
    newest = finder.newest().values_list("pk", flat=True)[:NEWEST_SIZE]
    return cached("newest", finder.query_string(), lambda: list(newest))


def with_query(url, query_string):
    return f"{url}?{query_string}" if query_string else url


def embed_snippet(request, finder):
    """The <iframe> another site pastes in to show this view."""
    url = request.build_absolute_uri(with_query(reverse("resources:embed"), finder.query_string()))
    return format_html(
        '<iframe src="{}" title="{}" width="100%" height="600" loading="lazy"></iframe>',
        url,
        f"{finder.headline()} – Health Inequalities Resource Directory",
    )


@require_GET
def home(request):
    finder = Finder(QueryDict(), vocabularies_with_terms())
    published = Resource.objects.published()
    recent = published.order_by("-created_at", "-pk").values_list("pk", flat=True)[:6]
    context = {
        "groups": cached("home-groups", "", finder.vocabulary_groups),
        "total": cached("home-total", "", published.count),
        "recent": listing_in_order(cached("home-recent", "", lambda: list(recent))),
    }
    return render(request, "resources/home.html", context)


@require_GET
def resource_list(request):
    finder = Finder(request.GET, vocabularies_with_terms())
    view = finder.query_string()
    results = CachedResults(finder.results(), view, listing_in_order)
    page = page_of(request, results, finder.problems)
    canonical = finder.query_string(page=page.number if page.number > 1 else None)
    if not finder.problems and request.META.get("QUERY_STRING", "") != canonical:
        return redirect(f"{request.path}?{canonical}" if canonical else request.path)
    context = {
        "finder": finder,
        "page": page,
        "groups": cached("finder-groups", view, finder.groups),
        "applied": finder.applied(),
        "description": finder.description(),
        "sorts": SORTS,
        "canonical": canonical,
        "view": view,
        "embed_snippet": embed_snippet(request, finder),
    }
    return render(request, "resources/resource_list.html", context)


@require_GET
def resource_export(request, format):
    """The whole view as CSV, RIS or BibTeX, streamed in chunks (never all in memory)."""
    export = exports.FORMATS[format]
    finder = Finder(request.GET, vocabularies_with_terms())
    today = timezone.localdate()
    lines = export.write(
        exports.exportable(finder.results(), finder.vocabularies),
        exports.Context(request, finder.vocabularies, today),
    )
    response = StreamingHttpResponse(exports.in_pieces(lines), content_type=export.content_type)
    name = exports.filename(finder, export.extension, today)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def reading_list(request):
    """The view as a numbered list to print: citation-like lines with the addresses in full."""
    finder = Finder(request.GET, vocabularies_with_terms())
    view = finder.query_string()
    results = CachedResults(finder.results(), view, listing_in_order)
    context = {
        "finder": finder,
        "headline": finder.headline(),
        "resources": results[:READING_LIST_SIZE],
        "total": results.count(),
        "limit": READING_LIST_SIZE,
        "view": view,
        "view_url": request.build_absolute_uri(with_query(reverse("resources:list"), view)),
        "today": timezone.localdate(),
    }
    return render(request, "resources/resource_reading_list.html", context)


def embed_limit(raw, problems):
    """How many to show: `limit` from 1 to NEWEST_SIZE, with a message for anything else."""
    if not raw:
        return EMBED_SIZE
    if raw.isdecimal() and int(raw) >= 1:
        if int(raw) <= NEWEST_SIZE:
            return int(raw)
        problems.append(
            f"An embedded list shows at most {NEWEST_SIZE}, so this shows {NEWEST_SIZE}."
        )
        return NEWEST_SIZE
    problems.append(
        f"“{raw[:20]}” is not a number from 1 to {NEWEST_SIZE}, so this shows {EMBED_SIZE}."
    )
    return EMBED_SIZE


@require_GET
@xframe_options_exempt
def embed(request):
    """A compact list of the view's newest additions for other sites to show in an iframe."""
    params = request.GET.copy()
    raw_limit = (params.pop("limit", None) or [""])[-1].strip()
    finder = Finder(params, vocabularies_with_terms())
    limit = embed_limit(raw_limit, finder.problems)
    view = finder.query_string()
    context = {
        "finder": finder,
        "headline": finder.headline(),
        "resources": listing_in_order(newest_ids(finder)[:limit]),
        "total": CachedResults(finder.results(), view, listing_in_order).count(),
        "view_url": request.build_absolute_uri(with_query(reverse("resources:list"), view)),
    }
    response = render(request, "resources/resource_embed.html", context)
    # This page alone may be framed, by any site (the rest of the site sends DENY).
    response["Content-Security-Policy"] = "frame-ancestors *"
    return response


def related_resources(resource, limit=5):
    """Published resources sharing the most terms with `resource`."""
    term_ids = [term.pk for term in resource.terms.all()]
    if not term_ids:
        return Resource.objects.none()
    return (
        Resource.objects.published()
        .exclude(pk=resource.pk)
        .filter(terms__in=term_ids)
        .annotate(shared=Count("terms"))
        .order_by("-shared", "title")
        .values_list("pk", flat=True)[:limit]
    )


def citation(resource, today):
    parts = []
    if resource.publisher:
        parts.append(f"{resource.publisher.name} ({resource.year_published or 'no date'})")
    elif resource.year_published:
        parts.append(f"({resource.year_published})")
    parts.append(f"{resource.title}.")
    if resource.url:
        parts.append(f"Available at: {resource.url} (Accessed: {today:%-d %B %Y}).")
    return " ".join(parts)


def structured_data(request, resource):
    """schema.org JSON-LD for the resource, safe to put inside a <script> element."""
    data = {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "name": resource.title,
        "description": resource.summary or None,
        "url": resource.url or request.build_absolute_uri(resource.get_absolute_url()),
        "datePublished": str(resource.year_published) if resource.year_published else None,
        "genre": resource.get_kind_display(),
        "isAccessibleForFree": resource.access in {"free", "registration"} or None,
        "keywords": [tag.name for tag in resource.keywords.all()] or None,
        "about": [term.name for term in resource.terms.all()] or None,
        "publisher": (
            {"@type": "Organization", "name": resource.publisher.name}
            if resource.publisher
            else None
        ),
    }
    data = {key: value for key, value in data.items() if value is not None}
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES))


@require_GET
def resource_detail(request, slug):
    resources = Resource.objects.all() if request.user.is_staff else Resource.objects.published()
    resource = get_object_or_404(
        resources.select_related("publisher__succeeded_by__succeeded_by").prefetch_related(
            "terms", "keywords", "partners"
        ),
        slug=slug,
    )
    terms_by_vocabulary = {}
    for term in resource.terms.all():
        terms_by_vocabulary.setdefault(term.vocabulary, []).append(term)
    context = {
        "resource": resource,
        "is_public": resource.status == ResourceStatus.PUBLISHED,
        "terms_by_vocabulary": sorted(
            terms_by_vocabulary.items(),
            key=lambda item: (item[0].position, item[0].name),
        ),
        "related": listing_in_order(
            cached("related", resource.pk, lambda: list(related_resources(resource)))
        ),
        "citation": citation(resource, date.today()),
        "structured_data": structured_data(request, resource),
    }
    return render(request, "resources/resource_detail.html", context)


@require_GET
def organisation_list(request):
    organisations = Organisation.objects.annotate(
        resource_count=Count("resources", filter=Q(resources__status=ResourceStatus.PUBLISHED))
    ).order_by("name")
    letters = {}
    for organisation in organisations:
        initial = organisation.name[:1].upper()
        letters.setdefault(initial if initial.isalpha() else "#", []).append(organisation)
    return render(
        request,
        "resources/organisation_list.html",
        {"letters": sorted(letters.items())},
    )


@require_GET
def organisation_detail(request, slug):
    organisation = get_object_or_404(
        Organisation.objects.select_related("succeeded_by__succeeded_by"), slug=slug
    )
    problems = []
    resources = (
        Resource.objects.published()
        .filter(Q(publisher=organisation) | Q(partners=organisation))
        .distinct()
        .for_listing()
    )
    context = {
        "organisation": organisation,
        "predecessors": organisation.predecessors.order_by("name"),
        "page": page_of(request, resources, problems),
        "problems": problems,
    }
    return render(request, "resources/organisation_detail.html", context)


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /resources/?",
        "Disallow: /resources/export.",  # whole views as files: costly, and no use to a search engine
        "Disallow: /resources/reading-list/",
        "Disallow: /resources/embed/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
