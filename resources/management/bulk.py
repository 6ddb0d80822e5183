"""What a bulk command does after writing many rows outside the app's own writes: the only place
the planner's statistics and the whole catalogue's counts are refreshed
(docs/decisions/0012-search-indexing.md)."""

from resources.finder import keep_catalogue_counts
from resources.search import index_resources, refresh_statistics


def index_and_recount(queryset=None):
    """Index `queryset` (every resource when None) for search, refresh the planner's statistics,
    and count the whole catalogue now, so no visitor waits for it. Returns how many were indexed."""
    count = index_resources(queryset)
    refresh_statistics()
    keep_catalogue_counts()
    return count
