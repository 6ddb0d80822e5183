"""The finder: one set of rules for turning a query string into a view of the catalogue.

- Within one vocabulary the chosen terms are OR-ed; across vocabularies (and kind, publisher,
  access, years) they are AND-ed; choosing a broader term includes its narrower terms.
- Each option's count is computed with every other group's choices applied and its own ignored.
- A bad value is dropped with a message saying so; the rest of the view still applies.
- The query string is canonical: stable order, empty values dropped, so one view has one URL.

Why not django-filter's FilterSet here: its fields reject a whole parameter when one value is
unknown, and it has no notion of counts that ignore their own group. See
docs/decisions/0004-finder.md.
"""

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from urllib.parse import urlencode

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.http import QueryDict

from resources.caching import cached, keep, kept
from resources.models import Organisation, Resource, ResourceAccess, ResourceKind
from resources.search import search
from resources.url_normalisation import is_tracking_parameter
from taxonomy.models import narrower_sets, tree_order, with_narrower

MAX_QUERY_LENGTH = 200
MIN_YEAR, MAX_YEAR = 1800, 2100
SORTS = {
    "relevance": "Best match",
    "newest": "Newest first",
    "title": "Title A to Z",
    "added": "Recently added",
}
ORDERINGS = {
    "newest": [F("year_published").desc(nulls_last=True), "title"],
    "title": ["title", "pk"],
    "added": ["-created_at", "-pk"],
}
# What a feed or an embedded list shows first: the newest additions to the catalogue.
NEWEST_ADDITIONS = [
    F("published_at").desc(nulls_last=True),
    F("created_at").desc(),
    F("pk").desc(),
]
PUBLISHER_OPTIONS = 25
FIXED_GROUPS = ["kind", "publisher", "access"]  # the filter groups that are not vocabularies
# A view to count with at most this many resources has its ids fetched once, and every facet
# count of the page filters by that list: each count then looks the resources up by id instead
# of re-running the view's filters (docs/performance.md, round 3). A bigger view is counted
# through its filters, as a subquery.
COUNTED_IDS = 5000
VERY_LARGE = 10**18  # what a whole number of more digits than this counts as
UNREADABLE = (
    "Some characters could not be read (control characters, NUL bytes or broken percent-encoding)"
)


@dataclass(frozen=True)
class Problem:
    """A bad value in a query string, for a program: which parameter, its value, what is wrong."""

    parameter: str | None  # None: the problem is with the request as a whole
    value: str | None
    message: str


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


def clean_text(value):
    """Drop NUL and other control characters and the marks of undecodable bytes."""
    cleaned = "".join(
        character
        for character in value
        if character == "\n" or (character.isprintable() and character != "\ufffd")
    )
    return " ".join(cleaned.split()), cleaned != value


def whole_number(text):
    """`text` as a whole number if it is written in the digits 0 to 9, else None.

    int() alone would take "²" (and then fail) and refuses more than 4,300 digits; a number too
    long to matter counts as VERY_LARGE, so a page or a year made of it is simply out of range.
    """
    if not (text.isascii() and text.isdigit()):
        return None
    digits = text.lstrip("0") or "0"
    return int(digits) if len(digits) <= 18 else VERY_LARGE


def one_of(model, column, ids):
    """A condition: `model`'s `column` is one of `ids`, the ids sent as one parameter: an array
    on PostgreSQL (`= ANY(%s)`), a JSON list on SQLite. Written as IN (…), a list of a thousand
    ids, repeated in each part of a facet statement, cost more to send and to plan than the
    counting itself, and could pass SQLite's limit on parameters."""
    target = f'"{model._meta.db_table}"."{column}"'
    if connection.vendor == "postgresql":
        # Written as the array's text: psycopg's own adaptation of a list checks each element
        # against a regular expression, 7 ms a page for the arrays of a broad search's facets.
        sql, value = (
            f"{target} = ANY(%s::bigint[])",
            "{" + ",".join(map(str, ids)) + "}",
        )
    else:
        sql, value = f"{target} IN (SELECT value FROM json_each(%s))", json.dumps(list(ids))
    return RawSQL(sql, [value], output_field=BooleanField())


def among(model, column, ids):
    """`model`'s rows whose `column` is one of `ids` (see one_of)."""
    return model.objects.filter(one_of(model, column, ids))


