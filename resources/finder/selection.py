"""What a finder view has chosen: its query string read into a checked selection, and written
back as its canonical query string. Pure Python: no database (the caller says which terms and
publishers exist).

- A bad value is dropped with a message saying so; the rest of the view still applies.
- A value given twice counts once; tracking parameters (utm_source…) are dropped silently.
- A term's slug from before it was merged means the term it was merged into, with a notice.
- The query string is canonical: stable order, values sorted, empty values and the default sort
  dropped, so one view has one URL.
"""

import re
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from resources.models import MAX_YEAR, MIN_YEAR, ResourceAccess, ResourceKind
from resources.url_normalisation import is_tracking_parameter

# The query-string names the finder reads itself; every other name it knows is a vocabulary's.
# One list, kept in taxonomy (which may not import resources) beside the slugs it reserves.
from taxonomy.models import FINDER_PARAMETERS

FIXED_GROUPS = ["kind", "publisher", "access"]  # the filter groups that are not vocabularies
MAX_QUERY_LENGTH = 200
SORTS = {
    "relevance": "Best match",
    "newest": "Newest first",
    "title": "Title A to Z",
    "added": "Recently added",
}
AS_TYPED = "as-typed"  # ?spelling=as-typed: search the words as typed, correcting none
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


# What makes a value unreadable: control characters other than a line break, and U+FFFD, which
# stands for bytes that were not UTF-8. A regular expression's character class, the same in
# Python and in the API's OpenAPI description (ECMAScript).
UNREADABLE_CHARACTERS = r"\x00-\x09\x0b-\x1f\x7f-\x9f\ufffd"
UNREADABLE_CHARACTER = re.compile(f"[{UNREADABLE_CHARACTERS}]")


def clean_text(value):
    """`value` with whitespace collapsed and what prints nothing dropped (control and format
    characters, unassigned code points, marks of undecodable bytes), and whether it had
    unreadable characters."""
    cleaned = "".join(
        character
        for character in value
        if character.isspace() or (character.isprintable() and character != "\ufffd")
    )
    return " ".join(cleaned.split()), bool(UNREADABLE_CHARACTER.search(value))


def whole_number(text):
    """`text` as a whole number if it is written in the digits 0 to 9, else None.

    int() alone would take "²" (and then fail) and refuses more than 4,300 digits; a number too
    long to matter counts as VERY_LARGE, so a page or a year made of it is simply out of range.
    """
    if not (text.isascii() and text.isdigit()):
        return None
    digits = text.lstrip("0") or "0"
    return int(digits) if len(digits) <= 18 else VERY_LARGE


def is_plausible_year(year):
    """Whether `year` (a whole number) can be the year a resource was published."""
    return MIN_YEAR <= year <= MAX_YEAR


def read_year(text):
    """`text` as a year a resource can have been published in, else None."""
    year = whole_number(text)
    return year if year is not None and is_plausible_year(year) else None


