"""The public catalogue pages: home, a resource (with related resources, a citation and schema.org
data), organisations A to Z and one organisation; robots.txt and favicon.ico."""

import json
from datetime import date

from django.contrib.staticfiles import finders
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from resources.caching import cached
from resources.finder import catalogue_counts, organisation_sizes, term_sizes
from resources.insights import note
from resources.models import Organisation, Resource, ResourceStatus, WayIn
from resources.views.shared import canonical_url, page_of
from taxonomy.models import vocabularies_with_terms

JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@require_safe
def home(request):
    vocabularies = vocabularies_with_terms()
    total, groups = catalogue_counts(vocabularies)
    published = Resource.objects.published()
    recent = published.order_by("-created_at", "-pk").values_list("pk", flat=True)[:6]
    context = {
        "groups": groups[: len(vocabularies)],
        "total": total,
        "recent": Resource.objects.for_listing().in_order(
            cached("home-recent", "", lambda: list(recent))
        ),
        "ways_in": cached("home-ways-in", "", roles_with_a_page),
    }
    return render(request, "resources/home.html", context)


def roles_with_a_page():
    """The roles with a published page (ways in by role), as the home page links them."""
    return [
        {"name": way_in.term.name, "slug": way_in.term.slug}
        for way_in in WayIn.objects.published().in_order()
    ]


RELATED_CANDIDATES = 200
RELATED_LINKS = 40_000


def most_specific(term_ids):
    """The terms among `term_ids` tagging the fewest resources, as many as have at most
    RELATED_LINKS term links between them (always at least the most specific one)."""
    sizes = term_sizes()
    chosen, links = [], 0
    for pk in sorted(term_ids, key=lambda pk: (sizes.get(str(pk), 0), pk)):
        links += sizes.get(str(pk), 0)
        if chosen and links > RELATED_LINKS:
            break
        chosen.append(pk)
    return chosen


def related_resources(resource, limit=5):
    """Published resources sharing the most terms with `resource` (ties by title).

    The candidates are the RELATED_CANDIDATES resources sharing the most of its most specific
    terms (see most_specific): counting every link of a resource's broad terms (an audience, a
    domain) aggregated 238,000 rows for one page at 100,000 resources. The candidates are then
    ordered by every term they share. So a resource sharing only broad terms is not suggested
    when the subject's specific terms fill the budget, and a tie at the candidate boundary is
    broken arbitrarily, not by title."""
    term_ids = [term.pk for term in resource.terms.all()]
    if not term_ids:
        return Resource.objects.none()
    tags = Resource.terms.through.objects.filter(term__in=term_ids)
    candidates = (
        Resource.terms.through.objects.filter(term__in=most_specific(term_ids))
        .exclude(resource=resource.pk)
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
        .order_by("-shared", "sort_title")
        .values_list("pk", flat=True)[:limit]
    )


def citation(resource, today):
    """Harvard style, as NHS libraries teach it: authors (or the publisher) and year, title,
    publisher when authors lead, then the address and when it was accessed."""
    parts = []
    if resource.author_names:
        parts.append(
            f"{join_names(resource.author_names)} ({resource.year_published or 'no date'})"
        )
    elif resource.publisher:
        parts.append(f"{resource.publisher.name} ({resource.year_published or 'no date'})")
    elif resource.year_published:
        parts.append(f"({resource.year_published})")
    parts.append(f"{resource.title}.")
    if resource.author_names and resource.publisher:
        parts.append(f"{resource.publisher.name}.")
    if resource.url:
        parts.append(f"Available at: {resource.url} (Accessed: {today:%-d %B %Y}).")
    return " ".join(parts)


def join_names(names):
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


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
        "author": [{"@type": "Person", "name": name} for name in resource.author_names] or None,
        "publisher": (
            {"@type": "Organization", "name": resource.publisher.name}
            if resource.publisher
            else None
        ),
    }
    data = {key: value for key, value in data.items() if value is not None}
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES))


@require_safe
def resource_detail(request, slug):
    resources = Resource.objects.all() if request.user.is_staff else Resource.objects.published()
    resource = get_object_or_404(resources.for_detail(), slug=slug)
    if resource.status == ResourceStatus.PUBLISHED:  # not a curator's preview of a draft
        note(request, "resource", resource.pk)
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
        "related": Resource.objects.for_listing().in_order(
            cached("related", resource.pk, lambda: list(related_resources(resource)))
        ),
        "citation": citation(resource, date.today()),
        "structured_data": structured_data(request, resource),
        "canonical_url": canonical_url(request, resource.get_absolute_url()),
    }
    return render(request, "resources/resource_detail.html", context)


@require_safe
def resource_go(request, slug):
    """The "Go to" button's way out: to a published resource's own web address, counted as a
    click through. Only ever to the address in the catalogue, so it cannot be made to send a
    visitor anywhere else; copied links elsewhere on the site stay the publisher's own."""
    resource = get_object_or_404(Resource.objects.published().only("pk", "url"), slug=slug)
    if not resource.url.startswith(("https://", "http://")):
        raise Http404("This resource has no web address.")
    note(request, "click", resource.pk)
    response = HttpResponseRedirect(resource.url)
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def organisation_list(request):
    sizes = organisation_sizes()
    letters = {}
    # Only organisations with something to show: one whose resources are all drafts, archived
    # or gone keeps its page (its lineage, old links) but is not listed.
    for organisation in Organisation.objects.filter(pk__in=[int(pk) for pk in sizes]).order_by(
        "name"
    ):
        organisation.resource_count = sizes[str(organisation.pk)]
        initial = organisation.name[:1].upper()
        letters.setdefault(initial if initial.isalpha() else "#", []).append(organisation)
    return render(
        request,
        "resources/organisation_list.html",
        {"letters": sorted(letters.items())},
    )


@require_safe
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
    page = page_of(request, resources, problems)
    context = {
        "organisation": organisation,
        "page": page,
        "problems": problems,
        "canonical_url": canonical_url(request, organisation.get_absolute_url(), page),
    }
    return render(request, "resources/organisation_detail.html", context)


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /resources/?",
        "Disallow: /api/v1/",
        "Disallow: /resources/export.",  # whole views as files: costly, and no use to a search engine
        "Disallow: /resources/reading-list/",
        "Disallow: /resources/embed/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@require_safe
def favicon(request):
    """/favicon.ico, which browsers and feed readers ask for whatever the page links to."""
    with open(finders.find("favicon.ico"), "rb") as icon:
        response = HttpResponse(icon.read(), content_type="image/vnd.microsoft.icon")
    response["Cache-Control"] = "public, max-age=604800"
    return response
