"""Misspellings corrected against the catalogue's own words (the SQLite path; PostgreSQL uses
trigram similarity instead)."""

import difflib

from django.core.cache import cache

from resources.models import Resource
from resources.search.words import stem, words_of

LEXICON_CACHE_KEY = "search-lexicon"


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


def forget_lexicon():
    """Drop the cached lexicon, after the words it was read from changed."""
    cache.delete(LEXICON_CACHE_KEY)


def correct(word):
    """The word itself if the catalogue uses it, else the closest catalogue word, if close."""
    known = lexicon()
    if len(word) < 4 or any(candidate.startswith(stem(word)) for candidate in known):
        return word
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.8)
    return close[0] if close else word
