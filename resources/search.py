"""Ranked search over the catalogue: title first, then keywords, term synonyms and publishers,
then the summary.

Both paths drop stop words ("how to do a health equity audit" is a search for health, equity
and audit), require most of the remaining words (all of one or two, 60% of more), rank by how
many matched and where, and put a title that contains the whole phrase first.

PostgreSQL uses a weighted tsvector (GIN-indexed, queried with websearch_to_tsquery, so typed
operators such as quotes and -word work) and trigram similarity for misspellings. SQLite has a
path of its own: word-start matching scored by field, with misspelt words corrected against the
catalogue's own vocabulary. Both return the matching rows annotated with `rank`, and the text
actually searched for when a correction was made.
"""

import difflib
import math
import operator
import re
from dataclasses import dataclass, field
from functools import reduce
from itertools import chain, combinations

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    FloatField,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models.expressions import RawSQL

from resources.caching import cached, catalogue_changed
from resources.models import Resource

BATCH_SIZE = 2000
ANALYZE_AFTER = 500  # resources indexed at once
# Words that carry no meaning in a search ("how to do a health equity audit"): PostgreSQL's
# English (Snowball) stop words, so both databases ignore the same words.
STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its itself
    just me more most my myself no nor not now of off on once only or other our ours ourselves out
    over own same she should so some such than that the their theirs them themselves then there
    these they this those through to too under until up very was we were what when where which
    while who whom why will with would you your yours yourself yourselves""".split()
)
WORD = re.compile(r"[\w'’-]+", re.UNICODE)
PLAIN_WORD = re.compile(r"[a-z0-9]+")  # safe to write into a raw tsquery
# Words nearly every resource here contains: they still count, but less than a distinctive one.
COMMON_WORDS = frozenset(
    [
        "health",
        "inequalities",
        "inequality",
        "inequities",
        "disparities",
        "help",
        "reduce",
        "reducing",
        "reduction",
        "tackle",
        "tackling",
        "improve",
        "improving",
        "care",
        "people",
        "guide",
        "guidance",
        "role",
        "action",
        "approach",
        "approaches",
    ]
)
PHRASE_BOOST = 50.0
LOW_FIELD_SHARE = 0.4
MAX_WORDS = 6  # the most distinctive words of a long query; keeps "k of n" small
CONFIG = "english"
LEXICON_CACHE_KEY = "search-lexicon"
# A search matching more than this many resources ranks only this many of them, the likeliest
# best found through indexes (titles containing the phrase, then rows with every word), and
# says it found "500+": ranking and counting 50,000 matches took seconds, and a pool of 1,000
# took half as long again as one of 500 (docs/performance.md).
POOL_SIZE = 500


def compose_search_fields(resource):
    """The second- and third-weight text of a resource (see Resource.search_keywords)."""
    keywords = [
        *resource.alternative_titles.splitlines(),
        *(tag.name for tag in resource.keywords.all()),
    ]
    related = []
    for term in resource.terms.all():
        related += [term.name, *term.synonym_list]
    for partner in resource.partners.all():
        related += [partner.name, partner.acronym]
    publisher = resource.publisher
    if publisher is not None:
        keywords += [publisher.name, publisher.acronym]
        if publisher.current != publisher:
            related += [publisher.current.name, publisher.current.acronym]
    return join_unique(keywords), join_unique(related)


def join_unique(parts):
    return " ".join(dict.fromkeys(part.strip() for part in parts if part and part.strip()))


def index_resources(queryset=None):
    """Recompute the search data of `queryset` (all resources when None). Returns the count."""
    queryset = Resource.objects.all() if queryset is None else queryset
    rows = queryset.order_by("pk").select_related("publisher__succeeded_by__succeeded_by")
    rows = rows.prefetch_related("keywords", "terms", "partners")
    count, last_pk = 0, 0
    while batch := list(rows.filter(pk__gt=last_pk)[:BATCH_SIZE]):
        last_pk = batch[-1].pk
        for resource in batch:
            resource.search_keywords, resource.search_text = compose_search_fields(resource)
        Resource.objects.bulk_update(batch, ["search_keywords", "search_text"])
        if connection.vendor == "postgresql":
            Resource.objects.filter(pk__in=[resource.pk for resource in batch]).update(
                search_vector=SearchVector("title", weight="A", config=CONFIG)
                + SearchVector("search_keywords", weight="B", config=CONFIG)
                + SearchVector("search_text", weight="C", config=CONFIG)
                + SearchVector("summary", weight="D", config=CONFIG)
            )
        count += len(batch)
    if connection.vendor == "postgresql" and count >= ANALYZE_AFTER:
        # Fresh statistics, or the planner misjudges every search after a bulk load.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Resource._meta.db_table}")
    cache.delete(LEXICON_CACHE_KEY)
    catalogue_changed()
    if count >= ANALYZE_AFTER:
        # A bulk load: count the whole catalogue now rather than in a visitor's request.
        from resources.finder import keep_catalogue_counts  # the finder imports this module

        keep_catalogue_counts()
    return count


@dataclass
class SearchOutcome:
    """The matching rows (filtered through aliases, so counting them stays cheap), an expression
    to rank them by, and the text used, which differs from what was typed if it was corrected.
    `is_broad`: more than POOL_SIZE rows match, so views of them rank only `best(…)`."""

    queryset: object
    rank: object
    searched_for: str
    is_broad: bool = False
    # Indexed conditions, best first, each with whether a row meeting it is a match by that alone
    # (then it is looked for without re-checking the search, which means reading every row's
    # vector).
    likeliest: list = field(default_factory=list)

    def best(self, queryset, unsearched):
        """Up to POOL_SIZE ids of `queryset` (these matches, filtered) likeliest to rank first,
        found through indexes without ranking anything, and whether more rows matched.
        `unsearched` is the same view without the search."""
        arms = chain(  # built only as far as needed: most pools fill from the first
            (
                (unsearched if alone else queryset).filter(condition)
                for condition, alone in self.likeliest
            ),
            [queryset],
        )
        ids = []
        for arm in arms:
            room = POOL_SIZE - len(ids)
            rows = arm.exclude(pk__in=ids).order_by().values_list("pk", flat=True)
            found = list(rows[: room + 1])
            if len(found) > room:
                return ids + found[:room], True
            ids += found
        return ids, False


def title_has_words(text):
    """The title contains every word of websearch_to_tsquery(`text`), answered from the index
    of the title's words (migration 0013), which the expression must match exactly."""
    column = f'"{Resource._meta.db_table}"."title"'
    return RawSQL(
        f"to_tsvector('{CONFIG}'::regconfig, {column}) @@ websearch_to_tsquery('{CONFIG}'::regconfig, %s)",
        [text],
        output_field=BooleanField(),
    )


