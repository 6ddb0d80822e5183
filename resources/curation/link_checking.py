"""Checking that the catalogue's web addresses still lead somewhere.

Each address is fetched with HEAD (GET when the server refuses HEAD), redirects are followed by
hand so that a permanent one can be flagged, and the outcome is classified:

- ok: the page answered;
- redirected: it answered from another address (permanent redirects are flagged to update);
- needs login: 401 or 403, or a redirect to a sign-in page (OpenAthens and the like);
- broken: 404, 410, other client errors, a host that does not exist, a TLS failure;
- unreachable: timeouts, server errors (5xx), refused or reset connections, 429.

One failure does not make a link broken: a resource's link is failing (not confirmed yet) from its
first failed check, counting the different days in a row on which its checks have failed, and
becomes broken or unreachable once that reaches FAILURE_DAYS. Every check is kept as history
(LinkCheck), with the days counted so far.
"""

import asyncio
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx
from django.db import transaction
from django.utils import timezone

from resources.models import (
    BROKEN_OR_UNREACHABLE,
    LinkCheck,
    LinkCheckRun,
    LinkStatus,
    Resource,
    ResourceStatus,
)

FAILURE_DAYS = 3
MAX_REDIRECTS = 10
USER_AGENT = "HealthInequalitiesResourceDirectory-LinkChecker/1.0 (+link checking for librarians)"
HEAD_REFUSED = {400, 403, 404, 405, 406, 429, 500, 501, 502, 503}
LOGIN_MARKERS = ("openathens", "shibboleth", "/login", "/signin", "/sign-in", "/sso", "/auth/")
PERMANENT = {301, 308}


@dataclass
class Result:
    url: str
    outcome: str
    status_code: int | None = None
    final_url: str = ""
    is_permanent_redirect: bool = False
    error: str = ""
    elapsed_ms: int | None = None


def looks_like_login(url):
    return any(marker in url.lower() for marker in LOGIN_MARKERS)


def classify(status_code, url, final_url):
    if status_code in (401, 403) or (final_url != url and looks_like_login(final_url)):
        return LinkStatus.NEEDS_LOGIN
    if 200 <= status_code < 300:
        return LinkStatus.REDIRECTED if final_url != url else LinkStatus.OK
    if status_code == 429 or status_code >= 500:
        return LinkStatus.UNREACHABLE
    return LinkStatus.BROKEN


