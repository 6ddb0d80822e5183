import json
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET, require_http_methods

from resources import exports
from resources.actions import SuggestionOutcome, report_problem, suggest_resource
from resources.caching import CachedResults, cached
from resources.finder import (
    SORTS,
    Finder,
    catalogue_counts,
    count_views,
    organisation_sizes,
    term_sizes,
    whole_number,
)
from resources.forms import ProblemReportForm, SavedViewForm, SuggestionForm
from resources.models import (
    Organisation,
    Resource,
    ResourceStatus,
    SavedView,
    SavedViewVisit,
)
from resources.ratelimit import RateLimit
from taxonomy.models import Vocabulary

PAGE_SIZE = 20
NEWEST_SIZE = 50  # the most a feed or an embedded list shows
EMBED_SIZE = 10
READING_LIST_SIZE = 500
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
SUGGESTION_SESSION_KEY = "suggestion"


def vocabularies_with_terms():
    return list(Vocabulary.objects.prefetch_related("terms"))


def page_of(request, items, problems, size=PAGE_SIZE):
    """The requested page, with a message instead of an error for a page that does not exist."""
    paginator = Paginator(items, size)
    requested = request.GET.get("page", "1")
    number = whole_number(requested)
    if number is None or number < 1:
        problems.append(f"There is no page “{requested[:20]}”, so this is page 1.")
        number = 1
    elif number > paginator.num_pages:
        problems.append(
            f"There {'is only 1 page' if paginator.num_pages == 1 else f'are only {paginator.num_pages} pages'}"
            " of results, so this is the last."
        )
        number = paginator.num_pages
    return paginator.page(number)


def listing_in_order(ids, queryset=None):
    """The resources with these ids, ready for listing (or from `queryset`), in the order given."""
    queryset = Resource.objects.for_listing() if queryset is None else queryset
    rows = queryset.filter(pk__in=ids).in_bulk()
    return [rows[pk] for pk in ids if pk in rows]


def newest_ids(finder):
    """The ids of the view's newest additions, cached (a feed is polled far more than it changes)."""
    newest = finder.newest().values_list("pk", flat=True)[:NEWEST_SIZE]
    return cached("newest", finder.query_string(), lambda: list(newest))


def with_query(url, query_string):
    return f"{url}?{query_string}" if query_string else url


def finder_url(query_string):
    return with_query(reverse("resources:list"), query_string)


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
    count = total if total is not None else finder.count
    results = CachedResults(finder.results(), view, listing_in_order, count=count)
    page = page_of(request, results, finder.problems)
    canonical = finder.query_string(page=page.number if page.number > 1 else None)
    if not finder.problems and request.META.get("QUERY_STRING", "") != canonical:
        return redirect(with_query(request.path, canonical))
    context = {
        "finder": finder,
        "page": page,
        "groups": groups if groups is not None else cached("finder-groups", view, finder.groups),
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
        "view_url": request.build_absolute_uri(finder_url(view)),
    }
    response = render(request, "resources/resource_embed.html", context)
    # This page alone may be framed, by any site (the rest of the site sends DENY).
    response["Content-Security-Policy"] = "frame-ancestors *"
    return response


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
    sizes = organisation_sizes()
    letters = {}
    for organisation in Organisation.objects.order_by("name"):
        organisation.resource_count = sizes.get(str(organisation.pk), 0)
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
        "Disallow: /api/v1/",
        "Disallow: /resources/export.",  # whole views as files: costly, and no use to a search engine
        "Disallow: /resources/reading-list/",
        "Disallow: /resources/embed/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def public_form(request, form_class, *, scope, template, context, save, pretend):
    """The flow both public forms share.

    GET shows the form. A POST over the hour's limit gets 429 and the form back with what was
    typed. A filled-in honeypot gets `pretend()`: the same answer as a success, with nothing
    written. Otherwise errors are shown, or `save(cleaned_data)` writes and answers (a redirect).
    """
    if request.method != "POST":
        return render(request, template, {**context, "form": form_class()})
    limit = RateLimit.for_request(scope, request)
    if limit.is_exceeded():
        # Unbound, so what they typed comes back without being judged yet.
        form = form_class(initial=request.POST.dict())
        context = {**context, "form": form, "retry_at": limit.retry_at()}
        response = render(request, template, context, status=429)
        response["Retry-After"] = str(limit.retry_after_seconds())
        return response
    form = form_class(request.POST)
    if form.is_spam():
        limit.hit()
        return pretend()
    if not form.is_valid():
        return render(request, template, {**context, "form": form})
    limit.hit()
    return save(form.cleaned_data)


@never_cache
@require_http_methods(["GET", "POST"])
def suggest(request):
    def answer(outcome, resource=None):
        # Only a published match is remembered for the thank-you page to name.
        published = resource.pk if outcome == SuggestionOutcome.PUBLISHED else None
        request.session[SUGGESTION_SESSION_KEY] = {"outcome": str(outcome), "resource": published}
        return redirect("resources:suggest-thanks")

    def save(data):
        suggestion = suggest_resource(
            title=data["title"],
            url=data["url"],
            summary=data["summary"],
            publisher=data["publisher"],
            email=data["email"],
        )
        return answer(suggestion.outcome, suggestion.resource)

    return public_form(
        request,
        SuggestionForm,
        scope="suggest",
        template="resources/resource_suggest.html",
        context={},
        save=save,
        pretend=lambda: answer(SuggestionOutcome.RECEIVED),
    )


