"""Ranked search over the catalogue: title first, then keywords, term synonyms and publishers,
then the summary.

Both paths drop stop words ("how to do a health equity audit" is a search for health, equity
and audit), require most of the remaining words (all of one or two, 60% of more), rank by how
many matched and where, and put a title that contains the whole phrase first. PostgreSQL
(postgresql.py) and every other database (portable.py) each have a path of their own; both
return the matching rows annotated with `rank`, and the text actually searched for when a
correction was made.
"""

from django.db import connection
from django.db.models import Value

from resources.search.outcome import SearchOutcome
from resources.search.portable import search_portable
from resources.search.postgresql import search_postgresql
from resources.search.spelling import correct
from resources.search.words import required_matches, searched_words, uses_operators, words_of


def search(queryset, text, *, counting=False, as_typed=False):
    """`counting`: the same matches, for counting inside a larger query (saved views count many
    searches at once), so the engine decides in SQL, not with a query of its own, whether to
    fall back to rows with some of the words. `as_typed`: correct no spelling.

    A word that is neither a word of English nor of the catalogue is corrected first, the same
    way on both engines (spelling.py); the outcome's `searched_for` is then the corrected text."""
    words = searched_words(text)
    if not words:
        return SearchOutcome(queryset.none(), Value(0.0), text)
    required = required_matches(words, len(words_of(text)))
    if not (as_typed or uses_operators(text)):
        corrected = [correct(word) for word in words]
        if corrected != words:
            text, words = " ".join(corrected), corrected
    if connection.vendor == "postgresql":
        return search_postgresql(
            queryset, text, words, required=required, counting=counting, respell=not as_typed
        )
    return search_portable(queryset, text, words, required=required, counting=counting)
