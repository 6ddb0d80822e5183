"""Search on PostgreSQL: websearch_to_tsquery over the weighted, GIN-indexed vector, and trigram
similarity on titles for misspellings (docs/decisions/0005-search.md)."""

import re
from itertools import combinations

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    TrigramWordSimilarity,
)
from django.db.models import BooleanField, Exists, F, Q, Value
from django.db.models.expressions import RawSQL

from resources.caching import cached
from resources.models import Resource
from resources.search import outcome
from resources.search.ranking import phrase_boost, weighted_matches
from resources.search.spelling import correct, is_known
from resources.search.words import uses_operators, words_of

CONFIG = "english"
RESPELLING_TITLES = 10  # the titles spelt most like a search that nothing matched, to respell it by
RESPELLING_CUTOFF = 0.6  # how like a word of those titles a typed word must be (difflib's ratio)
PLAIN_WORD = re.compile(r"[a-z0-9]+")  # safe to write into a raw tsquery


def title_has_words(text):
    """The title contains every word of websearch_to_tsquery(`text`), answered from the index
    of the title's words (migration 0013), which the expression must match exactly."""
    column = f'"{Resource._meta.db_table}"."title"'
    return RawSQL(
        f"to_tsvector('{CONFIG}'::regconfig, {column}) @@ websearch_to_tsquery('{CONFIG}'::regconfig, %s)",
        [text],
        output_field=BooleanField(),
    )


def search_postgresql(queryset, text, words, *, required, counting=False, respell=True):
    """websearch_to_tsquery over the weighted, GIN-indexed vector. "`required` of the words" is
    written as the query itself (any 2 of a, b, c is `a b or a c or b c`), so the index does the
    matching; typed operators mean what they say. When no row has enough of the words, a word
    still unknown is respelt like the titles spelt most like the search (trigram similarity) and
    that is searched for (unless not to `respell`); failing that, the rows with any of the
    words (`is_partial`)."""
    operators = uses_operators(text)
    if operators:
        query = SearchQuery(text, search_type="websearch", config=CONFIG)
    else:
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
    likeliest = [
        (title_has_words(" ".join(words)), not operators),
        (Q(search_vector=all_words), not operators),
    ]
    partial = queryset.filter(search_vector=any_word)
    if counting and not operators:
        # The rule below written into SQL, so counting many views costs no query for each: enough
        # of the words, or else any of them. Each side is its own subquery so each can use its
        # index; the fallback is gated by a NOT EXISTS that PostgreSQL evaluates once.
        fallback = partial.filter(~Exists(matches))
        matches = queryset.filter(Q(pk__in=matches.values("pk")) | Q(pk__in=fallback.values("pk")))
        return outcome.SearchOutcome(matches, rank, text)
    found = capped_count(matches)
    is_partial = False
    if not found and not operators:
        respelt = respelt_like_titles(queryset, text, words) if respell else words
        if respelt != words:
            return search_postgresql(queryset, " ".join(respelt), respelt, required=required)
        if required > 1:
            matches, is_partial = partial, True
            found = capped_count(matches)
    return outcome.SearchOutcome(
        matches, rank, text, found > outcome.POOL_SIZE, likeliest, is_partial
    )


def respelt_like_titles(queryset, text, words):
    """The trigram rescue: each word that is neither English nor the catalogue's, respelt as the
    closest word of the titles spelt most like the search. Those titles are taken most similar
    first, then by id: a total order, so the same search is respelt the same way every time
    (taking the first few found, in whatever order a scan met them, gave a different page on
    each request)."""
    if all(is_known(word) for word in words):
        return words
    titles = (
        queryset.filter(title__trigram_word_similar=text)
        .annotate(similarity=TrigramWordSimilarity(Value(text), "title"))
        .order_by("-similarity", "pk")
        .values_list("title", flat=True)[:RESPELLING_TITLES]
    )
    candidates = sorted({word for title in titles for word in words_of(title)})
    return [correct(word, candidates, cutoff=RESPELLING_CUTOFF) for word in words]


def capped_count(queryset):
    """How many rows match, counting no further than one past POOL_SIZE."""
    capped = queryset.order_by()[: outcome.POOL_SIZE + 1]
    return cached("search-found", str(capped.query), capped.count)
