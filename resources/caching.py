"""Cache what is expensive to count, keyed by the catalogue's version.

Every write to the catalogue (resources, their terms, keywords and partners, terms, vocabularies,
organisations) bumps the version once its transaction commits (see resources/signals.py), so a
cached count is never stale: the next request simply computes under the new version. Production needs a cache shared by all
processes (CACHE_URL=redis://…); the default in-process cache suits one process.
"""

import hashlib
import time
from collections.abc import Sequence

from django.core.cache import cache
from django.db.models import F, Subquery
from django.utils import timezone

from resources.models import CatalogueSnapshot, CatalogueVersion

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
    if not CatalogueVersion.objects.update(number=F("number") + 1):
        CatalogueVersion.objects.get_or_create(pk=1, defaults={"number": 1})


def database_version():
    return CatalogueVersion.objects.get_or_create(pk=1)[0].number


def kept(name, compute):
    """`compute()` (JSON-serialisable) once per catalogue version, kept in the database as well as
    the cache: every process shares it, it survives restarts and a cache flush, and reading it is
    one query. The first request after a change computes it (or `keep()` does, after bulk loads)."""

    def load():
        current = CatalogueVersion.objects.values("number")[:1]
        value = (
            CatalogueSnapshot.objects.filter(name=name, version=Subquery(current))
            .values_list("value", flat=True)
            .first()
        )
        return keep(name, compute) if value is None else value

    return cached(f"kept-{name}", "", load)


def keep(name, compute):
    """Compute and store the snapshot `name` for the catalogue as it is now."""
    version = database_version()
    value = compute()
    CatalogueSnapshot.objects.bulk_create(
        [CatalogueSnapshot(name=name, version=version, value=value, computed_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["name"],
        update_fields=["version", "value", "computed_at"],
    )
    return value


def cached(name, key, compute):
    """`compute()` once per catalogue version and key (any length: it is hashed)."""
    digest = hashlib.sha256(str(key).encode()).hexdigest()
    return cache.get_or_set(f"{name}:{catalogue_version()}:{digest}", compute, TIMEOUT)


class CachedResults(Sequence):
    """A queryset's count and pages of ids, cached; what Paginator needs and nothing more."""

    def __init__(self, queryset, key, fetch, *, count=None):
        self.queryset = queryset
        self.key = key
        self.fetch = fetch  # ids -> the rows to show, in that order
        # The count when the caller already knows it (kept counts), or a function that finds it
        # more cheaply than counting the queryset.
        self.known_count = count

    def count(self):
        if self.known_count is None:
            return cached("results-count", self.key, self.queryset.count)
        if callable(self.known_count):
            return cached("results-count", self.key, self.known_count)
        return self.known_count

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
