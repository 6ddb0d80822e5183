"""A finder view in words: its description and headline, and each applied choice with the view
without it. Pure Python: no database."""

from resources.finder.selection import Selection
from resources.models import ResourceAccess, ResourceKind


def description(selection: Selection, searched_for):
    """The view in words: 'for commissioners, about Race or Disability, of type e-learning'.
    `searched_for`: the search as made, which differs from what was typed if it was corrected."""
    parts = []
    if selection.text:
        parts.append(f"matching “{searched_for}”")
    for vocabulary in selection.vocabularies:
        names = [term.name for term in selection.chosen_terms(vocabulary.slug)]
        if not names:
            continue
        joined = " or ".join(names)
        if vocabulary.slug == "audience":
            parts.append(f"for {joined.lower()}")
        else:
            parts.append(f"about {joined}")
    if selection.kinds:
        kinds = (ResourceKind(kind).label.lower() for kind in selection.kinds)
        parts.append("of type " + " or ".join(kinds))
    if selection.publishers:
        parts.append("published by " + " or ".join(o.name for o in selection.publishers))
    if selection.access:
        access = (ResourceAccess(value).label.lower() for value in selection.access)
        parts.append("with access " + " or ".join(access))
    year_from, year_to = selection.year_from, selection.year_to
    if year_from and year_to:
        parts.append(f"published {year_from} to {year_to}")
    elif year_from:
        parts.append(f"published in or after {year_from}")
    elif year_to:
        parts.append(f"published in or before {year_to}")
    return ", ".join(parts)


def headline(selection: Selection, searched_for):
    """The view as a title: 'Resources about Race, for commissioners' or 'All resources'."""
    described = description(selection, searched_for)
    return f"Resources {described}" if described else "All resources"


def applied(selection: Selection):
    """Each applied choice, as (label, query string without it), for removing one at a time."""
    without = selection.query_string_without
    applied = []
    if selection.text:
        applied.append((f"Search: {selection.text}", without("q")))
    for vocabulary in selection.vocabularies:
        for term in selection.chosen_terms(vocabulary.slug):
            label = f"{vocabulary.name}: {term.name}"
            applied.append((label, without(vocabulary.slug, term.slug)))
    for kind in selection.kinds:
        applied.append((f"Type: {ResourceKind(kind).label}", without("kind", kind)))
    for organisation in selection.publishers:
        label = f"Publisher: {organisation.name}"
        applied.append((label, without("publisher", organisation.slug)))
    for value in selection.access:
        applied.append((f"Access: {ResourceAccess(value).label}", without("access", value)))
    if selection.year_from:
        applied.append((f"Published from {selection.year_from}", without("year_from")))
    if selection.year_to:
        applied.append((f"Published to {selection.year_to}", without("year_to")))
    return applied
