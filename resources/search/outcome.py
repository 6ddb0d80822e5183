"""What a search gives the finder: the matching rows, how to rank them, the text searched for, and
for a broad search the way to its best few hundred."""

from dataclasses import dataclass, field
from itertools import chain

# A search matching more than this many resources ranks only this many of them, the likeliest
# best found through indexes (titles containing the phrase, then rows with every word), and
# says it found "500+": ranking and counting 50,000 matches took seconds, and a pool of 1,000
# took half as long again as one of 500 (docs/performance.md).
POOL_SIZE = 500


@dataclass
class SearchOutcome:
    """The matching rows (filtered through aliases, so counting them stays cheap), an expression
    to rank them by, and the text used, which differs from what was typed if it was corrected.
    `is_broad`: more than POOL_SIZE rows match, so views of them rank only `best(…)`.
    `is_partial`: no row had enough of the words, so these are the rows with any of them."""

    queryset: object
    rank: object
    searched_for: str
    is_broad: bool = False
    # Indexed conditions, best first, each with whether a row meeting it is a match by that alone
    # (then it is looked for without re-checking the search, which means reading every row's
    # vector).
    likeliest: list = field(default_factory=list)
    is_partial: bool = False

    def best(self, queryset, unsearched):
        """Up to POOL_SIZE ids of `queryset` (these matches, filtered) likeliest to rank first,
        found through indexes without ranking anything, and whether more rows matched.
        `unsearched` is the same view without the search."""
        arms = chain(  # built only as far as needed: most pools fill from the first
            (
                (unsearched if alone else queryset).filter(condition)
                for condition, alone in self.likeliest
            ),
            [queryset],
        )
        ids = []
        for arm in arms:
            room = POOL_SIZE - len(ids)
            # In id order: a total order, so the same search picks the same pool on every
            # request (unordered, a scan's rows came in whatever order it met them).
            rows = arm.exclude(pk__in=ids).order_by("pk").values_list("pk", flat=True)
            found = list(rows[: room + 1])
            if len(found) > room:
                return ids + found[:room], True
            ids += found
        return ids, False
