"""Search without PostgreSQL (SQLite): word-start matching scored by field, with the same
operators as PostgreSQL's websearch_to_tsquery (docs/decisions/0005-search.md)."""

import operator
import re
from functools import reduce

from django.db.models import Case, Exists, IntegerField, Q, Value, When

from resources.search.outcome import SearchOutcome
from resources.search.ranking import phrase_boost, weighted_matches
from resources.search.words import read_operators, stem, uses_operators, word_weight

SCORED_FIELDS = {"title": 10, "search_keywords": 5, "search_text": 3, "summary": 1}
STRONG_FIELDS = ["title", "search_keywords"]
BETWEEN_WORDS = r"[a-z0-9]*[^a-z0-9]+"  # the rest of one word of a phrase, and what follows it


def search_portable(queryset, text, words, *, required, counting=False):
    """Rows with `required` of the `words`, or, when no row has that many, with any of them
    (`is_partial`). Typed operators mean what they mean on PostgreSQL, with no fallback."""
    conditions = [(word, word_matches(word, STRONG_FIELDS), word_matches(word)) for word in words]
    rank = (
        weighted_matches(conditions) * Value(30.0)
        + sum((word_score(word) * Value(word_weight(word)) for word in words), Value(0.0))
        + phrase_boost(text)
    )
    if uses_operators(text):
        return SearchOutcome(queryset.filter(operator_matches(text)), rank, text)
    matched = sum((indicator(condition) for _, _, condition in conditions), Value(0))
    any_word = queryset.filter(reduce(operator.or_, (condition for _, _, condition in conditions)))
    any_word = any_word.alias(matched=matched)
    matches = any_word.filter(matched__gte=required)
    if counting:
        # The fallback written into SQL, so counting many views costs no query for each.
        none_has_enough = ~Exists(matches.order_by().values("pk"))
        return SearchOutcome(
            any_word.filter(Q(matched__gte=required) | none_has_enough), rank, text
        )
    if required > 1 and not matches.exists():
        return SearchOutcome(any_word, rank, text, is_partial=True)
    return SearchOutcome(matches, rank, text)


def indicator(condition):
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def word_pattern(word):
    """Matches a word starting with the stem, so 'age' does not match 'manage'."""
    return rf"(^|[^a-z0-9]){re.escape(stem(word))}"


def phrase_pattern(words):
    """Matches the words one after the other, each starting with its stem."""
    return r"(^|[^a-z0-9])" + BETWEEN_WORDS.join(re.escape(stem(word)) for word in words)


def word_matches(word, fields=SCORED_FIELDS):
    return pattern_matches(word_pattern(word), fields)


def pattern_matches(pattern, fields=SCORED_FIELDS):
    return reduce(operator.or_, (Q(**{f"{name}__iregex": pattern}) for name in fields))


def item_matches(item):
    """A word, or a phrase (a tuple of more than one word) read from a search with operators."""
    return word_matches(item[0]) if len(item) == 1 else pattern_matches(phrase_pattern(item))


def operator_matches(text):
    """Every clause (one of its items), and none of the excluded items: websearch_to_tsquery's
    meaning of "a phrase", `or` and `-word`."""
    operators = read_operators(text)
    condition = Q()
    for clause in operators.required:
        condition &= reduce(operator.or_, (item_matches(item) for item in clause))
    for item in operators.excluded:
        condition &= ~item_matches(item)
    return condition


def word_score(word):
    pattern = word_pattern(word)
    return sum(
        (
            indicator(Q(**{f"{name}__iregex": pattern})) * Value(points)
            for name, points in SCORED_FIELDS.items()
        ),
        Value(0),
    )
