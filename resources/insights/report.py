"""What the Insights page shows: what people looked for over the last weeks, from the daily
counts and, further back, the weekly totals. A search or finder view seen fewer than
INSIGHTS_MIN_COUNT times over the period is never shown, so a one-off search for someone's
name appears nowhere."""

from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property

from django.conf import settings
from django.db.models import CharField, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from resources.finder import Finder
from resources.finder.finder import by_slug
from resources.insights.charts import bar_chart, sparkline
from resources.models import InsightCount, InsightKind, Resource
from taxonomy.models import former_terms, vocabularies_with_terms

PERIODS = {12: "the last 12 weeks", 52: "the last 52 weeks"}
DEFAULT_WEEKS = 12
LIST_LENGTH = 10


def finder_url(query_string):
    path = reverse("resources:list")
    return f"{path}?{query_string}" if query_string else path


def week_start(day):
    return day - timedelta(days=day.weekday())


def week_label(day):
    return f"{day.day} {day:%b}"


@dataclass
class Line:
    """One row of a list: what was looked for, how often, and its weeks as a small chart."""

    subject: str
    total: int
    label: str = ""
    url: str = ""
    resource: Resource | None = None
    result_count: int | None = None
    other: int = 0  # resources: the clicks through beside the openings, or the other way round
    chart: object = None
    weeks: list = field(default_factory=list)


