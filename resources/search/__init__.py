"""Search: querying (query.py, with a path for PostgreSQL and a portable one, and spelling
correction) apart from indexing (indexing.py). Nothing here knows the finder."""

from resources.search.indexing import compose_search_fields, index_resources, refresh_statistics
from resources.search.query import search

__all__ = [
    "compose_search_fields",
    "index_resources",
    "refresh_statistics",
    "search",
]
