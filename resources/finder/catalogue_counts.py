"""Counts of the whole catalogue, kept in the database per catalogue version (see
resources.caching.kept): every filter option's count, how many resources each term tags, and how
many each organisation publishes or is a partner in. A request reads each with one query; the first request after a
change counts them, or a bulk command does first (keep_catalogue_counts)."""

from collections import Counter
from dataclasses import asdict

from django.db.models import Count, F

from resources.caching import keep, kept
from resources.finder.facets import Facets, Group
from resources.finder.filtering import View
from resources.finder.selection import Selection
from resources.models import Resource
from taxonomy.models import Vocabulary

CATALOGUE_COUNTS = "catalogue-counts"
TERM_SIZES = "term-sizes"
ORGANISATION_SIZES = "organisation-sizes"


def count_catalogue(vocabularies):
    view = View(Selection(list(vocabularies)))
    total = view.base.count()
    groups = Facets(view, kept={}).groups()
    return {"total": total, "groups": [asdict(group) for group in groups]}


def catalogue_counts(vocabularies):
    """(published resources, every filter group with its counts) for the whole catalogue, as the
    home page and the unfiltered finder show them: kept per catalogue version in the database, so
    a request reads them with one query instead of counting every resource and term."""
    counts = kept(CATALOGUE_COUNTS, lambda: count_catalogue(vocabularies))
    return counts["total"], [Group.from_dict(group) for group in counts["groups"]]


def vocabulary_counts(vocabularies):
    """Each vocabulary's Group (its terms' counts of published resources, a broader term's
    including its narrower terms'), taken from the kept catalogue counts: the topic pages read
    them with one query instead of counting every term link."""
    slugs = {vocabulary.slug for vocabulary in vocabularies}
    _, groups = catalogue_counts(vocabularies)
    return [group for group in groups if group.name in slugs]


def kept_groups(selection):
    """{name: Group} for each group whose own options are counted over the whole catalogue (it
    is the only one with choices, and there is no search and no years), taken from the kept
    counts, its chosen options marked: the most common view, one term chosen from the home page,
    then counts only the other groups."""
    names = [name for name in selection.chosen_groups() if selection.is_everything(ignoring=name)]
    if not names:
        return {}
    _, groups = catalogue_counts(selection.vocabularies)
    chosen = {}
    for group in groups:
        if group.name in names:
            values = selection.chosen_values(group.name)
            for option in group.options:
                option.selected = option.value in values
            chosen[group.name] = group
    return chosen


def count_term_sizes():
    rows = Resource.terms.through.objects.values("term").annotate(count=Count("*")).order_by()
    return {str(row["term"]): row["count"] for row in rows}


def term_sizes():
    """{term id (as text): resources tagged with it, drafts included}, kept per catalogue version
    like the catalogue counts: how specific each term is, read with one query."""
    return kept(TERM_SIZES, count_term_sizes)


def count_organisation_sizes():
    """Each organisation's published resources, as its page lists them: those it publishes
    plus those it is a partner in, a resource it is both counted once."""
    published = Resource.objects.published()
    partnerships = Resource.partners.through.objects.filter(resource__in=published)
    sizes = Counter()
    for rows, column, sign in [
        (published.exclude(publisher=None), "publisher", 1),
        (partnerships, "organisation", 1),
        (partnerships.filter(resource__publisher=F("organisation")), "organisation", -1),
    ]:
        for row in rows.values(column).annotate(count=Count("*")).order_by():
            sizes[str(row[column])] += sign * row["count"]
    return {organisation: size for organisation, size in sizes.items() if size}


def organisation_sizes():
    """{organisation id (as text): its published resources, publisher or partner}, kept per
    catalogue version like the catalogue counts: the organisations A to Z reads them with one
    query. An organisation with none is not in it."""
    return kept(ORGANISATION_SIZES, count_organisation_sizes)


def keep_catalogue_counts():
    """Count the whole catalogue now (after a bulk load), so no visitor waits for it."""
    vocabularies = list(Vocabulary.objects.prefetch_related("terms"))
    keep(CATALOGUE_COUNTS, lambda: count_catalogue(vocabularies))
    keep(TERM_SIZES, count_term_sizes)
    keep(ORGANISATION_SIZES, count_organisation_sizes)
