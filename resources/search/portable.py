"""Search without PostgreSQL (SQLite): word-start matching scored by field, with misspelt words
corrected against the catalogue's own words first (docs/decisions/0005-search.md)."""

import operator
import re
from functools import reduce

from django.db.models import Case, IntegerField, Q, Value, When

from resources.search.outcome import SearchOutcome
from resources.search.ranking import phrase_boost, weighted_matches
from resources.search.spelling import correct
from resources.search.words import required_matches, stem, word_weight, words_of

SCORED_FIELDS = {"title": 10, "search_keywords": 5, "search_text": 3, "summary": 1}
STRONG_FIELDS = ["title", "search_keywords"]


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


def word_pattern(word):
    """Matches a word starting with the stem, so 'age' does not match 'manage'."""
    return rf"(^|[^a-z0-9]){re.escape(stem(word))}"


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
