"""Curation records: visitors' problem reports and the link checker's runs and checks."""

from django.conf import settings
from django.db import models
from django.template.defaultfilters import pluralize

from resources.models.catalogue import BROKEN_OR_UNREACHABLE, LinkStatus, Resource


class ProblemKind(models.TextChoices):
    BROKEN_LINK = "broken-link", "The link does not work"
    OUT_OF_DATE = "out-of-date", "It is out of date"
    WRONG_DETAILS = "wrong-details", "Some details are wrong"
    OTHER = "other", "Something else"


class ReportStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"


class ProblemReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=ReportStatus.OPEN)


class ProblemReport(models.Model):
    """A visitor's report that something is wrong with a published resource."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="problem_reports")
    kind = models.CharField("what is wrong", max_length=20, choices=ProblemKind)
    message = models.TextField(max_length=2000)
    email = models.EmailField(blank=True, default="")
    status = models.CharField(max_length=20, choices=ReportStatus, default=ReportStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ProblemReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "-created_at"]),
            models.Index(fields=["resource", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ProblemKind.values), name="problem_report_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ReportStatus.values),
                name="problem_report_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status=ReportStatus.OPEN, resolved_at__isnull=True)
                | models.Q(status=ReportStatus.RESOLVED, resolved_at__isnull=False),
                name="problem_report_resolved_when_stamped",
                violation_error_message="A resolved report needs the time it was resolved.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.resource}"


class LinkCheckRun(models.Model):
    """One run of `manage.py check_links`."""

    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    checked = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self):
        return f"Link check of {self.started_at:%d %b %Y %H:%M}"


class LinkCheckQuerySet(models.QuerySet):
    def newly_broken(self):
        """Checks that confirmed a resource's link as broken or unreachable."""
        return self.filter(status_after__in=BROKEN_OR_UNREACHABLE).exclude(
            status_before__in=BROKEN_OR_UNREACHABLE
        )

    def not_yet_confirmed(self):
        """Checks that failed, on too few days yet to mark the link broken or unreachable."""
        return self.filter(status_after=LinkStatus.FAILING)


class LinkCheck(models.Model):
    """One check of one resource's web address: the history behind its link status."""

    run = models.ForeignKey(LinkCheckRun, on_delete=models.CASCADE, related_name="checks")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="link_checks")
    checked_at = models.DateTimeField(auto_now_add=True)
    url = models.URLField(max_length=1000)
    outcome = models.CharField(max_length=20, choices=LinkStatus)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    final_url = models.URLField(max_length=1000, blank=True, default="")
    is_permanent_redirect = models.BooleanField(default=False)
    error = models.CharField(max_length=300, blank=True, default="")
    elapsed_ms = models.PositiveIntegerField(null=True, blank=True)
    status_before = models.CharField(max_length=20, choices=LinkStatus)
    status_after = models.CharField(max_length=20, choices=LinkStatus)
    failing_days = models.PositiveSmallIntegerField(
        default=0,
        help_text="On how many different days in a row the link had failed, this one "
        "included (0 when it worked).",
    )

    objects = LinkCheckQuerySet.as_manager()

    class Meta:
        ordering = ["-checked_at", "-pk"]
        indexes = [models.Index(fields=["resource", "-checked_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome__in=LinkStatus.values), name="link_check_outcome_valid"
            )
        ]

    def __str__(self):
        return f"{self.get_outcome_display()}: {self.url}"

    @property
    def newly_broken(self):
        return (
            self.status_after in BROKEN_OR_UNREACHABLE
            and self.status_before not in BROKEN_OR_UNREACHABLE
        )

    @property
    def failure(self):
        """What went wrong, in words: "HTTP 404; failing on 2 days"."""
        reason = self.error or f"HTTP {self.status_code}"
        if not self.failing_days:
            return reason
        return f"{reason}; failing on {self.failing_days} day{pluralize(self.failing_days)}"
