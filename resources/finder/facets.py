"""How many resources each filter option would give: counted with every other group's choices
applied and its own ignored, so an option says what choosing it gives. An option that would give
nothing is shown with 0, not hidden.

Query cost is in docs/decisions/0004-finder.md: one statement for every vocabulary's counts (on
PostgreSQL read from the term ids kept on each row, resources/term_ids.py), one for type, access
and publisher, and a view small enough has its ids fetched once and counted by
them (ids.py) instead of re-running its filters.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, IntegerField, Value, When

from resources.finder.ids import among
from resources.finder.selection import FIXED_GROUPS
from resources.models import Organisation, Resource, ResourceAccess, ResourceKind
from resources.term_ids import count_term_ids, has_term_ids
from taxonomy.models import narrower_sets, tree_order

PUBLISHER_OPTIONS = 25
# A view to count with at most this many resources has its ids fetched once, and every facet
# count of the page filters by that list: each count then looks the resources up by id instead
# of re-running the view's filters (docs/performance.md, round 3). A bigger view is counted
# through its filters, as a subquery.
COUNTED_IDS = 5000


@dataclass
class Option:
    value: str
    label: str
    count: int = 0
    selected: bool = False
    depth: int = 0


@dataclass
class Group:
    """One filter group: a vocabulary, or kind, publisher or access."""

    name: str  # the query-string parameter
    label: str
    options: list = field(default_factory=list)

    @property
    def selected(self):
        return [option for option in self.options if option.selected]

    @classmethod
    def from_dict(cls, data):
        return cls(**(data | {"options": [Option(**option) for option in data["options"]]}))


def in_tree_order(terms):
    return [term for term, depth in tree_order(terms)]


class Facets:
    """The counts of one view (a filtering.View)."""

    def __init__(self, view, kept):
        """`kept`: {name: Group} for each group whose own options count the whole catalogue,
        already counted (see catalogue_counts.kept_groups)."""
        self.view = view
        self.selection = view.selection
        self.kept = kept
        self.ids = {}  # the group ignored -> its ids, or None for a big view (see counted_ids)

    def kept_count(self):
        """How many are in view, from the kept counts, when the view is one option of one group
        and nothing else (a way in from the home page); else None."""
        if len(self.kept) != 1:
            return None
        [(name, group)] = self.kept.items()
        chosen = [option.count for option in group.options if option.selected]
        one = len(chosen) == 1 and len(self.selection.chosen_values(name)) == 1
        return chosen[0] if one else None

    def count(self):
        """How many resources are in view: from the ids fetched for counting the options, when
        the view is small enough to fetch them, else with a count of its own."""
        if (kept := self.kept_count()) is not None:
            return kept
        ids = self.counted_ids()
        return self.view.filtered().count() if ids is None else len(ids)

    def counted_ids(self, ignoring=None):
        """The ids of `view.filtered(ignoring=ignoring)` for counting: fetched once per request,
        or None when the view holds more than COUNTED_IDS resources. A broad search's view is
        its pool of best ids, already a list."""
        key = ignoring if self.selection.has_choices(ignoring) else None
        if key not in self.ids:
            if key is None and self.selection.is_everything():
                self.ids[key] = None  # the whole catalogue: counted once and kept
            elif self.view.is_broad:
                self.ids[key] = self.view.pool(key)
            elif key is None and (self.kept_count() or 0) > COUNTED_IDS:
                self.ids[key] = None  # known to be too many to fetch
            else:
                self.ids[key] = self.fetch_ids(key)
        return self.ids[key]

    def fetch_ids(self, key):
        chosen = self.selection.chosen_groups()
        if key is None and len(chosen) >= 2:
            # Each choice applies in at least one of two views that ignore a different group,
            # so their intersection is this view: no statement of its own.
            first, second = (self.counted_ids(name) for name in chosen[:2])
            if first is not None and second is not None:
                return list(set(first) & set(second))
        view = self.view.filtered(ignoring=key).order_by().values_list("pk", flat=True)
        ids = list(view[: COUNTED_IDS + 1])
        return ids if len(ids) <= COUNTED_IDS else None

    def counted(self, ignoring=None):
        """The resources of `view.filtered(ignoring=ignoring)`, written for counting (see
        counted_ids)."""
        ids = self.counted_ids(ignoring)
        if ids is None:
            return self.view.filtered(ignoring=ignoring)
        return among(Resource, "id", ids)

    def counted_tags(self, ignoring=None):
        """The term tags of the resources in `view.filtered(ignoring=ignoring)` (each pair is
        unique, so no DISTINCT is needed)."""
        ids = self.counted_ids(ignoring)
        if ids is None:
            in_view = self.view.filtered(ignoring=ignoring).values("pk")
            return Resource.terms.through.objects.filter(resource__in=in_view)
        return among(Resource.terms.through, "resource_id", ids)

    def groups(self):
        """Every filter group with its options and counts, in the order the page shows them."""
        counts = self.column_counts()
        selection = self.selection
        kind = self.kept.get("kind") or choice_group(
            "kind", "Type of resource", ResourceKind.choices, selection.kinds, counts
        )
        access_choices = [(value, label) for value, label in ResourceAccess.choices if value]
        access = self.kept.get("access") or choice_group(
            "access", "Access", access_choices, selection.access, counts
        )
        publisher = self.publisher_group(counts)
        return [*self.vocabulary_groups(), kind, publisher, access]

    def vocabulary_groups(self):
        """Every vocabulary's options with their counts, from one statement: a chosen vocabulary's
        own options are counted with its choice ignored, every other vocabulary's share one
        count, and a term with narrower terms counts the resources tagged with any of them."""
        selection = self.selection
        bases = {}  # the vocabulary ignored (None: none) -> its number in the statement
        for vocabulary in selection.vocabularies:
            if vocabulary.slug not in self.kept:
                ignoring = vocabulary.slug if selection.chosen_terms(vocabulary.slug) else None
                bases.setdefault(ignoring, len(bases))
        if not bases:
            counts = {}
        elif has_term_ids():
            views = {number: self.counted(ignoring) for ignoring, number in bases.items()}
            counts = count_term_ids(views)
        else:
            counts = self.linked_counts(bases)
        groups = []
        for vocabulary in selection.vocabularies:
            chosen = selection.chosen_terms(vocabulary.slug)
            base = bases.get(vocabulary.slug if chosen else None)
            groups.append(
                self.kept.get(vocabulary.slug) or vocabulary_group(vocabulary, chosen, counts[base])
            )
        return groups

    def linked_counts(self, bases):
        """{base: {term id: count}}, counted through the term links (where the rows keep no term
        ids: SQLite): a part per base for the terms' own tags, and a part per base and depth of
        broader terms, whose count replaces the broader term's own."""
        selection = self.selection
        tags = {ignoring: self.counted_tags(ignoring) for ignoring in bases}
        parts = [
            rows(tags[ignoring], number, F("term"), Count("*"))
            for ignoring, number in bases.items()
        ]
        broader = {}  # (the vocabulary ignored, depth) -> {broader term id: it and its narrower}
        for vocabulary in selection.vocabularies:
            if vocabulary.slug in self.kept:
                continue
            ignoring = vocabulary.slug if selection.chosen_terms(vocabulary.slug) else None
            depths = {term.pk: depth for term, depth in tree_order(vocabulary.terms.all())}
            for pk, narrower in narrower_sets(vocabulary.terms.all()).items():
                if len(narrower) > 1:
                    broader.setdefault((ignoring, depths.get(pk, 0)), {})[pk] = narrower
        # The broader terms at one depth share no narrower term, so one part counts them all,
        # each tag labelled with its broader term's negative id (which then replaces the term's
        # own count): a part per base and depth, not per broader term, each re-reading the view.
        for (ignoring, _), sets in broader.items():
            label = Case(
                *(When(term__in=ids, then=Value(-pk)) for pk, ids in sets.items()),
                output_field=IntegerField(),
            )
            tagged = tags[ignoring].filter(term__in=set().union(*sets.values()))
            distinct = Count("resource", distinct=True)
            parts.append(rows(tagged, bases[ignoring], label, distinct))
        counts = {number: {} for number in bases.values()}
        found = parts[0].union(*parts[1:], all=True)
        for row in sorted(found, key=lambda row: row["option"] < 0):
            counts[row["base"]][abs(row["option"])] = row["count"]
        return counts

    def column_counts(self):
        """{(column, value): count} for type, publisher and access (those not kept), each
        counted with its own choice ignored. Columns counted over the same view are counted
        together, grouped by all of them at once and summed here: one statement reads the view
        once, where one per column read it once each."""
        together = {}  # the group ignored (None: none) -> the columns counted over that view
        for name in FIXED_GROUPS:
            if name not in self.kept:
                ignoring = name if self.selection.has_choices(name) else None
                together.setdefault(ignoring, []).append(name)
        counts = Counter()
        for ignoring, columns in together.items():
            found = self.counted(ignoring=ignoring).values_list(*columns)
            for *values, count in found.annotate(count=Count("*")).order_by():
                for column, value in zip(columns, values, strict=True):
                    counts[column, value] += count
        return counts

    def publisher_group(self, counts):
        """The PUBLISHER_OPTIONS publishers with most resources in view (publisher ignored),
        and any chosen publisher besides, by name."""
        if "publisher" in self.kept:
            options = self.kept["publisher"].options
        else:
            busiest = sorted(
                (-count, pk)
                for (column, pk), count in counts.items()
                if column == "publisher" and pk is not None
            )[:PUBLISHER_OPTIONS]
            names = Organisation.objects.filter(pk__in=[pk for _, pk in busiest])
            chosen = self.selection.chosen_values("publisher")
            options = [
                Option(slug, name, counts["publisher", pk], slug in chosen)
                for pk, slug, name in names.values_list("pk", "slug", "name")
            ]
        shown = {option.value for option in options}
        for organisation in self.selection.publishers:
            if organisation.slug not in shown:
                options.append(Option(organisation.slug, organisation.name, 0, True))
        options.sort(key=lambda option: option.label.lower())
        return Group("publisher", "Publisher", options)


def rows(tagged, base, option, count):
    """Rows (base, option, count) of the term tags `tagged`, to join in a UNION ALL."""
    rows = tagged.annotate(base=Value(base), option=option).values("base", "option")
    return rows.annotate(count=count).order_by()


def vocabulary_group(vocabulary, chosen, counts):
    options = [
        Option(term.slug, term.name, counts.get(term.pk, 0), term in chosen, depth)
        for term, depth in tree_order(vocabulary.terms.all())
    ]
    return Group(vocabulary.slug, vocabulary.name, options)


def choice_group(name, label, choices, chosen, counts):
    options = [
        Option(value, str(text), counts[name, value], value in chosen) for value, text in choices
    ]
    return Group(name, label, options)
