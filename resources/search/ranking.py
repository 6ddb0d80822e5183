"""What both engines rank by: how well a row covers the searched words, and the typed phrase in
its title."""

from django.db.models import Case, FloatField, Value, When

from resources.search.words import word_weight

PHRASE_BOOST = 50.0
LOW_FIELD_SHARE = 0.4


def weighted_matches(conditions):
    """The sum of each word's weight where its condition holds: how well a row covers the query.
    A word found only in the term names, partners or summary (not the title, other titles,
    keywords or publisher) counts LOW_FIELD_SHARE of its weight: the title matters most."""
    return sum(
        (
            Case(
                When(strong, then=Value(word_weight(word))),
                When(anywhere, then=Value(word_weight(word) * LOW_FIELD_SHARE)),
                default=Value(0.0),
                output_field=FloatField(),
            )
            for word, strong, anywhere in conditions
        ),
        Value(0.0),
    )


def phrase_boost(text):
    """A title (or, less so, a keyword or other title) containing what was typed comes first."""
    phrase = text.strip()
    return Case(
        When(title__icontains=phrase, then=Value(PHRASE_BOOST)),
        When(search_keywords__icontains=phrase, then=Value(PHRASE_BOOST / 2)),
        default=Value(0.0),
        output_field=FloatField(),
    )
