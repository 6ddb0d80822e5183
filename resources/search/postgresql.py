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
from resources.search.words import required_matches, uses_operators, words_of

CONFIG = "english"
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
        return outcome.SearchOutcome(matches, rank, text)
    found = capped_count(matches)
    if not found:
        # Nothing has the words as typed: look for titles that are spelt nearly like the search.
        similarity = TrigramWordSimilarity(Value(text), "title")
        matches = queryset.filter(Q(search_vector=any_word) | similar)
        rank = rank + similarity * Value(20.0)
        likeliest = [(similar, True), *likeliest]  # `matches` includes every similar title
        found = capped_count(matches)
    return outcome.SearchOutcome(matches, rank, text, found > outcome.POOL_SIZE, likeliest)


def capped_count(queryset):
    """How many rows match, counting no further than one past POOL_SIZE."""
    capped = queryset.order_by()[: outcome.POOL_SIZE + 1]
    return cached("search-found", str(capped.query), capped.count)
