"""Cache what is expensive to count, keyed by the catalogue's version.

Every write to the catalogue (resources, their terms, keywords and partners, terms, vocabularies,
organisations, the ways in by role) raises the version once its transaction commits (see
resources/signals.py), so a cached count is never stale: the next request simply computes under
the new version.

The version lives in the database (the one `CatalogueVersion` row), which every process and
every server shares, so a change made through one is seen by all the others on their next
request, whatever the cache (docs/decisions/0018-several-servers.md). A request reads it once, with
the first cached thing it needs, and keeps it until it ends or changes the catalogue itself;
outside a request (commands, the shell) it is read each time. A cache shared by every process
(CACHE_URL=redis://…) saves each one computing the same counts; the default in-process cache is
still correct, only slower to warm.

With a shared cache the version is also copied there once the change has committed, and read
from there: a page answered whole from the cache then touches no database at all
(docs/decisions/0023-page-cache.md). The copy lasts VERSION_SECONDS, so if writing it ever fails
(or two changes commit at once and the older copy lands last) it is wrong for at most that long.
"""

import hashlib
import threading
import time
from collections.abc import Sequence

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.dispatch import receiver
from django.utils import timezone

from resources.models import CatalogueSnapshot, CatalogueVersion

TIMEOUT = 60 * 60
VERSION_KEY = "catalogue-version"
VERSION_SECONDS = 5


class RequestVersion(threading.local):
    """The version this thread's request has read (None: not yet, or not in a request)."""

    in_request = False
    number = None


seen = RequestVersion()


@receiver(request_started, dispatch_uid="catalogue-version-request-started")
@receiver(request_finished, dispatch_uid="catalogue-version-request-finished")
def forget_version(signal, **kwargs):
    seen.in_request = signal is request_started
    seen.number = None


def catalogue_version():
    """The catalogue's version: once per request, from the shared cache or one query."""
    if seen.number is not None:
        return seen.number
    number = cache.get(VERSION_KEY) if is_shared_cache() else None
    return remember(version_in_database() if number is None else number)


def version_and_cached(key):
    """The catalogue's version and what the cache holds under `key`: one round trip to a shared
    cache that holds the version."""
    if seen.number is None and is_shared_cache():
        found = cache.get_many([VERSION_KEY, key])
        number = found.get(VERSION_KEY)
        return remember(version_in_database() if number is None else number), found.get(key)
    return catalogue_version(), cache.get(key)


def remember(number):
    if seen.in_request:
        seen.number = number
    return number


def stored_version():
    return CatalogueVersion.objects.values_list("number", flat=True).first() or 0


def version_in_database():
    """The row's number; with a shared cache, copied there for the next requests."""
    number = stored_version()
    if is_shared_cache():
        # add, not set: a change committed meanwhile has already stored a newer number.
        cache.add(VERSION_KEY, number, VERSION_SECONDS)
    return number


def is_shared_cache():
    """Whether every process reads the one cache (Redis), so it may hold the version."""
    return settings.CACHES["default"]["BACKEND"].endswith("RedisCache")


def catalogue_changed():
    """Raise the version. It rises to the clock (in microseconds) when that is higher, so a
    database recreated or restored never reuses a number whose counts a shared cache still holds."""
    raised = Greatest(F("number") + 1, Value(time.time_ns() // 1000))
    if not CatalogueVersion.objects.update(number=raised):
        CatalogueVersion.objects.get_or_create(pk=1, defaults={"number": time.time_ns() // 1000})
    seen.number = None
    if is_shared_cache():
        transaction.on_commit(share_version)


def share_version():
    """Copy the committed version to the shared cache, for every process's next request."""
    cache.set(VERSION_KEY, stored_version(), VERSION_SECONDS)


def kept(name, compute):
    """`compute()` (JSON-serialisable) once per catalogue version, kept in the database as well as
    the cache: every process shares it, it survives restarts and a cache flush, and reading it is
    one query. The first request after a change computes it (or `keep()` does, after bulk loads)."""

    def load():
        value = (
            CatalogueSnapshot.objects.filter(name=name, version=catalogue_version())
            .values_list("value", flat=True)
            .first()
        )
        return keep(name, compute) if value is None else value

    return cached(f"kept-{name}", "", load)


def keep(name, compute):
    """Compute and store the snapshot `name` for the catalogue as it is now."""
    version = catalogue_version()
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
