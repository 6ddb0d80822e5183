"""Ways in by role (/for/): the list of roles with a page, and one role's page: an introduction
written for that role, the curators' "start here" resources in their order, then the way into
that audience's finder view with its count."""

from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from resources.models import AUDIENCE_VOCABULARY, Resource, WayIn
from resources.views.shared import canonical_url, finder_url
from taxonomy.models import Term, former_terms, with_narrower


@require_safe
def way_in_list(request):
    context = {
        "ways_in": list(WayIn.objects.published().in_order()),
        "canonical_url": canonical_url(request, reverse("resources:ways-in")),
    }
    return render(request, "resources/way_in_list.html", context)


@require_safe
def way_in_detail(request, slug):
    published = WayIn.objects.published().select_related("term__vocabulary")
    way_in = published.filter(term__vocabulary__slug=AUDIENCE_VOCABULARY, term__slug=slug).first()
    if way_in is None:
        return merged_role_redirect(request, slug)
    term = way_in.term
    picks = (
        Resource.objects.published()
        .filter(way_in_picks__way_in=way_in)
        .order_by("way_in_picks__position", "way_in_picks__pk")
        .for_listing()
    )
    context = {
        "way_in": way_in,
        "term": term,
        "picks": list(picks),
        "finder_count": audience_count(term),
        "finder_url": finder_url(f"{AUDIENCE_VOCABULARY}={term.slug}"),
        "canonical_url": canonical_url(request, way_in.get_absolute_url()),
    }
    return render(request, "resources/way_in_detail.html", context)


def audience_count(term):
    """How many published resources the finder shows for this audience: those tagged with it
    or with a narrower term (choosing a broader term includes its narrower ones)."""
    ids = with_narrower([term], Term.objects.filter(vocabulary=term.vocabulary_id).order_by())
    tagged = Resource.terms.through.objects.filter(resource=OuterRef("pk"), term__in=ids)
    return Resource.objects.published().filter(Exists(tagged)).count()


def merged_role_redirect(request, slug):
    """An audience merged away: its role page moved for good to the page of the audience it
    joined, which says so once. Otherwise, no such page."""
    former = former_terms([(AUDIENCE_VOCABULARY, slug)]).get((AUDIENCE_VOCABULARY, slug))
    if former is None:
        raise Http404("No page for this role.")
    term, name = former
    if not WayIn.objects.published().filter(term=term).exists():
        raise Http404("No page for this role.")
    messages.info(request, f"“{name}” is now part of “{term.name}”.")
    return HttpResponsePermanentRedirect(reverse("resources:way-in", args=[term.slug]))
