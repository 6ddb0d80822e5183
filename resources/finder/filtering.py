"""The resources a selection picks out: the search, then each chosen group's condition.

Within one vocabulary the chosen terms are OR-ed; across vocabularies (and type, publisher,
access, years) they are AND-ed; choosing a broader term includes its narrower terms. A view can
leave one group's choices out, which is how that group's options are counted (facets.py).
"""

from functools import cached_property

from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Length

from resources.caching import cached
from resources.finder.ids import one_of
from resources.models import Resource
from resources.search import search
from resources.term_ids import has_term_ids, tagged_with_any
from taxonomy.models import with_narrower

ORDERINGS = {
    "newest": [F("year_published").desc(nulls_last=True), "sort_title"],
    "title": ["sort_title", "pk"],
    "added": ["-created_at", "-pk"],
}
# What a feed or an embedded list shows first: the newest additions to the catalogue.
NEWEST_ADDITIONS = [
    F("published_at").desc(nulls_last=True),
    F("created_at").desc(),
    F("pk").desc(),
]


def conditions(selection):
    """Each chosen group's condition, by the group's name; the years, which always apply, under
    None."""
    conditions = {}
    for vocabulary in selection.vocabularies:
        if terms := selection.chosen_terms(vocabulary.slug):
            conditions[vocabulary.slug] = tagged_with(with_narrower(terms, vocabulary.terms.all()))
    if selection.kinds:
        conditions["kind"] = Q(kind__in=selection.kinds)
    if selection.access:
        conditions["access"] = Q(access__in=selection.access)
    if selection.publishers:
        conditions["publisher"] = Q(publisher__in=selection.publishers)
    if selection.year_from:
        conditions[None] = Q(year_published__gte=selection.year_from)
    if selection.year_to:
        conditions[None] = conditions.get(None, Q()) & Q(year_published__lte=selection.year_to)
    return conditions


def tagged_with(term_ids):
    """A condition: tagged with one of `term_ids`. On PostgreSQL read from the term ids kept on
    the row (resources.term_ids), with no join; elsewhere through the term links."""
    if has_term_ids():
        return tagged_with_any(term_ids)
    tagged = Resource.terms.through.objects.filter(resource=OuterRef("pk"), term__in=term_ids)
    return Exists(tagged)


class View:
    """The published resources of a selection (search applied), with every group's choices
    applied, or all but one group's. Nothing is asked of the database until a queryset is."""

    def __init__(self, selection, *, counting=False):
        """`counting`: a view to count, not rank (see resources.search.search)."""
        self.selection = selection
        self.counting = counting
        self.base = Resource.objects.published()
        self.views = {}  # the group ignored -> the queryset (see filtered)
        self.best = {}  # for a broad search: the group ignored -> (its best ids, whether capped)

    @cached_property
    def search(self):
        """The search's outcome (resources.search.SearchOutcome), or None without a search."""
        text = self.selection.text
        if not text:
            return None
        return search(self.base, text, counting=self.counting, as_typed=self.selection.as_typed)

    @property
    def is_broad(self):
        return bool(self.search and self.search.is_broad)

    @cached_property
    def conditions(self):
        """Built once: a page applies them in several combinations."""
        return conditions(self.selection)

    def apply(self, queryset, *, ignoring=None):
        """`queryset` with every group's choices applied except `ignoring`'s."""
        applied = [
            condition
            for name, condition in self.conditions.items()
            if name is None or name != ignoring
        ]
        return queryset.filter(*applied) if applied else queryset

    def filtered(self, *, ignoring=None):
        """The published resources in view (search applied) with all choices but `ignoring`'s.
        For a broad search, only the best POOL_SIZE of them (see SearchOutcome.best). Built once
        per `ignoring`: a page with three filters asks for each several times."""
        if ignoring not in self.views:
            self.views[ignoring] = self.build(ignoring)
        return self.views[ignoring]

    def build(self, ignoring):
        if self.is_broad:
            return self.base.filter(one_of(Resource, "id", self.pool(ignoring)))
        scope = self.search.queryset if self.search else self.base
        return self.apply(scope, ignoring=ignoring)

    def pool(self, ignoring=None):
        """A broad search's best ids with `ignoring`'s choices ignored, found once per catalogue
        version and view."""
        key = ignoring if self.selection.has_choices(ignoring) else None
        if key not in self.best:
            matches = self.apply(self.search.queryset, ignoring=key)
            unsearched = self.apply(self.base, ignoring=key)
            self.best[key] = cached(
                "search-best",
                (self.selection.query_string(), key),
                lambda: self.search.best(matches, unsearched),
            )
        return self.best[key][0]

    @property
    def is_capped(self):
        """Whether the results are the best POOL_SIZE of a search that matched more."""
        if not self.is_broad:
            return False
        self.pool()
        return self.best[None][1]

    def results(self):
        """The view's resources, ordered, ready for listing."""
        queryset = self.filtered()
        sort = self.selection.sort
        if self.search:
            queryset = queryset.annotate(rank=self.search.rank)
        if sort == "relevance" and self.search:
            # Equally good matches: the one tagged with less (shorter term text) is more about
            # what was searched for, so it comes first.
            queryset = queryset.order_by("-rank", Length("search_text"), "sort_title")
        elif sort in ORDERINGS:
            queryset = queryset.order_by(*ORDERINGS[sort])
        return queryset.for_listing()

    def newest(self):
        """The view's resources, the most recently published first (for feeds and embeds)."""
        return self.filtered().order_by(*NEWEST_ADDITIONS)