@dataclass
class Selection:
    """The choices of one view, each checked: nothing chosen unless given."""

    vocabularies: list
    text: str = ""
    as_typed: bool = False  # correct no spelling in the search
    terms: dict = field(default_factory=dict)  # vocabulary slug -> its chosen terms
    kinds: list = field(default_factory=list)
    access: list = field(default_factory=list)
    publishers: list = field(default_factory=list)  # organisations
    year_from: int | None = None
    year_to: int | None = None
    sort: str = "title"
    problems: list = field(default_factory=list)  # sentences for the page: what was ignored
    notices: list = field(default_factory=list)  # sentences for the page: what was read anew
    bad_values: list = field(default_factory=list)  # the same problems, as Problem

    def chosen_terms(self, slug):
        return self.terms.get(slug, [])

    def chosen_values(self, name):
        """The values chosen in the group `name`, as the query string gives them (none for a
        name that is not a group, such as None)."""
        if name in self.terms:
            return {term.slug for term in self.terms[name]}
        if name == "publisher":
            return {organisation.slug for organisation in self.publishers}
        return set({"kind": self.kinds, "access": self.access}.get(name, ()))

    def has_choices(self, name):
        return bool(self.chosen_values(name))

    def chosen_groups(self):
        """The names of the groups with something chosen, in the page's order."""
        names = [vocabulary.slug for vocabulary in self.vocabularies] + FIXED_GROUPS
        return [name for name in names if self.has_choices(name)]

    def is_everything(self, *, ignoring=None):
        """Whether the view, with `ignoring`'s choices ignored, is the whole published catalogue:
        no search, no years and nothing else chosen."""
        if self.text or self.year_from or self.year_to:
            return False
        return all(name == ignoring for name in self.chosen_groups())

    @property
    def default_sort(self):
        return "relevance" if self.text else "title"

    def canonical_items(self, **changes):
        """The view as (name, value) pairs in the canonical order, with `changes` made (a value
        of None or "" drops the name)."""
        items = [("q", self.text)] if self.text else []
        if self.text and self.as_typed:
            items.append(("spelling", AS_TYPED))
        for vocabulary in self.vocabularies:
            slugs = sorted(term.slug for term in self.chosen_terms(vocabulary.slug))
            items += [(vocabulary.slug, slug) for slug in slugs]
        items += [("kind", kind) for kind in sorted(self.kinds)]
        items += [("publisher", slug) for slug in sorted(o.slug for o in self.publishers)]
        items += [("access", value) for value in sorted(self.access)]
        if self.year_from:
            items.append(("year_from", str(self.year_from)))
        if self.year_to:
            items.append(("year_to", str(self.year_to)))
        if self.sort != self.default_sort:
            items.append(("sort", self.sort))
        for name, value in changes.items():
            items = [item for item in items if item[0] != name]
            if value not in (None, ""):
                items.append((name, str(value)))
        return items

    def query_string(self, **changes):
        return urlencode(self.canonical_items(**changes))

    def query_string_as_typed(self):
        """The canonical query string of this view with the search's spelling left as typed."""
        return replace(self, as_typed=True).query_string(page=None)

    def query_string_without(self, name, value=None):
        """The canonical query string with one choice (or a whole parameter) removed; without
        the search, its spelling goes too."""
        removed = {name, "spelling"} if name == "q" else {name}
        items = [
            item
            for item in self.canonical_items()
            if not (item[0] in removed and (value is None or item[1] == value))
        ]
        return urlencode(items)


def read_selection(params, vocabularies, *, terms, find_publishers, find_former=None):
    """The selection `params` (a QueryDict) asks for. `terms`: each vocabulary's terms, by its
    slug; `find_publishers(slugs)`: the organisations among those slugs, by slug (asked only when
    the query string names a publisher); `find_former(pairs)`: for (vocabulary slug, slug) pairs
    that name no term, {pair: (the term it was merged into, the merged term's name)} (asked only
    when the query string names such a slug)."""
    return Reader(params, vocabularies, terms, find_publishers, find_former).read()


