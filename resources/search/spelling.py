"""Misspellings corrected against the catalogue's own words, the same way on both engines.

A word is corrected only when it is neither a word of the catalogue nor a word of English: a
person who types "nursing", "heart" or "younger" means that word, even where the catalogue does
not use it (it used to become "using", "heat" and "young"). The English words are pyspellchecker's
list (MIT), those it counts at least ENGLISH_MIN_COUNT times in its corpus of film subtitles:
rarer entries are mostly names and misspellings' twins ("costal", which someone typing "costal
communities" means as "coastal").

The catalogue's words are kept in a table (SearchWord) as resources are indexed, so a typed word
is checked with one indexed lookup and corrected from the few words spelt like it: reading every
resource's text for them took seconds at 20,000 resources (docs/performance.md). A word that no
resource uses any more stays until everything is indexed again (`reindex_search`): it can only
keep a typed word from being corrected to something else, never correct one to it wrongly.
"""

import difflib
from functools import cache

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection, transaction
from django.db.models.functions import Length
from spellchecker import SpellChecker

from resources.models import SearchWord
from resources.search.words import stem, words_of

ENGLISH_MIN_COUNT = 200  # 37,000 words; "costal" has 130, "interpreting" 1,033
SHORTEST_CORRECTED = 4  # shorter words are acronyms or too short to guess from
SHORTEST_KEPT = 3  # the catalogue's shorter words are not worth correcting to
LONGEST_KEPT = 100  # SearchWord.word's length: longer "words" are not words anyone types
CLOSE_WORDS = 50  # the catalogue's words spelt most like a typed word, to correct it from
ROWS_AT_ONCE = 5000  # resources read at a time when their words are kept


@cache
def english_words():
    """The words of English common enough to be meant as typed (read once per process: 1 s)."""
    counts = SpellChecker(language="en").word_frequency.dictionary
    return frozenset(word for word, count in counts.items() if count >= ENGLISH_MIN_COUNT)


def keep_words(queryset):
    """Add the words of these resources' titles and search data to the catalogue's words."""
    texts = queryset.order_by().values_list("title", "search_keywords", "search_text")
    words = set()
    for row in texts.iterator(chunk_size=ROWS_AT_ONCE):
        for text in row:
            words.update(word for word in words_of(text) if is_worth_keeping(word))
    SearchWord.objects.bulk_create(
        [SearchWord(word=word) for word in sorted(words)],
        batch_size=ROWS_AT_ONCE,
        ignore_conflicts=True,
    )


def is_worth_keeping(word):
    return SHORTEST_KEPT <= len(word) <= LONGEST_KEPT


def keep_only_words(queryset):
    """Make the catalogue's words exactly those of `queryset` (every resource, after indexing
    them all), dropping words no resource uses any more."""
    with transaction.atomic():
        SearchWord.objects.all().delete()
        keep_words(queryset)


def is_known(word):
    """Whether `word` is meant as typed: short, English, or a word of the catalogue (or a plural
    or other form of one)."""
    if len(word) < SHORTEST_CORRECTED or word in english_words():
        return True
    return SearchWord.objects.filter(word__in={word, stem(word)}).exists()


def close_words(word):
    """The catalogue's words that might be within difflib's reach of `word`: on PostgreSQL the
    CLOSE_WORDS most alike in trigrams (an indexed lookup); elsewhere (small catalogues) every
    word of a length a ratio of 0.8 allows."""
    words = SearchWord.objects.values_list("word", flat=True)
    if connection.vendor == "postgresql":
        alike = words.filter(word__trigram_similar=word)
        alike = alike.annotate(similarity=TrigramSimilarity("word", word))
        return list(alike.order_by("-similarity", "word")[:CLOSE_WORDS])
    shortest, longest = (len(word) * 2 + 2) // 3, len(word) * 3 // 2
    return list(words.alias(length=Length("word")).filter(length__range=(shortest, longest)))


def correct(word, candidates=None, *, cutoff=0.8):
    """The word itself if it is known, else the closest of `candidates` (the catalogue's words
    spelt like it, unless given), if close."""
    if is_known(word):
        return word
    candidates = close_words(word) if candidates is None else candidates
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=cutoff)
    return close[0] if close else word