class Report:
    def __init__(self, weeks=DEFAULT_WEEKS):
        self.weeks = weeks if weeks in PERIODS else DEFAULT_WEEKS
        self.today = timezone.localdate()
        self.minimum = settings.INSIGHTS_MIN_COUNT
        self.week_starts = [
            week_start(self.today) - timedelta(weeks=back) for back in range(self.weeks - 1, -1, -1)
        ]
        self.start = self.week_starts[0]

    @property
    def period(self):
        return PERIODS[self.weeks]

    @cached_property
    def is_empty(self):
        return not InsightCount.objects.exists()

    def counts(self, kind):
        return InsightCount.objects.filter(kind=kind, day__gte=self.start, day__lte=self.today)

    def by_week(self, queryset, column="count"):
        """[(week label, total)] for every week of the period, oldest first."""
        totals = dict.fromkeys(self.week_starts, 0)
        for row in queryset.values("day").annotate(n=Sum(column)).order_by():
            totals[week_start(row["day"])] += row["n"]
        return [(week_label(week), value) for week, value in totals.items()]

    def with_weeks(self, kind, lines, noun):
        """Each line's weeks (one query for the whole list) and its sparkline."""
        weeks = {line.subject: dict.fromkeys(self.week_starts, 0) for line in lines}
        rows = (
            self.counts(kind)
            .filter(subject__in=list(weeks))
            .values("subject", "day")
            .annotate(n=Sum("count"))
            .order_by()
        )
        for row in rows:
            weeks[row["subject"]][week_start(row["day"])] += row["n"]
        for line in lines:
            line.weeks = [(week_label(week), n) for week, n in weeks[line.subject].items()]
            line.chart = sparkline(f"{noun} {line.label} week by week", line.weeks)
        return lines

    def top(self, kind, *, column="count", threshold=True):
        totals = (
            self.counts(kind)
            .values("subject")
            .annotate(total=Sum(column))
            .filter(total__gte=max(self.minimum, 1) if threshold else 1)
            .order_by("-total", "subject")[:LIST_LENGTH]
        )
        return [Line(subject=row["subject"], total=row["total"]) for row in totals]

    # The lists -------------------------------------------------------------------------------

    @cached_property
    def unfound(self):
        """Searches that found nothing, most frequent first, with what the latest of them found
        (a curator may have added something since)."""
        lines = self.top(InsightKind.SEARCH, column="empty_count")
        latest = {}
        rows = (
            self.counts(InsightKind.SEARCH)
            .filter(subject__in=[line.subject for line in lines])
            .order_by("day")
            .values_list("subject", "result_count")
        )
        for subject, result_count in rows:
            latest[subject] = result_count
        for line in lines:
            line.label = line.subject
            line.result_count = latest.get(line.subject)
        return self.with_weeks(InsightKind.SEARCH, lines, "Searches for")

    @cached_property
    def searches(self):
        lines = self.top(InsightKind.SEARCH)
        for line in lines:
            line.label = line.subject
            line.url = finder_url(QueryDict.fromkeys(["q"], line.subject).urlencode())
        return self.with_weeks(InsightKind.SEARCH, lines, "Searches for")

    @cached_property
    def views(self):
        lines = self.top(InsightKind.VIEW)
        vocabularies = vocabularies_with_terms()
        params = [QueryDict(line.subject) for line in lines]
        organisations = by_slug({slug for query in params for slug in query.getlist("publisher")})
        pairs = {
            (vocabulary.slug, slug)
            for query in params
            for vocabulary in vocabularies
            for slug in query.getlist(vocabulary.slug)
        }
        former = former_terms(pairs)
        for line, query in zip(lines, params, strict=True):
            finder = Finder(query, vocabularies, organisations=organisations, former=former)
            line.label = finder.headline()
            line.url = finder_url(line.subject)
        return self.with_weeks(InsightKind.VIEW, lines, "Openings of")

    def resource_lines(self, kind, other_kind, noun):
        lines = self.top(kind, threshold=False)
        resources = Resource.objects.select_related("publisher").in_bulk(
            [int(line.subject) for line in lines]
        )
        others = dict(
            self.counts(other_kind)
            .filter(subject__in=[line.subject for line in lines])
            .values("subject")
            .annotate(total=Sum("count"))
            .order_by()
            .values_list("subject", "total")
        )
        lines = [line for line in lines if int(line.subject) in resources]
        for line in lines:
            line.resource = resources[int(line.subject)]
            line.label = line.resource.title
            line.other = others.get(line.subject, 0)
        return self.with_weeks(kind, lines, noun)

    @cached_property
    def most_opened(self):
        return self.resource_lines(InsightKind.RESOURCE, InsightKind.CLICK, "Openings of")

    @cached_property
    def most_clicked(self):
        return self.resource_lines(InsightKind.CLICK, InsightKind.RESOURCE, "Clicks through to")

    @cached_property
    def least_opened(self):
        """Published resources opened fewest times over the period, those never opened first."""
        opened = (
            self.counts(InsightKind.RESOURCE)
            .filter(subject=Cast(OuterRef("pk"), output_field=CharField()))
            .values("subject")
            .annotate(total=Sum("count"))
            .values("total")
        )
        resources = (
            Resource.objects.published()
            .select_related("publisher")
            .annotate(opened=Coalesce(Subquery(opened), Value(0), output_field=IntegerField()))
            .order_by("opened", "sort_title", "pk")[:LIST_LENGTH]
        )
        return [
            Line(
                subject=str(resource.pk),
                total=resource.opened,
                label=resource.title,
                resource=resource,
            )
            for resource in resources
        ]

    # Week by week ----------------------------------------------------------------------------

    @cached_property
    def trends(self):
        """One chart for each kind of count: everything counted each week, rare searches
        included (a total names nobody)."""
        searches = self.counts(InsightKind.SEARCH)
        series = [
            ("searches", "Searches", self.by_week(searches)),
            ("unfound", "Searches that found nothing", self.by_week(searches, "empty_count")),
            ("views", "Finder views opened", self.by_week(self.counts(InsightKind.VIEW))),
            ("opened", "Resource pages opened", self.by_week(self.counts(InsightKind.RESOURCE))),
            ("clicks", "Clicks through", self.by_week(self.counts(InsightKind.CLICK))),
        ]
        return [
            {
                "slug": slug,
                "title": title,
                "total": sum(value for _, value in points),
                "points": points,
                "chart": bar_chart(f"{title} per week, {self.period}", points),
            }
            for slug, title, points in series
        ]

    @property
    def week_rows(self):
        """The charts' numbers as table rows: (week label, [each chart's value that week])."""
        trends = self.trends
        return [
            (label, [trend["points"][index][1] for trend in trends])
            for index, (label, _) in enumerate(trends[0]["points"])
        ]