def words_of(text):
    return [word.lower().strip("'’-") for word in WORD.findall(text)]


def meaningful_words(text):
    words = [word for word in words_of(text) if word and word not in STOP_WORDS]
    return list(dict.fromkeys(words)) or list(dict.fromkeys(words_of(text)))


def distinctive(words):
    """The words to search for: distinctive ones first, common ones only to make up the number."""
    rare = [word for word in words if word not in COMMON_WORDS]
    return set(
        rare[:MAX_WORDS] + [word for word in words if word in COMMON_WORDS][: MAX_WORDS - len(rare)]
    )


def word_weight(word):
    return 0.3 if word in COMMON_WORDS else 1.0


def weighted_matches(conditions):
    """The sum of each word's weight where its condition holds: how well a row covers the query.
    A word found only in the term names, partners or summary (not the title, other titles,
    keywords or publisher) counts LOW_FIELD_SHARE of its weight: the title matters most."""
    return sum(
        (
            Case(
                When(strong, then=Value(word_weight(word))),
                When(anywhere, then=Value(word_weight(word) * LOW_FIELD_SHARE)),
                default=Value(0.0),
                output_field=FloatField(),
            )
            for word, strong, anywhere in conditions
        ),
        Value(0.0),
    )


def required_matches(words, typed):
    """How many of the words a result must contain. Short searches need every word; longer ones
    most of them; a question typed as a sentence ("which areas are most deprived") half."""
    if typed >= 4:
        return math.ceil(len(words) * 0.5)
    return len(words) if len(words) <= 2 else math.ceil(len(words) * 0.6)


def search(queryset, text, *, counting=False):
    """`counting`: the same matches, for counting inside a larger query (saved views count many
    searches at once), so PostgreSQL decides in SQL, not with a query of its own, whether to
    fall back to similar spellings."""
    words = meaningful_words(text)
    words = [word for word in words if word in distinctive(words)][:MAX_WORDS]
    if not words:
        return SearchOutcome(queryset.none(), Value(0.0), text)
    if connection.vendor == "postgresql":
        return search_postgresql(queryset, text, words, counting=counting)
    return search_portable(queryset, text, words)


def phrase_boost(text):
    """A title (or, less so, a keyword or other title) containing what was typed comes first."""
    phrase = text.strip()
    return Case(
        When(title__icontains=phrase, then=Value(PHRASE_BOOST)),
        When(search_keywords__icontains=phrase, then=Value(PHRASE_BOOST / 2)),
        default=Value(0.0),
        output_field=FloatField(),
    )


def uses_operators(text):
    """Whether the person typed web-search operators: "a phrase", -exclude or OR."""
    return '"' in text or bool(re.search(r"(^|\s)-\w|\bor\b", text, re.IGNORECASE))


