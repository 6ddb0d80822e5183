import asyncio
import sys
import time
from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from resources.linkcheck import FAILURE_DAYS, check_all, record
from resources.models import LinkCheckRun, LinkStatus, Resource, ResourceStatus


class Command(BaseCommand):
    help = (
        "Check the web addresses of the catalogue's resources, keep each check as history and "
        f"update each resource's link state (broken only after failures on {FAILURE_DAYS} days)."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="Check only these resources (by slug).")
        parser.add_argument(
            "--state",
            choices=LinkStatus.values,
            help="Check only resources whose link is in this state (e.g. broken).",
        )
        parser.add_argument(
            "--all-statuses",
            action="store_true",
            help="Include drafts, resources in review and archived ones (default: published).",
        )
        parser.add_argument("--concurrency", type=int, default=8, help="Checks at once (8).")
        parser.add_argument("--per-host", type=int, default=2, help="Checks at once per host (2).")
        parser.add_argument("--timeout", type=float, default=15, help="Seconds per request (15).")

    def handle(self, *args, slugs, state, all_statuses, concurrency, per_host, timeout, **options):
        resources = Resource.objects.exclude(url="")
        if not all_statuses:
            resources = resources.filter(status=ResourceStatus.PUBLISHED)
        if slugs:
            resources = resources.filter(slug__in=slugs)
            missing = set(slugs) - set(resources.values_list("slug", flat=True))
            if missing:
                raise CommandError(
                    f"No resource with a web address has the slug {', '.join(sorted(missing))}."
                )
        if state:
            resources = resources.filter(link_status=state)
        resources = list(resources.order_by("pk"))
        if not resources:
            self.stdout.write("Nothing to check.")
            return

        by_url = {}
        for resource in resources:
            by_url.setdefault(resource.url, []).append(resource)
        total, done = len(by_url), 0
        started = time.monotonic()
        self.stdout.write(f"Checking {total} web addresses ({len(resources)} resources)…")

        def progress(result):
            nonlocal done
            done += 1
            self.show_progress(done, total)

        results = asyncio.run(
            check_all(
                by_url,
                concurrency=concurrency,
                per_host=per_host,
                timeout=timeout,
                progress=progress,
            )
        )
        run = LinkCheckRun.objects.create()
        checks = [
            record(run, resource, results[url])
            for url, group in by_url.items()
            for resource in group
        ]
        run.checked = len(checks)
        run.finished_at = timezone.now()
        run.save(update_fields=["checked", "finished_at"])
        self.summarise(checks, time.monotonic() - started)

    def show_progress(self, done, total):
        if sys.stdout.isatty():
            width = 30
            filled = width * done // total
            self.stdout.write(
                f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending=""
            )
            if done == total:
                self.stdout.write("")
        elif done == total or done % max(1, total // 10) == 0:
            self.stdout.write(f"{done}/{total} checked")

    def summarise(self, checks, seconds):
        outcomes = Counter(LinkStatus(check.outcome).label for check in checks)
        self.stdout.write(
            f"Checked {len(checks)} resources in {seconds:.1f} s: "
            + ", ".join(f"{count} {label.lower()}" for label, count in outcomes.most_common())
            + "."
        )
        failing = {LinkStatus.BROKEN, LinkStatus.UNREACHABLE}
        self.list_checks(
            self.style.ERROR("Newly broken or unreachable"),
            [check for check in checks if check.newly_broken],
            lambda check: f"{check.url} ({self.reason(check)})",
        )
        self.list_checks(
            f"Failing but not yet marked broken (that takes failures on {FAILURE_DAYS} days)",
            [c for c in checks if c.outcome in failing and c.status_after not in failing],
            lambda check: f"{check.url} ({self.reason(check)})",
        )
        self.list_checks(
            self.style.WARNING("Moved permanently, update the address"),
            [check for check in checks if check.is_permanent_redirect],
            lambda check: f"{check.url} -> {check.final_url}",
        )

    def list_checks(self, heading, checks, detail):
        if checks:
            self.stdout.write(f"{heading} ({len(checks)}):")
            for check in checks:
                self.stdout.write(f"  {check.resource.title}: {detail(check)}")

    @staticmethod
    def reason(check):
        return check.error or f"HTTP {check.status_code}"
