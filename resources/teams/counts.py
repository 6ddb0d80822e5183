"""Live counts for saved views: how many resources each has, and how many are new."""

from resources.finder import count_views
from taxonomy.models import vocabularies_with_terms


def with_counts(views):
    """The views, each with its live `result_count`, `new_count` (published since the person
    last opened it, or since it was saved) and `problems`: a fixed number of queries in all."""
    views = list(views)
    counts = count_views(
        [(view.query_string, view.last_opened_at or view.created_at) for view in views],
        vocabularies_with_terms(),
    )
    for view, counted in zip(views, counts, strict=True):
        view.result_count, view.new_count, view.problems = (
            counted.count,
            counted.new,
            counted.problems,
        )
    return views
