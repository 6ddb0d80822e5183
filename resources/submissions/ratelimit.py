"""How many public submissions one address may send in an hour, counted in Django's cache.

A fixed window: the count for an address starts at the top of each hour (in UTC seconds) and
lapses with it, so "try again" is the start of the next window. Only accepted submissions count
(saved, recognised as a duplicate, or silently discarded as spam); a form sent back with errors
does not, so a person correcting a typo is never locked out. The count lives in the default
cache: production runs several processes, so it needs the shared cache (CACHE_URL=redis://…);
with CACHE_URL=dummy:// nothing is counted and nothing is limited.

The address is REMOTE_ADDR unless TRUSTED_PROXY_COUNT (DJANGO_TRUSTED_PROXY_COUNT) says how many
proxies of our own stand in front of the app, each appending the address it saw to
X-Forwarded-For. With N of them the client is the Nth address from the right: the one our
outermost proxy appended. Anything to its left is what the client claimed and is never trusted.
Whether the proxy speaks HTTPS (DJANGO_TRUST_X_FORWARDED_PROTO) has no bearing on this.
"""

import hashlib
import math
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache

PERIOD_SECONDS = 60 * 60
DEFAULT_LIMIT = 5


def client_address(request):
    """The address to count submissions against (see the module's docstring)."""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [
        address.strip()
        for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if address.strip()
    ]
    if proxies and forwarded:
        # Fewer addresses than proxies: the request skipped an outer proxy, and the leftmost
        # address is still one that a proxy of ours appended.
        return forwarded[-min(proxies, len(forwarded))]
    return request.META.get("REMOTE_ADDR", "")


@dataclass
class RateLimit:
    """Submissions of one kind (`scope`) from one address in the current hour."""

    scope: str
    address: str
    limit: int
    period: int = PERIOD_SECONDS

    @classmethod
    def for_request(cls, scope, request):
        limit = getattr(settings, "PUBLIC_SUBMISSIONS_PER_HOUR", DEFAULT_LIMIT)
        return cls(scope, client_address(request), limit)

    def window(self, now=None):
        return math.floor((time.time() if now is None else now) / self.period)

    def key(self, now=None):
        # Hashed: addresses stay out of the cache in clear, and any address makes a valid key.
        digest = hashlib.sha256(self.address.encode()).hexdigest()[:32]
        return f"ratelimit:{self.scope}:{digest}:{self.window(now)}"

    def count(self, now=None):
        return cache.get(self.key(now), 0)

    def is_exceeded(self, now=None):
        return self.count(now) >= self.limit

    def hit(self, now=None):
        """Count one accepted submission."""
        key = self.key(now)
        if not cache.add(key, 1, self.period):
            try:
                cache.incr(key)
            except ValueError:  # it lapsed between add and incr
                cache.set(key, 1, self.period)

    def retry_at(self, now=None):
        """When the next window opens (an aware datetime)."""
        return datetime.fromtimestamp((self.window(now) + 1) * self.period, tz=UTC)

    def retry_after_seconds(self, now=None):
        now = time.time() if now is None else now
        return max(1, math.ceil((self.window(now) + 1) * self.period - now))
