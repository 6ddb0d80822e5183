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
from resources.search.words import searched_words


def search(queryset, text, *, counting=False):
    """`counting`: the same matches, for counting inside a larger query (saved views count many
    searches at once), so PostgreSQL decides in SQL, not with a query of its own, whether to
    fall back to similar spellings."""
    words = searched_words(text)
    if not words:
        return SearchOutcome(queryset.none(), Value(0.0), text)
    if connection.vendor == "postgresql":
        return search_postgresql(queryset, text, words, counting=counting)
    return search_portable(queryset, text, words)
