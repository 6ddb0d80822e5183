"""The finder's one object for the views, the API, feeds, exports and templates: a finder view
from its query string. It hands each question to the part whose job it is (selection,
description, filtering, facets) and makes each part when first asked: constructing one reads
nothing from the database."""

from functools import cached_property

from resources.finder import description
from resources.finder.catalogue_counts import kept_groups
from resources.finder.facets import Facets, in_tree_order
from resources.finder.filtering import View
from resources.finder.selection import read_selection
from resources.models import Organisation
from taxonomy.models import former_terms


def by_slug(slugs):
    """The organisations with these slugs, by slug."""
    return {
        organisation.slug: organisation
        for organisation in Organisation.objects.filter(slug__in=slugs)
    }


class Finder:
    in_tree_order = staticmethod(in_tree_order)

    def __init__(self, params, vocabularies, *, organisations=None, former=None, counting=False):
        """`params`: the query string (a QueryDict); `vocabularies`: every vocabulary, with its
        terms prefetched. `organisations` (slug → Organisation) and `former` (what former_terms
        gives), when given, answer for the publishers and merged terms' slugs chosen instead of a
        query; `counting` builds a view to count, not rank (see count_views)."""
        self.params = params
        self.vocabularies = list(vocabularies)
        self.organisations = organisations
        self.former = former
        self.counting = counting

    @cached_property
    def selection(self):
        terms = {vocabulary.slug: vocabulary.terms.all() for vocabulary in self.vocabularies}
        return read_selection(
            self.params,
            self.vocabularies,
            terms=terms,
            find_publishers=self.publishers_named,
            find_former=self.former_named,
        )

    def publishers_named(self, slugs):
        return self.organisations if self.organisations is not None else by_slug(slugs)

    def former_named(self, pairs):
        return self.former if self.former is not None else former_terms(pairs)

    @cached_property
    def view(self):
        return View(self.selection, counting=self.counting)

    @cached_property
    def facets(self):
        return Facets(self.view, kept_groups(self.selection))

    # What the query string asked for ---------------------------------------------------------

    @property
    def problems(self):
        """Sentences for the page: what was wrong and what the view did instead."""
        return self.selection.problems

    @property
    def notices(self):
        """Sentences for the page: slugs of terms merged away, read as the terms they joined."""
        return self.selection.notices

    @property
    def bad_values(self):
        """The same problems as Problem(parameter, value, message), for the API."""
        return self.selection.bad_values

    @property
    def text(self):
        return self.selection.text

    @property
    def year_from(self):
        return self.selection.year_from

    @property
    def year_to(self):
        return self.selection.year_to

    @property
    def sort(self):
        return self.selection.sort

    @property
    def searched_for(self):
        """The search as made: what was typed, or its correction."""
        return self.view.search.searched_for if self.view.search else self.text

    @property
    def is_corrected(self):
        """Whether the search was made for a correction of what was typed."""
        return self.searched_for != self.text

    @property
    def is_partial(self):
        """Whether no resource had enough of the words, so these have some of them."""
        return bool(self.view.search and self.view.search.is_partial)

    def is_everything(self, *, ignoring=None):
        return self.selection.is_everything(ignoring=ignoring)

    def canonical_items(self, **changes):
        return self.selection.canonical_items(**changes)

    def query_string(self, **changes):
        return self.selection.query_string(**changes)

    def query_string_as_typed(self):
        return self.selection.query_string_as_typed()

    # The view in words -----------------------------------------------------------------------

    def description(self):
        return description.description(self.selection, self.searched_for)

    def headline(self):
        return description.headline(self.selection, self.searched_for)

    def applied(self):
        return description.applied(self.selection)

    # The resources in view -------------------------------------------------------------------

    def filtered(self):
        return self.view.filtered()

    def results(self):
        return self.view.results()

    def newest(self):
        return self.view.newest()

    @property
    def is_capped(self):
        return self.view.is_capped

    # Counts ----------------------------------------------------------------------------------

    def count(self):
        return self.facets.count()

    def groups(self):
        return self.facets.groups()