class Reader:
    """Reads a query string parameter by parameter, keeping every problem in the order found."""

    def __init__(self, params, vocabularies, terms, find_publishers, find_former):
        self.params = params
        self.terms = terms
        self.find_publishers = find_publishers
        self.find_former = find_former or (lambda pairs: {})
        self.selection = Selection(list(vocabularies))

    def read(self):
        selection = self.selection
        selection.text = self.text()
        selection.as_typed = self.as_typed()
        selection.terms = self.chosen_terms()
        selection.kinds = self.choices("kind", ResourceKind, "type of resource")
        selection.access = self.choices("access", ResourceAccess, "kind of access")
        selection.publishers = self.publishers()
        selection.year_from, selection.year_to = self.years()
        selection.sort = self.sort()
        self.report_unknown_parameters()
        return selection

    def reject(self, parameter, value, message, shown):
        """Record a bad value: `message` says what is wrong with it, `shown` (for the page) also
        what the view did instead."""
        self.selection.bad_values.append(Problem(parameter, value, message))
        self.selection.problems.append(shown)

    def ignore(self, parameter, value, message):
        """Record a value that was ignored: `message` says what is wrong with it."""
        self.reject(parameter, value, f"{message}.", f"{message}, so it was ignored.")

    def values(self, name, *, free_text=False):
        """The values given for `name`, each once. Only free text loses what prints nothing;
        a slug, a choice or a year must be what it is, so one with an invisible character in
        it is unknown, not quietly taken for another (or for none)."""
        values = []
        for raw in self.params.getlist(name):
            value, damaged = clean_text(raw)
            if not (free_text or damaged):
                value = raw.strip()
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

    def text(self):
        text = " ".join(self.values("q", free_text=True))
        if len(text) > MAX_QUERY_LENGTH:
            self.reject(
                "q",
                text,
                f"The search is longer than {MAX_QUERY_LENGTH} characters.",
                f"Your search was too long, so only its first {MAX_QUERY_LENGTH} characters were used.",
            )
            text = text[:MAX_QUERY_LENGTH].rsplit(" ", 1)[0]
        return text

    def as_typed(self):
        values = self.values("spelling")
        if values and values[0] != AS_TYPED:
            self.ignore(
                "spelling", values[0], f"“{values[0]}” is not a spelling choice (only {AS_TYPED})"
            )
        return values[:1] == [AS_TYPED]

    def chosen_terms(self):
        """Each vocabulary's chosen terms. A slug of a term merged away means the term it was
        merged into, and the page says so; one question for every such slug."""
        vocabularies = self.selection.vocabularies
        values = {vocabulary.slug: self.values(vocabulary.slug) for vocabulary in vocabularies}
        live = {name: {term.slug: term for term in self.terms[name]} for name in values}
        unknown = [
            (name, value) for name in values for value in values[name] if value not in live[name]
        ]
        former = self.find_former(unknown) if unknown else {}
        chosen = {}
        for vocabulary in vocabularies:
            terms = chosen[vocabulary.slug] = []
            for value in values[vocabulary.slug]:
                term = live[vocabulary.slug].get(value)
                if term is None and (vocabulary.slug, value) in former:
                    term, name = former[(vocabulary.slug, value)]
                    term = live[vocabulary.slug].get(term.slug, term)
                    self.selection.notices.append(f"“{name}” is now part of “{term.name}”.")
                if term is None:
                    noun = vocabulary.name.lower()
                    self.ignore(
                        vocabulary.slug, value, f"“{value}” is not a {noun} in this catalogue"
                    )
                elif term not in terms:
                    terms.append(term)
        return chosen

    def choices(self, name, choices, noun):
        chosen = []
        for value in self.values(name):
            if value in choices.values and value:
                chosen.append(value)
            else:
                self.ignore(name, value, f"“{value}” is not a {noun} we know")
        return chosen

    def publishers(self):
        slugs = self.values("publisher")
        if not slugs:
            return []
        found = self.find_publishers(slugs)
        for slug in slugs:
            if slug not in found:
                self.ignore("publisher", slug, f"“{slug}” is not a publisher in this catalogue")
        return [found[slug] for slug in slugs if slug in found]

    def year(self, name, label):
        values = self.values(name)
        if not values:
            return None
        year = read_year(values[0])
        if year is None:
            self.reject(
                name,
                values[0],
                f"“{values[0]}” is not a year between {MIN_YEAR} and {MAX_YEAR}.",
                f"“{values[0]}” is not a year between {MIN_YEAR} and {MAX_YEAR}, so “{label}” was ignored.",
            )
        return year

    def years(self):
        year_from = self.year("year_from", "published from")
        year_to = self.year("year_to", "published to")
        if year_from and year_to and year_from > year_to:
            self.reject(
                "year_from",
                str(year_from),
                f"year_from ({year_from}) is after year_to ({year_to}).",
                f"The years were the wrong way round, so we used {year_to} to {year_from}.",
            )
            year_from, year_to = year_to, year_from
        return year_from, year_to

    def sort(self):
        values = self.values("sort")
        default = self.selection.default_sort
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
        if values[0] == "relevance" and not self.selection.text:
            return "title"
        return values[0]

    def report_unknown_parameters(self):
        known = set(FINDER_PARAMETERS) | {
            vocabulary.slug for vocabulary in self.selection.vocabularies
        }
        for name in self.params:
            if name not in known and not is_tracking_parameter(name):
                shown, _ = clean_text(name)
                self.ignore(name, self.params.get(name, ""), f"“{shown}” is not a filter we know")