def by_slug(slugs):
    """The organisations with these slugs, by slug."""
    return {
        organisation.slug: organisation
        for organisation in Organisation.objects.filter(slug__in=slugs)
    }


class Finder:
    FIXED = ["q", "kind", "publisher", "access", "year_from", "year_to", "sort", "page"]

    def __init__(self, params, vocabularies, *, organisations=None, counting=False):
        """`organisations` (slug → Organisation), when given, answers for the publishers chosen
        instead of a query; `counting` builds a view to count, not rank (see count_views)."""
        self.params = params
        self.vocabularies = list(vocabularies)
        self.organisations = organisations
        self.base = Resource.objects.published()
        self.problems = []  # sentences for the page: what was wrong and what it did instead
        self.bad_values = []  # the same problems as Problem(parameter, value, message)
        self.text = self.parse_text()
        self.terms = {
            vocabulary.slug: self.parse_terms(vocabulary) for vocabulary in self.vocabularies
        }
        self.kinds = self.parse_choices("kind", ResourceKind, "type of resource")
        self.access = self.parse_choices("access", ResourceAccess, "kind of access")
        self.publishers = self.parse_publishers()
        self.year_from, self.year_to = self.parse_years()
        self.sort = self.parse_sort()
        self.report_unknown_parameters()
        self.searched_for = self.text
        self.search = search(self.base, self.text, counting=counting) if self.text else None
        self.scope = self.search.queryset if self.search else self.base
        if self.search:
            self.searched_for = self.search.searched_for
        self.views = {}  # the group ignored -> the queryset (see filtered)
        self.ids = {}  # the group ignored -> its ids, or None for a big view (see counted_ids)
        self.best = {}  # for a broad search: the group ignored -> (its best ids, whether capped)
        self._conditions = None  # see conditions()
        self._kept = None  # see kept_groups()

    def is_everything(self, *, ignoring=None):
        """Whether the view, with `ignoring`'s choices ignored, is the whole published catalogue:
        no search, no years and nothing else chosen."""
        if self.text or self.year_from or self.year_to:
            return False
        return all(name == ignoring for name in self.chosen_groups())

    # Reading the query string ---------------------------------------------------------------

    def reject(self, parameter, value, message, shown):
        """Record a bad value: `message` says what is wrong with it, `shown` (for the page) also
        what the view did instead."""
        self.bad_values.append(Problem(parameter, value, message))
        self.problems.append(shown)

    def values(self, name):
        values = []
        for raw in self.params.getlist(name):
            value, damaged = clean_text(raw)
            if damaged:
                self.reject(
                    name,
                    raw,
                    f"{UNREADABLE}.",
                    f"Some characters in “{name}” could not be read and were ignored.",
                )
            if value and value not in values:
                values.append(value)
        return values

    def parse_text(self):
        values = self.values("q")
        text = " ".join(values)
        if len(text) > MAX_QUERY_LENGTH:
            self.reject(
                "q",
                text,
                f"The search is longer than {MAX_QUERY_LENGTH} characters.",
                f"Your search was too long, so only its first {MAX_QUERY_LENGTH} characters were used.",
            )
            text = text[:MAX_QUERY_LENGTH].rsplit(" ", 1)[0]
        return text

    def parse_terms(self, vocabulary):
        by_slug = {term.slug: term for term in vocabulary.terms.all()}
        chosen = []
        for value in self.values(vocabulary.slug):
            if value in by_slug:
                chosen.append(by_slug[value])
            else:
                self.reject(
                    vocabulary.slug,
                    value,
                    f"“{value}” is not a {vocabulary.name.lower()} in this catalogue.",
                    f"“{value}” is not a {vocabulary.name.lower()} in this catalogue, so it was ignored.",
                )
        return chosen

    def parse_choices(self, name, choices, noun):
        chosen = []
        for value in self.values(name):
            if value in choices.values and value:
                chosen.append(value)
            else:
                self.reject(
                    name,
                    value,
                    f"“{value}” is not a {noun} we know.",
                    f"“{value}” is not a {noun} we know, so it was ignored.",
                )
        return chosen

    def parse_publishers(self):
        slugs = self.values("publisher")
        if not slugs:
            return []
        found = self.organisations if self.organisations is not None else by_slug(slugs)
        for slug in slugs:
            if slug not in found:
                self.reject(
                    "publisher",
                    slug,
                    f"“{slug}” is not a publisher in this catalogue.",
                    f"“{slug}” is not a publisher in this catalogue, so it was ignored.",
                )
        return [found[slug] for slug in slugs if slug in found]

    def parse_year(self, name, label):
        values = self.values(name)
        if not values:
            return None
        value = values[0]
        year = whole_number(value)
        if year is None or not MIN_YEAR <= year <= MAX_YEAR:
            self.reject(
                name,
                value,
                f"“{value}” is not a year between {MIN_YEAR} and {MAX_YEAR}.",
                f"“{value}” is not a year between {MIN_YEAR} and {MAX_YEAR}, so “{label}” was ignored.",
            )
            return None
        return year

    def parse_years(self):
        year_from = self.parse_year("year_from", "published from")
        year_to = self.parse_year("year_to", "published to")
        if year_from and year_to and year_from > year_to:
            self.reject(
                "year_from",
                str(year_from),
                f"year_from ({year_from}) is after year_to ({year_to}).",
                f"The years were the wrong way round, so we used {year_to} to {year_from}.",
            )
            year_from, year_to = year_to, year_from
        return year_from, year_to

    def parse_sort(self):
        values = self.values("sort")
        default = "relevance" if self.text else "title"
        if not values:
            return default
        if values[0] not in SORTS:
            self.reject(
                "sort",
                values[0],
                f"“{values[0]}” is not a way to sort; the sorts are {', '.join(SORTS)}.",
                f"“{values[0]}” is not a way to sort, so results are in the usual order.",
            )
            return default
        if values[0] == "relevance" and not self.text:
            return "title"
        return values[0]

    def report_unknown_parameters(self):
        known = set(self.FIXED) | {vocabulary.slug for vocabulary in self.vocabularies}
        for name in self.params:
            if name not in known and not is_tracking_parameter(name):
                shown, _ = clean_text(name)
                self.reject(
                    name,
                    self.params.get(name, ""),
                    f"“{shown}” is not a filter we know.",
                    f"“{shown}” is not a filter we know, so it was ignored.",
                )

    # Filtering --------------------------------------------------------------------------------

    def conditions(self):
        """Each chosen group's condition, by the group's name, built once (a page applies them
        in several combinations); the years, which always apply, under None."""
        if self._conditions is None:
            conditions = {}
            for vocabulary in self.vocabularies:
                if terms := self.terms[vocabulary.slug]:
                    tagged = Resource.terms.through.objects.filter(
                        resource=OuterRef("pk"),
                        term__in=with_narrower(terms, vocabulary.terms.all()),
                    )
                    conditions[vocabulary.slug] = Exists(tagged)
            if self.kinds:
                conditions["kind"] = Q(kind__in=self.kinds)
            if self.access:
                conditions["access"] = Q(access__in=self.access)
            if self.publishers:
                conditions["publisher"] = Q(publisher__in=self.publishers)
            if self.year_from:
                conditions[None] = Q(year_published__gte=self.year_from)
            if self.year_to:
                conditions[None] = conditions.get(None, Q()) & Q(year_published__lte=self.year_to)
            self._conditions = conditions
        return self._conditions

    def apply(self, queryset, *, ignoring=None):
        """`queryset` with every group's choices applied except `ignoring`'s."""
        applied = [
            condition
            for name, condition in self.conditions().items()
            if name is None or name != ignoring
        ]
        return queryset.filter(*applied) if applied else queryset

    def filtered(self, *, ignoring=None):
        """The published resources in view (search applied) with all choices but `ignoring`'s.
        For a broad search, only the best POOL_SIZE of them (see SearchOutcome.best). Built once
        per `ignoring`: a page with three filters asks for each several times."""
        if ignoring not in self.views:
            self.views[ignoring] = self.build_view(ignoring)
        return self.views[ignoring]

    def build_view(self, ignoring):
        queryset = self.apply(self.scope, ignoring=ignoring)
        if not (self.search and self.search.is_broad):
            return queryset
        key = ignoring if self.has_choices(ignoring) else None
        if key not in self.best:
            unsearched = self.apply(self.base, ignoring=ignoring)
            self.best[key] = cached(
                "search-best",
                (self.query_string(), key),
                lambda: self.search.best(queryset, unsearched),
            )
        return self.base.filter(one_of(Resource, "id", self.best[key][0]))

    def counted_ids(self, ignoring=None):
        """The ids of `filtered(ignoring=ignoring)` for counting: fetched once per request, or
        None when the view holds more than COUNTED_IDS resources. A broad search's view is its
        pool of best ids, already a list."""
        key = ignoring if self.has_choices(ignoring) else None
        if key not in self.ids:
            if key is None and self.is_everything():
                self.ids[key] = None  # the whole catalogue: counted once and kept
            elif self.search and self.search.is_broad:
                self.filtered(ignoring=key)  # finds the pool
                self.ids[key] = self.best[key][0]
            elif key is None and (self.kept_count() or 0) > COUNTED_IDS:
                self.ids[key] = None  # known to be too many to fetch
            else:
                self.ids[key] = self.fetch_ids(key)
        return self.ids[key]

    def fetch_ids(self, key):
        chosen = self.chosen_groups()
        if key is None and len(chosen) >= 2:
            # Each choice applies in at least one of two views that ignore a different group,
            # so their intersection is this view: no statement of its own.
            first, second = (self.counted_ids(name) for name in chosen[:2])
            if first is not None and second is not None:
                return list(set(first) & set(second))
        view = self.filtered(ignoring=key).order_by().values_list("pk", flat=True)
        ids = list(view[: COUNTED_IDS + 1])
        return ids if len(ids) <= COUNTED_IDS else None

    def chosen_groups(self):
        """The names of the groups with something chosen, in the page's order."""
        names = [vocabulary.slug for vocabulary in self.vocabularies] + FIXED_GROUPS
        return [name for name in names if self.has_choices(name)]

    def count(self):
        """How many resources are in view: from the ids fetched for counting the options, when
        the view is small enough to fetch them, else with a count of its own."""
        if (kept := self.kept_count()) is not None:
            return kept
        ids = self.counted_ids()
        return self.filtered().count() if ids is None else len(ids)

    def counted(self, ignoring=None):
        """The resources of `filtered(ignoring=ignoring)`, written for counting (see
        counted_ids)."""
        ids = self.counted_ids(ignoring)
        return self.filtered(ignoring=ignoring) if ids is None else among(Resource, "id", ids)

    def counted_tags(self, ignoring=None):
        """The term tags of the resources in `filtered(ignoring=ignoring)` (each pair is unique,
        so no DISTINCT is needed)."""
        ids = self.counted_ids(ignoring)
        if ids is None:
            return self.tagged(self.filtered(ignoring=ignoring))
        return among(Resource.terms.through, "resource_id", ids)

    def has_choices(self, name):
        return bool(self.chosen_values(name))

    @property
    def is_capped(self):
        """Whether the results are the best POOL_SIZE of a search that matched more."""
        if not (self.search and self.search.is_broad):
            return False
        self.filtered()
        return self.best[None][1]

    def results(self):
        """The view's resources, ordered, ready for listing."""
        queryset = self.filtered()
        if self.search:
            queryset = queryset.annotate(rank=self.search.rank)
        if self.sort == "relevance" and self.search:
            queryset = queryset.order_by("-rank", "title")
        elif self.sort in ORDERINGS:
            queryset = queryset.order_by(*ORDERINGS[self.sort])
        return queryset.for_listing()

    def newest(self):
        """The view's resources, the most recently published first (for feeds and embeds)."""
        return self.filtered().order_by(*NEWEST_ADDITIONS)

    # Counting ---------------------------------------------------------------------------------

    def groups(self):
        """Every filter group with its options and counts, in the order the page shows them."""
        kept = self.kept_groups()
        counts = self.column_counts(kept)
        kind = kept.get("kind") or self.choice_group(
            "kind", "Type of resource", ResourceKind.choices, self.kinds, counts
        )
        access = kept.get("access") or self.choice_group(
            "access",
            "Access",
            [(value, label) for value, label in ResourceAccess.choices if value],
            self.access,
            counts,
        )
        publisher = self.publisher_group(kept, counts)
        return [*self.vocabulary_groups(kept), kind, publisher, access]

    def kept_groups(self):
        """{name: Group} for each group whose own options are counted over the whole catalogue
        (it is the only one with choices, and there is no search and no years), taken from the
        counts kept for the catalogue (see catalogue_counts): the most common view, one term
        chosen from the home page, then counts only the other groups."""
        if self._kept is None:
            names = [name for name in self.chosen_groups() if self.is_everything(ignoring=name)]
            self._kept = {}
            if names:
                _, groups = catalogue_counts(self.vocabularies)
                for group in groups:
                    if group.name in names:
                        chosen = self.chosen_values(group.name)
                        for option in group.options:
                            option.selected = option.value in chosen
                        self._kept[group.name] = group
        return self._kept

    def kept_count(self):
        """How many are in view, from the kept counts, when the view is one option of one group
        and nothing else (a way in from the home page); else None."""
        kept = self.kept_groups()
        if len(kept) != 1:
            return None
        [(name, group)] = kept.items()
        chosen = [option.count for option in group.options if option.selected]
        return chosen[0] if len(chosen) == 1 and len(self.chosen_values(name)) == 1 else None

    def chosen_values(self, name):
        """The values chosen in the group `name`, as the query string gives them (none for a
        name that is not a group, such as None)."""
        if name in self.terms:
            return {term.slug for term in self.terms[name]}
        if name == "publisher":
            return {organisation.slug for organisation in self.publishers}
        return set({"kind": self.kinds, "access": self.access}.get(name, ()))

    @staticmethod
    def tagged(queryset):
        """The term tags of the resources in `queryset` (no DISTINCT needed: each pair is unique)."""
        return Resource.terms.through.objects.filter(resource__in=queryset.values("pk"))

    def vocabulary_groups(self, kept=None):
        """Every vocabulary's options with their counts, from one statement: a chosen vocabulary's
        own options are counted with its choice ignored, every other vocabulary's share one
        count, and a term with narrower terms counts the resources tagged with any of them.
        `kept`: groups already counted (see kept_groups)."""
        kept = kept or {}
        bases = {}  # the vocabulary ignored (None: none) -> its number in the statement
        tags = {}  # the vocabulary ignored -> the term tags counted
        broader = {}  # (the vocabulary ignored, depth) -> {broader term id: it and its narrower}
        parts = []
        for vocabulary in self.vocabularies:
            if vocabulary.slug in kept:
                continue
            ignoring = vocabulary.slug if self.terms[vocabulary.slug] else None
            if ignoring not in bases:
                bases[ignoring] = len(bases)
                tags[ignoring] = self.counted_tags(ignoring)
                parts.append(self.rows(tags[ignoring], bases[ignoring], F("term"), Count("*")))
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
            rows = tags[ignoring].filter(term__in=set().union(*sets.values()))
            distinct = Count("resource", distinct=True)
            parts.append(self.rows(rows, bases[ignoring], label, distinct))
        counts = {number: {} for number in bases.values()}
        rows = parts[0].union(*parts[1:], all=True) if parts else []
        for row in sorted(rows, key=lambda row: row["option"] < 0):
            counts[row["base"]][abs(row["option"])] = row["count"]
        return [
            kept.get(vocabulary.slug)
            or self.vocabulary_group(
                vocabulary,
                self.terms[vocabulary.slug],
                counts[bases[vocabulary.slug if self.terms[vocabulary.slug] else None]],
            )
            for vocabulary in self.vocabularies
        ]

    @staticmethod
    def rows(tagged, base, option, count):
        """Rows (base, option, count) of the term tags `tagged`, to join in a UNION ALL."""
        rows = tagged.annotate(base=Value(base), option=option).values("base", "option")
        return rows.annotate(count=count).order_by()

    def vocabulary_group(self, vocabulary, chosen, counts):
        options = [
            Option(term.slug, term.name, counts.get(term.pk, 0), term in chosen, depth)
            for term, depth in tree_order(vocabulary.terms.all())
        ]
        return Group(vocabulary.slug, vocabulary.name, options)

    @staticmethod
    def in_tree_order(terms):
        return [term for term, depth in tree_order(terms)]

    def column_counts(self, kept):
        """{(column, value): count} for type, publisher and access (those not in `kept`), each
        counted with its own choice ignored. Columns counted over the same view are counted
        together, grouped by all of them at once and summed here: one statement reads the view
        once, where one per column read it once each."""
        together = {}  # the group ignored (None: none) -> the columns counted over that view
        for name in FIXED_GROUPS:
            if name not in kept:
                together.setdefault(name if self.has_choices(name) else None, []).append(name)
        counts = Counter()
        for ignoring, columns in together.items():
            rows = self.counted(ignoring=ignoring).values_list(*columns)
            for *values, count in rows.annotate(count=Count("*")).order_by():
                for column, value in zip(columns, values, strict=True):
                    counts[column, value] += count
        return counts

    @staticmethod
    def choice_group(name, label, choices, chosen, counts):
        options = [
            Option(value, str(text), counts[name, value], value in chosen)
            for value, text in choices
        ]
        return Group(name, label, options)

    def publisher_group(self, kept, counts):
        """The PUBLISHER_OPTIONS publishers with most resources in view (publisher ignored),
        and any chosen publisher besides, by name."""
        if "publisher" in kept:
            options = kept["publisher"].options
        else:
            busiest = sorted(
                (-count, pk)
                for (column, pk), count in counts.items()
                if column == "publisher" and pk is not None
            )[:PUBLISHER_OPTIONS]
            names = Organisation.objects.filter(pk__in=[pk for _, pk in busiest])
            chosen = self.chosen_values("publisher")
            options = [
                Option(slug, name, counts["publisher", pk], slug in chosen)
                for pk, slug, name in names.values_list("pk", "slug", "name")
            ]
        shown = {option.value for option in options}
        for organisation in self.publishers:
            if organisation.slug not in shown:
                options.append(Option(organisation.slug, organisation.name, 0, True))
        options.sort(key=lambda option: option.label.lower())
        return Group("publisher", "Publisher", options)

    # Describing -------------------------------------------------------------------------------

    def canonical_items(self, **changes):
        items = []
        if self.text:
            items.append(("q", self.text))
        for vocabulary in self.vocabularies:
            for term in sorted(self.terms[vocabulary.slug], key=lambda term: term.slug):
                items.append((vocabulary.slug, term.slug))
        items += [("kind", kind) for kind in sorted(self.kinds)]
        items += [("publisher", slug) for slug in sorted(o.slug for o in self.publishers)]
        items += [("access", value) for value in sorted(self.access)]
        if self.year_from:
            items.append(("year_from", str(self.year_from)))
        if self.year_to:
            items.append(("year_to", str(self.year_to)))
        default_sort = "relevance" if self.text else "title"
        if self.sort != default_sort:
            items.append(("sort", self.sort))
        for name, value in changes.items():
            items = [item for item in items if item[0] != name]
            if value not in (None, ""):
                items.append((name, str(value)))
        return items

    def query_string(self, **changes):
        return urlencode(self.canonical_items(**changes))

    def query_string_without(self, name, value=None):
        """The canonical query string with one choice (or a whole parameter) removed."""
        items = [
            item
            for item in self.canonical_items()
            if not (item[0] == name and (value is None or item[1] == value))
        ]
        return urlencode(items)

    def applied(self):
        """Each applied choice, as (label, query string without it), for removing one at a time."""
        applied = []
        if self.text:
            applied.append((f"Search: {self.text}", self.query_string_without("q")))
        for vocabulary in self.vocabularies:
            for term in self.terms[vocabulary.slug]:
                applied.append(
                    (
                        f"{vocabulary.name}: {term.name}",
                        self.query_string_without(vocabulary.slug, term.slug),
                    )
                )
        for kind in self.kinds:
            applied.append(
                (
                    f"Type: {ResourceKind(kind).label}",
                    self.query_string_without("kind", kind),
                )
            )
        for organisation in self.publishers:
            applied.append(
                (
                    f"Publisher: {organisation.name}",
                    self.query_string_without("publisher", organisation.slug),
                )
            )
        for value in self.access:
            applied.append(
                (
                    f"Access: {ResourceAccess(value).label}",
                    self.query_string_without("access", value),
                )
            )
        if self.year_from:
            applied.append(
                (
                    f"Published from {self.year_from}",
                    self.query_string_without("year_from"),
                )
            )
        if self.year_to:
            applied.append((f"Published to {self.year_to}", self.query_string_without("year_to")))
        return applied

    def description(self):
        """The view in words: 'for commissioners, about race or disability, of type e-learning'."""
        parts = []
        if self.text:
            parts.append(f"matching “{self.searched_for}”")
        for vocabulary in self.vocabularies:
            names = [term.name for term in self.terms[vocabulary.slug]]
            if not names:
                continue
            joined = " or ".join(names)
            if vocabulary.slug == "audience":
                parts.append(f"for {joined.lower()}")
            else:
                parts.append(f"about {joined}")
        if self.kinds:
            parts.append(
                "of type " + " or ".join(ResourceKind(kind).label.lower() for kind in self.kinds)
            )
        if self.publishers:
            parts.append("published by " + " or ".join(o.name for o in self.publishers))
        if self.access:
            parts.append(
                "with access " + " or ".join(ResourceAccess(a).label.lower() for a in self.access)
            )
        if self.year_from and self.year_to:
            parts.append(f"published {self.year_from} to {self.year_to}")
        elif self.year_from:
            parts.append(f"published in or after {self.year_from}")
        elif self.year_to:
            parts.append(f"published in or before {self.year_to}")
        return ", ".join(parts)

    def headline(self):
        """The view as a title: 'Resources about Race, for commissioners' or 'All resources'."""
        description = self.description()
        return f"Resources {description}" if description else "All resources"


