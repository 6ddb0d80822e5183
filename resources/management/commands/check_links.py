import sys
import time
from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from resources.curation.link_checking import (
    FAILURE_DAYS,
    by_address,
    check_resources,
    failing_not_yet_confirmed,
    resources_to_check,
)
from resources.models import LinkStatus


class Command(BaseCommand):
    help = (
        "Check the web addresses of the catalogue's resources, keep each check as history and "
        "update each resource's link state (failing from the first failure, broken only after "
        f"failures on {FAILURE_DAYS} days)."
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
        try:
            resources = resources_to_check(slugs=slugs, state=state, all_statuses=all_statuses)
        except LookupError as error:
            raise CommandError(str(error)) from None
        if not resources:
            self.stdout.write("Nothing to check.")
            return
        grouped = by_address(resources)
        total, done = len(grouped), 0
        started = time.monotonic()
        self.stdout.write(f"Checking {total} web addresses ({len(resources)} resources)…")

        def progress(result):
            nonlocal done
            done += 1
            self.show_progress(done, total)

        checks = check_resources(
            grouped,
            concurrency=concurrency,
            per_host=per_host,
            timeout=timeout,
            progress=progress,
        )
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
        self.list_checks(
            self.style.ERROR("Newly broken or unreachable"),
            [check for check in checks if check.newly_broken],
            lambda check: f"{check.url} ({check.failure})",
        )
        self.list_checks(
            self.style.WARNING(
                f"Failing, not confirmed yet (it takes failures on {FAILURE_DAYS} days)"
            ),
            failing_not_yet_confirmed(checks),
            lambda check: f"{check.url} ({check.failure})",
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
