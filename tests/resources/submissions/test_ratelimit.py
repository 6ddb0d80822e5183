from datetime import UTC, datetime

import pytest
from django.test import RequestFactory

from resources.models import SubmissionCount
from resources.submissions.ratelimit import RateLimit, client_address

pytestmark = pytest.mark.django_db

HOUR = 60 * 60
# 10:20:00 UTC on 1 December 2026: 20 minutes into an hour's window.
TWENTY_PAST = datetime(2026, 12, 1, 10, 20, tzinfo=UTC).timestamp()


def test_the_limit_is_reached_after_that_many_submissions():
    limit = RateLimit("suggest", "203.0.113.7", limit=3)
    for _ in range(2):
        limit.hit(TWENTY_PAST)
    assert not limit.is_exceeded(TWENTY_PAST)
    limit.hit(TWENTY_PAST)
    assert limit.is_exceeded(TWENTY_PAST)
    assert limit.count(TWENTY_PAST) == 3


def test_the_count_starts_again_in_the_next_hour_and_says_when():
    limit = RateLimit("suggest", "203.0.113.7", limit=1)
    limit.hit(TWENTY_PAST)
    assert limit.is_exceeded(TWENTY_PAST)
    assert limit.retry_at(TWENTY_PAST) == datetime(2026, 12, 1, 11, 0, tzinfo=UTC)
    assert limit.retry_after_seconds(TWENTY_PAST) == 40 * 60
    assert not limit.is_exceeded(TWENTY_PAST + 40 * 60)


def test_addresses_and_kinds_of_submission_are_counted_apart():
    RateLimit("suggest", "203.0.113.7", limit=1).hit(TWENTY_PAST)
    assert RateLimit("suggest", "203.0.113.7", limit=1).is_exceeded(TWENTY_PAST)
    assert not RateLimit("suggest", "198.51.100.1", limit=1).is_exceeded(TWENTY_PAST)
    assert not RateLimit("report", "203.0.113.7", limit=1).is_exceeded(TWENTY_PAST)


def test_the_limit_comes_from_settings(settings):
    settings.PUBLIC_SUBMISSIONS_PER_HOUR = 2
    request = RequestFactory().post("/suggest/", REMOTE_ADDR="203.0.113.7")
    assert RateLimit.for_request("suggest", request).limit == 2


def test_without_trusted_proxies_a_forged_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().post(
        "/suggest/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="192.0.2.1"
    )
    assert client_address(request) == "203.0.113.7"


def test_trusting_the_https_header_does_not_trust_forwarded_addresses(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    request = RequestFactory().post(
        "/suggest/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="192.0.2.1"
    )
    assert client_address(request) == "203.0.113.7"


def test_behind_one_trusted_proxy_the_address_is_the_one_the_proxy_added(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client claimed 192.0.2.1; our proxy (10.0.0.2) appended the address it saw.
    request = RequestFactory().post(
        "/suggest/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.7"
    )
    assert client_address(request) == "203.0.113.7"
    assert client_address(RequestFactory().post("/", REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"


def test_behind_two_trusted_proxies_the_address_is_the_one_the_outer_proxy_added(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    # A CDN appended the client's 203.0.113.7, then our proxy appended the CDN's 198.51.100.9.
    request = RequestFactory().post(
        "/suggest/",
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.7, 198.51.100.9",
    )
    assert client_address(request) == "203.0.113.7"


def test_the_count_is_shared_whatever_the_cache(settings):
    # Counted in the database: with caching switched off (or one cache per process), every
    # process still sees the same count.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    RateLimit("suggest", "203.0.113.7", limit=2).hit(TWENTY_PAST)
    RateLimit("suggest", "203.0.113.7", limit=2).hit(TWENTY_PAST)
    assert RateLimit("suggest", "203.0.113.7", limit=2).is_exceeded(TWENTY_PAST)


def test_past_windows_are_forgotten_and_addresses_are_not_kept_in_clear():
    RateLimit("suggest", "203.0.113.7", limit=1).hit(TWENTY_PAST)
    RateLimit("report", "198.51.100.1", limit=1).hit(TWENTY_PAST + HOUR)
    (row,) = SubmissionCount.objects.all()
    assert (row.scope, row.count) == ("report", 1)
    assert "198.51.100.1" not in row.address


@pytest.mark.parametrize("address", ["2001:db8::1", "", "not an address at all"])
def test_any_address_makes_a_usable_key(address):
    limit = RateLimit("suggest", address, limit=1)
    limit.hit(TWENTY_PAST)
    assert limit.is_exceeded(TWENTY_PAST)


def test_a_scope_too_long_to_store_is_refused_on_every_database():
    with pytest.raises(ValueError, match="at most 20 characters: password-reset-address"):
        RateLimit("password-reset-address", "203.0.113.7", limit=1)
