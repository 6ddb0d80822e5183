"""A visitor's report that something is wrong with a published resource, and the librarians
resolving (or reopening) it."""

from django.utils import timezone

from resources.curation.workflow import TransitionRefused
from resources.models import ProblemReport, ReportStatus, ResourceStatus


def report_problem(resource, *, kind, message, email=""):
    """Record a visitor's report that something is wrong with a published resource."""
    if resource.status != ResourceStatus.PUBLISHED:
        raise ValueError("Only published resources can be reported.")
    return ProblemReport.objects.create(resource=resource, kind=kind, message=message, email=email)


def resolve_reports(reports, *, by):
    """Mark the open reports among `reports` resolved by `by`, now. Returns how many."""
    if not by.has_perm("resources.change_problemreport"):
        raise TransitionRefused("You do not have permission to resolve problem reports.")
    return reports.open().update(
        status=ReportStatus.RESOLVED, resolved_at=timezone.now(), resolved_by=by
    )


def reopen_reports(reports, *, by):
    """Open again the resolved reports among `reports` (a report resolved by mistake)."""
    if not by.has_perm("resources.change_problemreport"):
        raise TransitionRefused("You do not have permission to reopen problem reports.")
    return reports.filter(status=ReportStatus.RESOLVED).update(
        status=ReportStatus.OPEN, resolved_at=None, resolved_by=None
    )