def search_postgresql(queryset, text, words, *, counting=False):
    """websearch_to_tsquery over the weighted, GIN-indexed vector. "Most of the words" is written
    as the query itself (any 2 of a, b, c is `a b or a c or b c`), so the index does the matching;
    typed operators mean what they say. Only when that finds nothing does trigram similarity on
    titles come in, to rescue misspellings: as a first resort it re-checks nearly every title."""
    if uses_operators(text):
        query = SearchQuery(text, search_type="websearch", config=CONFIG)
    else:
        required = required_matches(words, len(words_of(text)))
        either = " or ".join(" ".join(group) for group in combinations(words, required))
        query = SearchQuery(either, search_type="websearch", config=CONFIG)
    any_word = SearchQuery(" or ".join(words), search_type="websearch", config=CONFIG)
    conditions = [
        (
            word,
            Q(search_vector=SearchQuery(f"{word}:AB", search_type="raw", config=CONFIG))
            if PLAIN_WORD.fullmatch(word)
            else Q(pk=None),
            Q(search_vector=SearchQuery(word, search_type="websearch", config=CONFIG)),
        )
        for word in words
    ]
    matches = queryset.filter(search_vector=query)
    rank = (
        weighted_matches(conditions) * Value(10.0)
        + SearchRank(F("search_vector"), any_word, cover_density=True, normalization=Value(32))
        * Value(4.0)
        + phrase_boost(text)
    )
    all_words = SearchQuery(" ".join(words), search_type="websearch", config=CONFIG)
    # Every word in the title, then every word anywhere. Either means a match, unless operators
    # ("-word") can rule a row out: then the search itself is checked too.
    alone = not uses_operators(text)
    likeliest = [(title_has_words(" ".join(words)), alone), (Q(search_vector=all_words), alone)]
    similar = Q(title__trigram_word_similar=text)
    if counting:
        # The rule below written into SQL, so counting many views costs no query for each: the
        # typed words, or else similar spellings. Each side is its own subquery so each can use
        # its index; the fallback is gated by a NOT EXISTS that PostgreSQL evaluates once.
        fallback = queryset.filter(Q(search_vector=any_word) | similar).filter(~Exists(matches))
        matches = queryset.filter(Q(pk__in=matches.values("pk")) | Q(pk__in=fallback.values("pk")))
        return SearchOutcome(matches, rank, text)
    found = capped_count(matches)
    if not found:
        # Nothing has the words as typed: look for titles that are spelt nearly like the search.
        similarity = TrigramWordSimilarity(Value(text), "title")
        matches = queryset.filter(Q(search_vector=any_word) | similar)
        rank = rank + similarity * Value(20.0)
        likeliest = [(similar, True), *likeliest]  # `matches` includes every similar title
        found = capped_count(matches)
    return SearchOutcome(matches, rank, text, found > POOL_SIZE, likeliest)


def capped_count(queryset):
    """How many rows match, counting no further than one past POOL_SIZE."""
    capped = queryset.order_by()[: POOL_SIZE + 1]
    return cached("search-found", str(capped.query), capped.count)


def search_portable(queryset, text, words):
    corrected = [correct(word) for word in words]
    searched_for = " ".join(corrected) if corrected != words else text
    conditions = [
        (word, word_matches(word, STRONG_FIELDS), word_matches(word)) for word in corrected
    ]
    matched = sum((indicator(condition) for _, _, condition in conditions), Value(0))
    score = sum((word_score(word) * Value(word_weight(word)) for word in corrected), Value(0.0))
    matches = (
        queryset.filter(reduce(operator.or_, (condition for _, _, condition in conditions)))
        .alias(matched=matched)
        .filter(matched__gte=required_matches(corrected, len(words_of(text))))
    )
    rank = weighted_matches(conditions) * Value(30.0) + score + phrase_boost(searched_for)
    return SearchOutcome(matches, rank, searched_for)


def indicator(condition):
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def stem(word):
    """A crude stem: enough for 'inequalities' to find 'inequality' and 'disparities'."""
    for ending, keep in (("ies", 3), ("es", 4), ("s", 4), ("ing", 5), ("ed", 5)):
        if word.endswith(ending) and len(word) - len(ending) >= keep:
            return word[: -len(ending)]
    return word


def word_pattern(word):
    """Matches a word starting with the stem, so 'age' does not match 'manage'."""
    return rf"(^|[^a-z0-9]){re.escape(stem(word))}"


SCORED_FIELDS = {"title": 10, "search_keywords": 5, "search_text": 3, "summary": 1}


STRONG_FIELDS = ["title", "search_keywords"]


def word_matches(word, fields=SCORED_FIELDS):
    pattern = word_pattern(word)
    return reduce(operator.or_, (Q(**{f"{name}__iregex": pattern}) for name in fields))


def word_score(word):
    pattern = word_pattern(word)
    return sum(
        (
            indicator(Q(**{f"{name}__iregex": pattern})) * Value(points)
            for name, points in SCORED_FIELDS.items()
        ),
        Value(0),
    )


def lexicon():
    """Every word of the catalogue's titles and search fields, for correcting misspellings."""
    words = cache.get(LEXICON_CACHE_KEY)
    if words is None:
        words = set()
        fields = Resource.objects.values_list("title", "search_keywords", "search_text")
        for texts in fields.iterator():
            for text in texts:
                words.update(words_of(text))
        words = sorted(word for word in words if len(word) > 2)
        cache.set(LEXICON_CACHE_KEY, words, 600)
    return words


def correct(word):
    """The word itself if the catalogue uses it, else the closest catalogue word, if close."""
    known = lexicon()
    if len(word) < 4 or any(candidate.startswith(stem(word)) for candidate in known):
        return word
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.8)
    return close[0] if close else word