@never_cache
@require_GET
def suggest_thanks(request):
    suggestion = request.session.get(SUGGESTION_SESSION_KEY)
    if suggestion is None:
        return redirect("resources:suggest")
    # Only a published resource is named; a draft's title and address stay private.
    existing = Resource.objects.published().filter(pk=suggestion["resource"]).first()
    context = {"outcome": suggestion["outcome"], "existing": existing}
    return render(request, "resources/resource_suggest_thanks.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def resource_report(request, slug):
    resource = get_object_or_404(Resource.objects.published(), slug=slug)

    def thanks():
        messages.success(
            request,
            "Thank you for your report. The librarians who look after the directory will check it.",
        )
        return redirect(resource)

    def save(data):
        report_problem(resource, kind=data["kind"], message=data["message"], email=data["email"])
        return thanks()

    return public_form(
        request,
        ProblemReportForm,
        scope="report",
        template="resources/problemreport_form.html",
        context={"resource": resource},
        save=save,
        pretend=thanks,
    )


# Teams and saved views -------------------------------------------------------------------------
# Every page below is for signed-in people only, and shows a saved view or team only to those it
# belongs to: anyone else gets a 404, so names do not leak (docs/decisions/0009-saved-views.md).


def with_counts(views):
    """The views, each with its live `result_count`, `new_count` (published since the person
    last opened it, or since it was saved) and `problems`: a fixed number of queries in all."""
    views = list(views)
    counts = count_views(
        [(view.query_string, view.last_opened_at or view.created_at) for view in views],
        vocabularies_with_terms(),
    )
    for view, counted in zip(views, counts, strict=True):
        view.result_count, view.new_count, view.problems = (
            counted.count,
            counted.new,
            counted.problems,
        )
    return views


def saved_view_for(request, pk):
    """The saved view if it is the person's own or their team's; a 404 for anyone else."""
    return get_object_or_404(SavedView.objects.visible_to(request.user), pk=pk)


def posted(request):
    """The submitted data, or None to show an empty form (an empty POST is still a submission)."""
    return request.POST if request.method == "POST" else None


def save_form(form):
    """Save a valid form; a name taken in the meantime is an error on the form, not a 500."""
    try:
        with transaction.atomic():
            return form.save()
    except IntegrityError:
        form.add_error(
            "name", "A saved view with this name was saved just now. Choose another name."
        )
        return None


@login_required
@require_GET
def saved_view_list(request):
    teams = list(request.user.teams.all())
    views = with_counts(
        SavedView.objects.visible_to(request.user)
        .with_last_opened_by(request.user)
        .select_related("owner", "team")
    )
    by_team = {team.pk: [] for team in teams}
    for view in views:
        if view.team_id in by_team:
            by_team[view.team_id].append(view)
    context = {
        "mine": [view for view in views if view.team_id is None],
        "teams": [(team, by_team[team.pk]) for team in teams],
        "has_views": bool(views),
    }
    return render(request, "resources/savedview_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def saved_view_new(request):
    finder = Finder(request.GET, vocabularies_with_terms())
    query_string = finder.query_string()
    view = SavedView(owner=request.user, query_string=query_string)
    teams = request.user.teams.all()
    form = SavedViewForm(posted(request), instance=view, teams=teams)
    if request.method == "POST" and form.is_valid() and save_form(form):
        whose = f"for {view.team.name}" if view.team else "for you"
        messages.success(request, f"Saved “{view.name}” {whose}.")
        return redirect("resources:saved-views")
    context = {
        "form": form,
        "finder": finder,
        "query_string": query_string,
        "description": finder.description(),
        "result_count": finder.filtered().count(),
        "finder_url": finder_url(query_string),
    }
    return render(request, "resources/savedview_form.html", context)


@login_required
@require_GET
def saved_view_open(request, pk):
    view = saved_view_for(request, pk)
    SavedViewVisit.objects.update_or_create(
        user=request.user, saved_view=view, defaults={"opened_at": timezone.now()}
    )
    return redirect(finder_url(view.query_string))


@login_required
@require_http_methods(["GET", "POST"])
def saved_view_edit(request, pk):
    view = saved_view_for(request, pk)
    form = SavedViewForm(posted(request), instance=view)
    if request.method == "POST" and form.is_valid() and save_form(form):
        messages.success(request, f"Saved your changes to “{view.name}”.")
        return redirect("resources:saved-views")
    context = {"form": form, "saved_view": view, "finder_url": finder_url(view.query_string)}
    return render(request, "resources/savedview_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def saved_view_delete(request, pk):
    view = saved_view_for(request, pk)
    if request.method == "POST":
        view.delete()
        messages.success(request, f"Deleted “{view.name}”.")
        return redirect("resources:saved-views")
    return render(request, "resources/savedview_confirm_delete.html", {"saved_view": view})


@login_required
@require_GET
def team_detail(request, slug):
    team = get_object_or_404(request.user.teams.all(), slug=slug)
    views = with_counts(
        team.saved_views.with_last_opened_by(request.user).select_related("owner", "team")
    )
    members = team.members.order_by("first_name", "last_name", "username")
    return render(
        request,
        "resources/team_detail.html",
        {"team": team, "saved_views": views, "members": members},
    )
