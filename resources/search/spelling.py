"""Misspellings corrected against the catalogue's own words, the same way on both engines.

A word is corrected only when it is neither a word of the catalogue nor a word of English: a
person who types "nursing", "heart" or "younger" means that word, even where the catalogue does
not use it (it used to become "using", "heat" and "young"). The English words are pyspellchecker's
list (MIT), those it counts at least ENGLISH_MIN_COUNT times in its corpus of film subtitles:
rarer entries are mostly names and misspellings' twins ("costal", which someone typing "costal
communities" means as "coastal").
"""

import difflib
from bisect import bisect_left
from functools import cache

from django.core.cache import cache as shared_cache
from spellchecker import SpellChecker

from resources.models import Resource
from resources.search.words import stem, words_of

LEXICON_CACHE_KEY = "search-lexicon"
ENGLISH_MIN_COUNT = 200  # 37,000 words; "costal" has 130, "interpreting" 1,033
SHORTEST_CORRECTED = 4  # shorter words are acronyms or too short to guess from


@cache
def english_words():
    """The words of English common enough to be meant as typed (read once per process: 1 s)."""
    counts = SpellChecker(language="en").word_frequency.dictionary
    return frozenset(word for word, count in counts.items() if count >= ENGLISH_MIN_COUNT)


def lexicon():
    """Every word of the catalogue's titles and search fields, for correcting misspellings."""
    words = shared_cache.get(LEXICON_CACHE_KEY)
    if words is None:
        words = set()
        fields = Resource.objects.values_list("title", "search_keywords", "search_text")
        for texts in fields.iterator():
            for text in texts:
                words.update(words_of(text))
        words = sorted(word for word in words if len(word) > 2)
        shared_cache.set(LEXICON_CACHE_KEY, words, 600)
    return words


def forget_lexicon():
    """Drop the cached lexicon, after the words it was read from changed."""
    shared_cache.delete(LEXICON_CACHE_KEY)


def is_known(word):
    """Whether `word` is meant as typed: short, English, or a word of the catalogue (or a plural
    or other form of one)."""
    if len(word) < SHORTEST_CORRECTED or word in english_words():
        return True
    known = lexicon()
    return any(is_in(known, form) for form in (word, stem(word)))


def is_in(sorted_words, word):
    at = bisect_left(sorted_words, word)
    return at < len(sorted_words) and sorted_words[at] == word


def correct(word, candidates=None, *, cutoff=0.8):
    """The word itself if it is known, else the closest of `candidates` (the catalogue's words
    unless given), if close."""
    if is_known(word):
        return word
    candidates = lexicon() if candidates is None else candidates
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=cutoff)
    return close[0] if close else word
