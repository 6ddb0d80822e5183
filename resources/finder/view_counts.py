"""Counting many saved views at once: how many resources each has, and how many are new."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.http import QueryDict

from resources.finder.finder import Finder, by_slug
from resources.models import Resource
from taxonomy.models import former_terms


@dataclass
class ViewCount:
    count: int
    new: int  # published after `since`
    problems: list  # what in the view no longer applies


def count_views(views, vocabularies):
    """Count many views at once: `views` is a list of (query string, since); returns a ViewCount
    for each, in order. One query for their publishers, one for slugs of terms merged away (if
    any is named) and one aggregate for every count, however many views there are."""
    params = [QueryDict(query_string) for query_string, _ in views]
    slugs = {slug for param in params for slug in param.getlist("publisher")}
    organisations = by_slug(slugs) if slugs else {}
    live = {
        (vocabulary.slug, term.slug)
        for vocabulary in vocabularies
        for term in vocabulary.terms.all()
    }
    named = {
        (vocabulary.slug, value)
        for param in params
        for vocabulary in vocabularies
        for value in param.getlist(vocabulary.slug)
    }
    former = former_terms(named - live)
    finders = [
        Finder(param, vocabularies, organisations=organisations, former=former, counting=True)
        for param in params
    ]
    counts = {}
    for number, (finder, (_, since)) in enumerate(zip(finders, views, strict=True)):
        in_view = finder.filtered()
        if in_view.query.is_empty():
            continue
        in_view = Q(pk__in=in_view.values("pk"))
        counts[f"count_{number}"] = Count("pk", filter=in_view)
        counts[f"new_{number}"] = Count("pk", filter=in_view & Q(published_at__gt=since))
    totals = Resource.objects.published().aggregate(**counts) if counts else {}
    return [
        ViewCount(totals.get(f"count_{number}", 0), totals.get(f"new_{number}", 0), finder.problems)
        for number, finder in enumerate(finders)
    ]
