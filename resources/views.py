import json
from datetime import date

from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from resources.caching import CachedResults, cached
from resources.finder import SORTS, Finder, catalogue_counts
from resources.models import Organisation, Resource, ResourceStatus
from taxonomy.models import Vocabulary

PAGE_SIZE = 20
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def vocabularies_with_terms():
    return list(Vocabulary.objects.prefetch_related("terms"))


def page_of(request, items, problems, size=PAGE_SIZE):
    """The requested page, with a message instead of an error for a page that does not exist."""
    paginator = Paginator(items, size)
    requested = request.GET.get("page", "1")
    if not requested.isdigit() or int(requested) < 1:
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


@require_GET
def home(request):
    vocabularies = vocabularies_with_terms()
    total, groups = catalogue_counts(vocabularies)
    published = Resource.objects.published()
    recent = published.order_by("-created_at", "-pk").values_list("pk", flat=True)[:6]
    context = {
        "groups": groups[: len(vocabularies)],
        "total": total,
        "recent": listing_in_order(cached("home-recent", "", lambda: list(recent))),
    }
    return render(request, "resources/home.html", context)


@require_GET
def resource_list(request):
    vocabularies = vocabularies_with_terms()
    finder = Finder(request.GET, vocabularies)
    view = finder.query_string()
    total, groups = catalogue_counts(vocabularies) if finder.is_everything() else (None, None)
    results = CachedResults(finder.results(), view, listing_in_order, count=total)
    page = page_of(request, results, finder.problems)
    canonical = finder.query_string(page=page.number if page.number > 1 else None)
    if not finder.problems and request.META.get("QUERY_STRING", "") != canonical:
        return redirect(f"{request.path}?{canonical}" if canonical else request.path)
    context = {
        "finder": finder,
        "page": page,
        "groups": groups if groups is not None else cached("finder-groups", view, finder.groups),
        "applied": finder.applied(),
        "description": finder.description(),
        "sorts": SORTS,
        "canonical": canonical,
    }
    return render(request, "resources/resource_list.html", context)


RELATED_CANDIDATES = 200


def related_resources(resource, limit=5):
    """Published resources sharing the most terms with `resource` (ties by title), counted on the
    term links alone: joining every resource that shares a broad term (an audience, a domain) to
    sort them read 36,000 pages at 100,000 resources. The RELATED_CANDIDATES sharing the most
    are then sorted; a tie at that boundary is broken arbitrarily, not by title."""
    term_ids = [term.pk for term in resource.terms.all()]
    if not term_ids:
        return Resource.objects.none()
    tags = Resource.terms.through.objects.filter(term__in=term_ids)
    candidates = (
        tags.exclude(resource=resource.pk)
        .values("resource")
        .annotate(shared=Count("*"))
        .order_by("-shared")
        .values("resource")[:RELATED_CANDIDATES]
    )
    shared = (
        tags.filter(resource=OuterRef("pk")).values("resource").annotate(n=Count("*")).values("n")
    )
    return (
        Resource.objects.published()
        .filter(pk__in=candidates)
        .annotate(shared=Subquery(shared))
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
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
