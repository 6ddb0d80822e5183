"""The finder: one set of rules for turning a query string into a view of the catalogue
(docs/decisions/0004-finder.md).

- selection.py reads the query string into checked choices and writes the canonical one back;
- description.py says the view in words;
- filtering.py picks out the resources in view, with each group's choices applied or ignored;
- facets.py counts every filter option, ids.py sends a list of ids as one parameter;
- catalogue_counts.py keeps the whole catalogue's counts per catalogue version;
- finder.py is the one object callers use; view_counts.py counts many saved views at once.
"""

from resources.finder.catalogue_counts import (
    catalogue_counts,
    keep_catalogue_counts,
    organisation_sizes,
    term_sizes,
    vocabulary_counts,
)
from resources.finder.filtering import tagged_with
from resources.finder.finder import Finder
from resources.finder.selection import (
    AS_TYPED,
    FINDER_PARAMETERS,
    MAX_QUERY_LENGTH,
    MAX_YEAR,
    MIN_YEAR,
    SORTS,
    UNREADABLE,
    UNREADABLE_CHARACTERS,
    VERY_LARGE,
    Problem,
    clean_text,
    is_plausible_year,
    read_year,
    whole_number,
)
from resources.finder.view_counts import count_views

__all__ = [
    "AS_TYPED",
    "FINDER_PARAMETERS",
    "MAX_QUERY_LENGTH",
    "MAX_YEAR",
    "MIN_YEAR",
    "SORTS",
    "UNREADABLE",
    "UNREADABLE_CHARACTERS",
    "VERY_LARGE",
    "Finder",
    "Problem",
    "catalogue_counts",
    "clean_text",
    "count_views",
    "is_plausible_year",
    "keep_catalogue_counts",
    "organisation_sizes",
    "read_year",
    "tagged_with",
    "term_sizes",
    "vocabulary_counts",
    "whole_number",
]