@dataclass
class ViewCount:
    count: int
    new: int  # published after `since`
    problems: list  # what in the view no longer applies


def count_views(views, vocabularies):
    """Count many views at once: `views` is a list of (query string, since); returns a ViewCount
    for each, in order. One query for their publishers and one aggregate for every count,
    however many views there are."""
    params = [QueryDict(query_string) for query_string, _ in views]
    slugs = {slug for param in params for slug in param.getlist("publisher")}
    organisations = by_slug(slugs) if slugs else {}
    finders = [
        Finder(param, vocabularies, organisations=organisations, counting=True) for param in params
    ]
    counts = {}
    for number, (finder, (_, since)) in enumerate(zip(finders, views, strict=True)):
        in_view = finder.filtered()
        if in_view.query.is_empty():
            continue
        in_view = Q(pk__in=in_view.values("pk"))
        counts[f"count_{number}"] = Count("pk", filter=in_view)
        counts[f"new_{number}"] = Count("pk", filter=in_view & Q(published_at__gt=since))
    totals = Resource.objects.published().aggregate(**counts) if counts else {}
    return [
        ViewCount(totals.get(f"count_{number}", 0), totals.get(f"new_{number}", 0), finder.problems)
        for number, finder in enumerate(finders)
    ]


CATALOGUE_COUNTS = "catalogue-counts"