def classify_error(error):
    """Broken for what will not fix itself (no such host, bad TLS); unreachable otherwise."""
    text = f"{error} {error.__cause__ or ''}".lower()
    if isinstance(error, httpx.TimeoutException):
        return LinkStatus.UNREACHABLE, "timed out"
    if isinstance(error, httpx.TooManyRedirects):
        return LinkStatus.BROKEN, "too many redirects"
    if isinstance(error, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return LinkStatus.BROKEN, "not a web address that can be checked"
    if isinstance(error, httpx.ConnectError):
        if any(
            part in text for part in ("name or service", "nodename", "getaddrinfo", "no address")
        ):
            return LinkStatus.BROKEN, "the host does not exist (DNS)"
        if "ssl" in text or "certificate" in text or isinstance(error.__cause__, ssl.SSLError):
            return LinkStatus.BROKEN, "secure connection (TLS) failed"
        return LinkStatus.UNREACHABLE, "could not connect"
    return LinkStatus.UNREACHABLE, f"connection failed ({type(error).__name__})"


async def fetch(client, method, url):
    """Follow redirects by hand; return the last response, the final address and whether the
    first hop was permanent."""
    current, permanent = url, None
    for _ in range(MAX_REDIRECTS + 1):
        async with client.stream(method, current) as response:
            if not response.is_redirect:
                return response, current, bool(permanent)
            if permanent is None:
                permanent = response.status_code in PERMANENT
            current = urljoin(current, response.headers["location"])
    raise httpx.TooManyRedirects("too many redirects", request=response.request)


async def check_url(client, url):
    started = time.monotonic()
    try:
        response, final_url, permanent = await fetch(client, "HEAD", url)
        if response.status_code in HEAD_REFUSED:
            response, final_url, permanent = await fetch(client, "GET", url)
        result = Result(
            url=url,
            outcome=classify(response.status_code, url, final_url),
            status_code=response.status_code,
            final_url=final_url if final_url != url else "",
            is_permanent_redirect=permanent,
        )
    except httpx.HTTPError as error:
        outcome, reason = classify_error(error)
        result = Result(url=url, outcome=outcome, error=reason)
    result.elapsed_ms = round((time.monotonic() - started) * 1000)
    return result


async def check_all(urls, *, concurrency, per_host, timeout, progress=None):
    """Check every address, at most `concurrency` at once and `per_host` per host."""
    overall = asyncio.Semaphore(concurrency)
    hosts = {}
    results = {}
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(
        timeout=timeout, limits=limits, headers={"User-Agent": USER_AGENT}, follow_redirects=False
    ) as client:

        async def one(url):
            host = urlsplit(url).hostname or ""
            async with hosts.setdefault(host, asyncio.Semaphore(per_host)), overall:
                results[url] = await check_url(client, url)
            if progress:
                progress(results[url])

        await asyncio.gather(*(one(url) for url in dict.fromkeys(urls)))
    return results


def failing_days_after(result, latest_check):
    """On how many different days in a row the link has failed, this check included."""
    if result.outcome not in BROKEN_OR_UNREACHABLE:
        return 0
    if latest_check is None or latest_check.outcome not in BROKEN_OR_UNREACHABLE:
        return 1
    same_day = timezone.localdate(latest_check.checked_at) == timezone.localdate()
    return latest_check.failing_days + (0 if same_day else 1)


def status_after(resource, result, failing_days):
    """The resource's link status once this check is counted: a failure is only failing until
    it has lasted FAILURE_DAYS days, and a confirmed failure stays confirmed while it lasts."""
    if result.outcome not in BROKEN_OR_UNREACHABLE:
        return result.outcome
    if failing_days >= FAILURE_DAYS or resource.link_status in BROKEN_OR_UNREACHABLE:
        return result.outcome
    return LinkStatus.FAILING


@transaction.atomic
def record(run, resource, result):
    """Keep the check as history and update the resource's link state."""
    latest = resource.link_checks.order_by("-checked_at", "-pk").first()
    failing_days = failing_days_after(result, latest)
    before = resource.link_status
    after = status_after(resource, result, failing_days)
    check = LinkCheck.objects.create(
        run=run,
        resource=resource,
        url=result.url,
        outcome=result.outcome,
        status_code=result.status_code,
        final_url=result.final_url,
        is_permanent_redirect=result.is_permanent_redirect,
        error=result.error,
        elapsed_ms=result.elapsed_ms,
        status_before=before,
        status_after=after,
        failing_days=failing_days,
    )
    resource.link_status = after
    resource.link_checked_at = check.checked_at
    resource.link_final_url = result.final_url
    resource.link_failing_days = failing_days
    resource.skip_history_when_saving = True  # LinkCheck is the history of link checks
    resource.save(
        update_fields=["link_status", "link_checked_at", "link_final_url", "link_failing_days"]
    )
    del resource.skip_history_when_saving
    return check


# A run over many resources (manage.py check_links) ---------------------------------------------


def resources_to_check(*, slugs=(), state=None, all_statuses=False):
    """The resources with a web address to check: published ones unless `all_statuses`, only
    `slugs` if given (LookupError naming any that have no web address), only those whose link is
    in `state` if given."""
    resources = Resource.objects.exclude(url="")
    if not all_statuses:
        resources = resources.filter(status=ResourceStatus.PUBLISHED)
    if slugs:
        resources = resources.filter(slug__in=slugs)
        missing = set(slugs) - set(resources.values_list("slug", flat=True))
        if missing:
            raise LookupError(
                f"No resource with a web address has the slug {', '.join(sorted(missing))}."
            )
    if state:
        resources = resources.filter(link_status=state)
    return list(resources.order_by("pk"))


def by_address(resources):
    """{web address: the resources at it}: each address is fetched once."""
    grouped = {}
    for resource in resources:
        grouped.setdefault(resource.url, []).append(resource)
    return grouped


def check_resources(grouped, *, concurrency, per_host, timeout, progress=None):
    """Check each address of `grouped` (see by_address), record every resource's check in a new
    LinkCheckRun, and return the checks."""
    results = asyncio.run(
        check_all(
            grouped,
            concurrency=concurrency,
            per_host=per_host,
            timeout=timeout,
            progress=progress,
        )
    )
    run = LinkCheckRun.objects.create()
    checks = [
        record(run, resource, results[url]) for url, group in grouped.items() for resource in group
    ]
    run.checked = len(checks)
    run.finished_at = timezone.now()
    run.save(update_fields=["checked", "finished_at"])
    return checks


def failing_not_yet_confirmed(checks):
    """Checks that failed on too few days yet to mark their resource's link broken."""
    return [check for check in checks if check.status_after == LinkStatus.FAILING]
