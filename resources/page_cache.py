"""Whole public pages kept for anonymous visitors, and the HTTP headers that let a proxy keep them.

An anonymous visitor's page depends only on its address, the catalogue's version and the day
(a citation says "accessed on" today), so once rendered it is kept in the shared cache under its
address and the day, with the version it was made from, and answered from there until the
catalogue changes: a repeat view costs one cache read (the version comes in the same read, see
resources.caching.version_and_cached), not the 30-40 ms of Python that renders it. The version
and the address make its `ETag`, so a browser or proxy that already holds the page gets a
bodiless 304 (docs/decisions/0023-page-cache.md).

Nobody's own page is ever kept or served from here: a request that carries a session or a
message is passed through untouched, and a response is kept only if it is a plain 200 that set
no cookie, used no CSRF token and did not ask to stay private.
"""

import hashlib
from datetime import datetime, time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from resources.caching import version_and_cached

# Public pages that are the same for every anonymous visitor. Anything else (the admin, sign-in,
# saved views, suggestions) is never looked at; a form under these (a problem report) holds a
# CSRF token, so it is never kept either.
PUBLIC_PAGES = ("/", "/accessibility/", "/robots.txt")
PUBLIC_PREFIXES = ("/resources/", "/organisations/", "/topics/", "/for/", "/api/", "/sitemap")
# Exports stream, so they are never kept: not even the version is read for them.
STREAMED_PREFIXES = ("/resources/export.",)
# A proxy may keep a page this long (`s-maxage`) and a browser a short while (`max-age`); after a
# change to the catalogue a proxy's copy is at most this old.
BROWSER_SECONDS = 60
PROXY_SECONDS = 300
STALE_SECONDS = 600
# The cache keeps a page until the day ends, and at most this long; a change to the catalogue
# makes it obsolete at once (its version no longer matches).
TIMEOUT = 60 * 60
LARGEST = 1024 * 1024
HIT_HEADER = "X-Page-Cache"


class PageCache:
    """Listed above GZipMiddleware, so what it keeps is already compressed (one copy for clients
    that take gzip, one for those that do not) and nothing below it runs on a hit."""

    def __init__(self, get_response):
        if not settings.PAGE_CACHE:
            raise MiddlewareNotUsed("DJANGO_PAGE_CACHE=0")
        self.get_response = get_response

    def __call__(self, request):
        if not is_anonymous_public_read(request):
            return self.get_response(request)
        page = Page(request)
        version, kept = version_and_cached(page.key)
        page.made_from(version)
        not_modified = get_conditional_response(
            request, etag=page.etag, last_modified=page.last_modified
        )
        if not_modified is not None:
            return page.with_caching_headers(not_modified)
        if kept is not None and kept["version"] == version:
            response = rebuilt(kept)
            request.insight = kept["insight"]
            response[HIT_HEADER] = "hit"
            return page.with_caching_headers(response)
        response = self.get_response(request)
        if request.method == "GET" and is_the_same_for_everyone(request, response):
            cache.set(page.key, kept_form(request, response, version), page.timeout())
            response[HIT_HEADER] = "miss"
            page.with_caching_headers(response)
        return response


def is_anonymous_public_read(request):
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    path = request.path_info
    if path.startswith(STREAMED_PREFIXES):
        return False
    return path in PUBLIC_PAGES or path.startswith(PUBLIC_PREFIXES)


def is_the_same_for_everyone(request, response):
    """A plain 200 that set no cookie, holds no CSRF token and was not marked private."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    cache_control = response.get("Cache-Control", "")
    if "private" in cache_control or "no-store" in cache_control:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    return len(response.content) <= LARGEST


class Page:
    """One anonymous page: its address, the day, and whether the client takes gzip make its key;
    the catalogue's version it is made from makes, with those, its ETag."""

    def __init__(self, request):
        self.day = timezone.localdate()
        gzip = "gzip" in request.headers.get("Accept-Encoding", "")
        address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
        self.digest = hashlib.sha256(f"{self.day}|{gzip}|{address}".encode()).hexdigest()[:32]
        self.key = f"page:{self.digest}"

    def made_from(self, version):
        self.etag = f'W/"{self.digest}-{version}"'
        self.last_modified = self.changed_at(version)

    def changed_at(self, version):
        """When the page last changed: the catalogue's last change (its version is the clock in
        microseconds at that change, or just above it), or the start of today if later."""
        start_of_day = timezone.make_aware(datetime.combine(self.day, time.min)).timestamp()
        return int(min(max(version / 1_000_000, start_of_day), timezone.now().timestamp()))

    def timeout(self):
        midnight = timezone.make_aware(datetime.combine(self.day, time.max))
        return max(1, min(TIMEOUT, int((midnight - timezone.now()).total_seconds())))

    def with_caching_headers(self, response):
        response["ETag"] = self.etag
        response["Last-Modified"] = http_date(self.last_modified)
        response["Cache-Control"] = (
            f"public, max-age={BROWSER_SECONDS}, s-maxage={PROXY_SECONDS}, "
            f"stale-while-revalidate={STALE_SECONDS}"
        )
        # Signed-in visitors (a session cookie) get their own page from the same address.
        patch_vary_headers(response, ("Cookie", "Accept-Encoding"))
        return response


def kept_form(request, response, version):
    return {
        "version": version,
        "status": response.status_code,
        "headers": [
            (name, value)
            for name, value in response.headers.items()
            if name not in ("ETag", "Last-Modified", "Cache-Control", HIT_HEADER)
        ],
        "content": response.content,
        "insight": getattr(request, "insight", None),
    }


def rebuilt(kept):
    response = HttpResponse(kept["content"], status=kept["status"])
    for name, value in kept["headers"]:
        response[name] = value
    return response
