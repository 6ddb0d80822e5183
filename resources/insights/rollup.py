"""Keeping the counts small and old detail gone (manage.py roll_up_insights, nightly).

Daily counts older than INSIGHTS_DAILY_WEEKS whole weeks become one row per thing per week
(Monday's date); weekly totals older than INSIGHTS_WEEKLY_WEEKS are deleted. A search or finder
view seen fewer than INSIGHTS_MIN_COUNT times in its week is dropped rather than kept as a
weekly row: it could only ever be shown by adding up many such weeks, and a rare search is the
kind that may name a person."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from resources.insights.report import week_start
from resources.models import InsightCount, InsightKind, InsightSpan

QUERIES = {InsightKind.SEARCH, InsightKind.VIEW}


@dataclass
class RollUp:
    days_rolled: int = 0  # daily rows turned into weekly ones (and deleted)
    weeks_written: int = 0
    rare_dropped: int = 0  # weekly totals of searches and views below the threshold
    weeks_pruned: int = 0

    def __str__(self):
        return (
            f"Rolled {self.days_rolled} daily counts into {self.weeks_written} weekly totals "
            f"({self.rare_dropped} rare searches or views dropped); "
            f"deleted {self.weeks_pruned} weekly totals past their retention."
        )


def roll_up(*, today=None):
    """Roll old daily counts into weekly totals and prune the oldest, in one transaction: safe
    to run twice, and a run stopped midway leaves everything as it was."""
    today = today or timezone.localdate()
    this_week = week_start(today)
    daily_before = this_week - timedelta(weeks=settings.INSIGHTS_DAILY_WEEKS)
    weekly_before = this_week - timedelta(weeks=settings.INSIGHTS_WEEKLY_WEEKS)
    outcome = RollUp()
    with transaction.atomic():
        old_days = InsightCount.objects.filter(span=InsightSpan.DAY, day__lt=daily_before)
        weeks = {}
        for row in old_days.order_by("day").iterator():
            key = (row.kind, row.subject, week_start(row.day))
            total = weeks.setdefault(
                key,
                InsightCount(kind=row.kind, subject=row.subject, span=InsightSpan.WEEK, day=key[2]),
            )
            total.count += row.count
            total.empty_count += row.empty_count
            total.result_count = row.result_count  # the latest day's
            outcome.days_rolled += 1
        existing = InsightCount.objects.filter(
            span=InsightSpan.WEEK, day__in={key[2] for key in weeks}
        )
        for row in existing:
            total = weeks.get((row.kind, row.subject, row.day))
            if total is not None:
                total.count += row.count
                total.empty_count += row.empty_count
                total.pk = row.pk
        kept = []
        for total in weeks.values():
            if total.kind in QUERIES and total.count < settings.INSIGHTS_MIN_COUNT:
                outcome.rare_dropped += 1
                if total.pk:
                    total.delete()
            else:
                kept.append(total)
        InsightCount.objects.bulk_update(
            [t for t in kept if t.pk], ["count", "empty_count", "result_count"]
        )
        InsightCount.objects.bulk_create([t for t in kept if not t.pk])
        outcome.weeks_written = len(kept)
        old_days.delete()
        outcome.weeks_pruned, _ = InsightCount.objects.filter(
            span=InsightSpan.WEEK, day__lt=weekly_before
        ).delete()
    return outcome
