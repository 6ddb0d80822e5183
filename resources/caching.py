"""Cache what is expensive to count, keyed by the catalogue's version.

Every write to the catalogue (resources, their terms, keywords and partners, terms, vocabularies,
organisations) bumps the version (see resources/signals.py), so a cached count is never stale:
the next request simply computes under the new version. Production needs a cache shared by all
processes (CACHE_URL=redis://…); the default in-process cache suits one process.
"""

import hashlib
import time
from collections.abc import Sequence

from django.core.cache import cache

VERSION_KEY = "catalogue-version"
TIMEOUT = 60 * 60


def catalogue_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns(), None)
        version = cache.get(VERSION_KEY)
    return version


def catalogue_changed():
    cache.set(VERSION_KEY, time.time_ns(), None)


def cached(name, key, compute):
    """`compute()` once per catalogue version and key (any length: it is hashed)."""
    digest = hashlib.sha256(str(key).encode()).hexdigest()
    return cache.get_or_set(f"{name}:{catalogue_version()}:{digest}", compute, TIMEOUT)


class CachedResults(Sequence):
    """A queryset's count and pages of ids, cached; what Paginator needs and nothing more."""

    def __init__(self, queryset, key, fetch):
        self.queryset = queryset
        self.key = key
        self.fetch = fetch  # ids -> the rows to show, in that order

    def count(self):
        return cached("results-count", self.key, self.queryset.count)

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        ids = cached(
            "results-ids",
            f"{self.key}:{start}:{stop}",
            lambda: list(self.queryset.values_list("pk", flat=True)[start:stop]),
        )
        return self.fetch(ids)
