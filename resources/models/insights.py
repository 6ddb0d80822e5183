"""What people look for, counted per day without anything that identifies them
(resources/insights/, docs/decisions/0021-insights.md)."""

from django.db import models


class InsightKind(models.TextChoices):
    SEARCH = "search", "Search"
    VIEW = "view", "Finder view"
    RESOURCE = "resource", "Resource page"
    CLICK = "click", "Click through"


class InsightSpan(models.TextChoices):
    DAY = "day", "Day"
    WEEK = "week", "Week"  # daily rows rolled up (manage.py roll_up_insights); `day` is a Monday


class InsightCount(models.Model):
    """How many times one thing (`subject`: a normalised search, a finder view's canonical query
    string, a resource's id) was looked for on one day, or in one week once rolled up. Written
    by one upsert per page (resources.insights.recording); never registered in the admin, so a
    rare search is only ever read through the Insights page's threshold."""

    kind = models.CharField(max_length=10, choices=InsightKind)
    subject = models.CharField(max_length=500)
    span = models.CharField(max_length=4, choices=InsightSpan, default=InsightSpan.DAY)
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)
    # Searches only: how many of them found nothing, and how many resources the latest found.
    empty_count = models.PositiveIntegerField(default=0)
    result_count = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject", "span", "day"], name="insight_count_one_per_day"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=InsightKind.values), name="insight_count_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(span__in=InsightSpan.values), name="insight_count_span_valid"
            ),
        ]
        indexes = [models.Index(fields=["kind", "day"], name="insight_count_kind_day")]
        default_permissions = ()  # nobody adds, edits or lists the rows themselves
        permissions = [("view_insights", "Can see what people look for (Insights)")]

    def __str__(self):
        return f"{self.count} × {self.get_kind_display()} {self.subject} ({self.span} {self.day})"
