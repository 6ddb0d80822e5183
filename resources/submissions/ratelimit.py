"""How many public submissions one address may send in an hour, counted in the database.

A fixed window: the count for an address starts at the top of each hour (in UTC seconds) and
lapses with it, so "try again" is the start of the next window. Only accepted submissions count
(saved, recognised as a duplicate, or silently discarded as spam); a form sent back with errors
does not, so a person correcting a typo is never locked out. The count is a row in the database
(`SubmissionCount`), not an entry in a cache: every worker and every server shares it whatever
CACHE_URL says, so the limit holds with several of them (docs/decisions/0018-several-servers.md).
Submissions are rare, so the write each one costs is nothing to the database.

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
from django.db import IntegrityError, transaction
from django.db.models import F

from resources.models import SubmissionCount

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

    def __post_init__(self):
        # Refused here, on every database: SQLite would store a longer scope that PostgreSQL
        # refuses with a 500 on the first submission.
        longest = SubmissionCount._meta.get_field("scope").max_length
        if len(self.scope) > longest:
            raise ValueError(f"A rate limit's scope has at most {longest} characters: {self.scope}")

    @classmethod
    def for_request(cls, scope, request):
        limit = getattr(settings, "PUBLIC_SUBMISSIONS_PER_HOUR", DEFAULT_LIMIT)
        return cls(scope, client_address(request), limit)

    def window(self, now=None):
        return math.floor((time.time() if now is None else now) / self.period)

    def row(self, now=None):
        """The fields of this scope, address and window's `SubmissionCount`."""
        # Hashed: addresses stay out of the database in clear, and any address makes a valid key.
        digest = hashlib.sha256(self.address.encode()).hexdigest()[:32]
        return {"scope": self.scope, "address": digest, "window": self.window(now)}

    def count(self, now=None):
        counted = SubmissionCount.objects.filter(**self.row(now))
        return counted.values_list("count", flat=True).first() or 0

    def is_exceeded(self, now=None):
        return self.count(now) >= self.limit

    def hit(self, now=None):
        """Count one accepted submission, and forget the windows that have passed."""
        row = self.row(now)
        counted = SubmissionCount.objects.filter(**row)
        if not counted.update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    SubmissionCount.objects.create(**row, count=1)
            except IntegrityError:  # another server counted this window's first a moment ago
                counted.update(count=F("count") + 1)
        SubmissionCount.objects.filter(window__lt=self.window(now)).delete()

    def retry_at(self, now=None):
        """When the next window opens (an aware datetime)."""
        return datetime.fromtimestamp((self.window(now) + 1) * self.period, tz=UTC)

    def retry_after_seconds(self, now=None):
        now = time.time() if now is None else now
        return max(1, math.ceil((self.window(now) + 1) * self.period - now))
