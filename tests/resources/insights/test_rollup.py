"""Old daily counts become weekly totals and the oldest go, keeping what the page adds up."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db.models import Sum

from resources.insights.rollup import roll_up
from resources.models import InsightCount

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 2)  # a Wednesday; the week started on Monday 30 November
THIS_WEEK = date(2026, 11, 30)


def count(kind, subject, day, number, *, span="day", empty=0, results=None):
    return InsightCount.objects.create(
        kind=kind,
        subject=subject,
        span=span,
        day=day,
        count=number,
        empty_count=empty,
        result_count=results,
    )


def totals():
    return {
        (row["kind"], row["subject"]): row["total"]
        for row in InsightCount.objects.values("kind", "subject").annotate(total=Sum("count"))
    }


def test_daily_counts_older_than_13_weeks_become_weekly_totals(settings):
    settings.INSIGHTS_DAILY_WEEKS = 13
    old_monday = THIS_WEEK - timedelta(weeks=14)
    count("resource", "7", old_monday, 2)
    count("resource", "7", old_monday + timedelta(days=3), 5)
    count("search", "asthma", old_monday, 2, empty=2, results=0)
    count("search", "asthma", old_monday + timedelta(days=6), 2, empty=1, results=3)
    recent = count("resource", "7", THIS_WEEK - timedelta(weeks=13), 1)  # kept day by day
    before = totals()

    outcome = roll_up(today=TODAY)

    assert totals() == before
    week = InsightCount.objects.get(kind="resource", span="week")
    assert (week.day, week.count) == (old_monday, 7)
    search = InsightCount.objects.get(kind="search", span="week")
    assert (search.count, search.empty_count, search.result_count) == (4, 3, 3)
    assert InsightCount.objects.filter(span="day").get() == recent
    assert (outcome.days_rolled, outcome.weeks_written) == (4, 2)


def test_a_rare_search_is_dropped_when_rolled_up(settings):
    settings.INSIGHTS_MIN_COUNT = 3
    old = THIS_WEEK - timedelta(weeks=20)
    count("search", "jane doe's discharge letter", old, 1, empty=1, results=0)
    count("view", "publisher=rare", old, 2)
    count("resource", "9", old, 1)  # a resource's page names nobody: kept however rare

    outcome = roll_up(today=TODAY)

    assert totals() == {("resource", "9"): 1}
    assert outcome.rare_dropped == 2


def test_weekly_totals_past_two_years_are_deleted(settings):
    settings.INSIGHTS_WEEKLY_WEEKS = 104
    count("resource", "7", THIS_WEEK - timedelta(weeks=105), 9, span="week")
    kept = count("resource", "7", THIS_WEEK - timedelta(weeks=104), 4, span="week")

    outcome = roll_up(today=TODAY)

    assert list(InsightCount.objects.all()) == [kept]
    assert outcome.weeks_pruned == 1


def test_running_it_twice_changes_nothing_more(capsys):
    old_monday = THIS_WEEK - timedelta(weeks=30)
    count("click", "3", old_monday, 4)
    count("click", "3", old_monday + timedelta(days=1), 1)
    roll_up(today=TODAY)
    first = list(InsightCount.objects.values())
    call_command("roll_up_insights")  # today's date: nothing older left to roll
    assert list(InsightCount.objects.values()) == first
    assert "Rolled 0 daily counts" in capsys.readouterr().out


def test_a_week_rolled_up_in_two_runs_is_added_up():
    old_monday = THIS_WEEK - timedelta(weeks=30)
    count("click", "3", old_monday, 4, span="week")
    count("click", "3", old_monday + timedelta(days=2), 3)
    roll_up(today=TODAY)
    assert InsightCount.objects.get().count == 7