def count_catalogue(vocabularies):
    finder = Finder(QueryDict(), vocabularies)
    return {"total": finder.base.count(), "groups": [asdict(group) for group in finder.groups()]}


def catalogue_counts(vocabularies):
    """(published resources, every filter group with its counts) for the whole catalogue, as the
    home page and the unfiltered finder show them: kept per catalogue version in the database, so
    a request reads them with one query instead of counting every resource and term."""
    counts = kept(CATALOGUE_COUNTS, lambda: count_catalogue(vocabularies))
    return counts["total"], [Group.from_dict(group) for group in counts["groups"]]


TERM_SIZES = "term-sizes"


def count_term_sizes():
    rows = Resource.terms.through.objects.values("term").annotate(count=Count("*")).order_by()
    return {str(row["term"]): row["count"] for row in rows}


def term_sizes():
    """{term id (as text): resources tagged with it, drafts included}, kept per catalogue version
    like the catalogue counts: how specific each term is, read with one query."""
    return kept(TERM_SIZES, count_term_sizes)


ORGANISATION_SIZES = "organisation-sizes"


def count_organisation_sizes():
    rows = Resource.objects.published().values("publisher").annotate(count=Count("*")).order_by()
    return {str(row["publisher"]): row["count"] for row in rows if row["publisher"]}


def organisation_sizes():
    """{organisation id (as text): published resources it publishes}, kept per catalogue version
    like the catalogue counts: the organisations A to Z reads them with one query."""
    return kept(ORGANISATION_SIZES, count_organisation_sizes)


def keep_catalogue_counts():
    """Count the whole catalogue now (after a bulk load), so no visitor waits for it."""
    from taxonomy.models import Vocabulary

    keep(CATALOGUE_COUNTS, lambda: count_catalogue(Vocabulary.objects.prefetch_related("terms")))
    keep(TERM_SIZES, count_term_sizes)
    keep(ORGANISATION_SIZES, count_organisation_sizes)
