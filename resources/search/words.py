"""The words of a search, as both engines read them: which words count, which count less, and how
many of them a result must contain. Pure Python: no database."""

import math
import re
from dataclasses import dataclass, field

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
# A word written with an ampersand ("A&E", "R&D") is one word, read without it ("ae").
WORD = re.compile(r"\w+&\w+|[\w'’-]+", re.UNICODE)
AMPERSAND_WORD = re.compile(r"\b(\w+)&(\w+)\b", re.UNICODE)
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
MAX_WORDS = 6  # the most distinctive words of a long query; keeps "k of n" small


def words_of(text):
    return [word.lower().strip("'’-").replace("&", "") for word in WORD.findall(text)]


def ampersand_words(text):
    """Each word of `text` written with an ampersand, as a search reads it: "A&E" as "AE". The
    search data carries these too, so that searching "A&E" finds what is indexed as "A&E"."""
    return [first + second for first, second in AMPERSAND_WORD.findall(text)]


def meaningful_words(text):
    words = [word for word in words_of(text) if word and word not in STOP_WORDS]
    return list(dict.fromkeys(words)) or list(dict.fromkeys(words_of(text)))


def distinctive(words):
    """The words to search for: distinctive ones first, common ones only to make up the number."""
    rare = [word for word in words if word not in COMMON_WORDS]
    return set(
        rare[:MAX_WORDS] + [word for word in words if word in COMMON_WORDS][: MAX_WORDS - len(rare)]
    )


def searched_words(text):
    """The words of `text` a search looks for, in the order typed: meaningful, at most MAX_WORDS,
    the distinctive ones first."""
    words = meaningful_words(text)
    return [word for word in words if word in distinctive(words)][:MAX_WORDS]


def word_weight(word):
    return 0.3 if word in COMMON_WORDS else 1.0


def required_matches(words, typed):
    """How many of the words a result must contain. Short searches need every word; longer ones
    most of them; a question typed as a sentence ("which areas are most deprived") half."""
    if typed >= 4:
        return math.ceil(len(words) * 0.5)
    return len(words) if len(words) <= 2 else math.ceil(len(words) * 0.6)


# A token of a search with operators: -"a phrase", "a phrase" (closing quote optional), or a word.
TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass
class Operators:
    """A search with web-search operators, read as PostgreSQL's websearch_to_tsquery reads it,
    so both engines mean the same by it. Each item is a tuple of words: a phrase if more than
    one. Every clause of `required` must match (through any one of its items: `or` joins the
    items either side of it); no item of `excluded` may."""

    required: list = field(default_factory=list)
    excluded: list = field(default_factory=list)


def read_operators(text):
    operators, joining = Operators(), False
    for match in TOKEN.finditer(text):
        negated, quoted, bare = match.groups()
        if bare is not None:
            if bare.lower() == "or":
                joining = bool(operators.required)
                continue
            negated, quoted = ("-", bare[1:]) if bare.startswith("-") else ("", bare)
        item = tuple(word for word in words_of(quoted) if word)
        if len(item) == 1 and item[0] in STOP_WORDS:
            item = ()
        if not item:
            continue
        if negated:
            operators.excluded.append(item)
        elif joining:
            operators.required[-1].append(item)
        else:
            operators.required.append([item])
        joining = False
    return operators


def uses_operators(text):
    """Whether the person typed web-search operators: "a phrase", -exclude or OR."""
    return '"' in text or bool(re.search(r"(^|\s)-\w|\bor\b", text, re.IGNORECASE))


def stem(word):
    """A crude stem: enough for 'inequalities' to find 'inequality' and 'disparities'."""
    for ending, keep in (("ies", 3), ("es", 4), ("s", 4), ("ing", 5), ("ed", 5)):
        if word.endswith(ending) and len(word) - len(ending) >= keep:
            return word[: -len(ending)]
    return word
