"""What curation leaves in the admin: link check runs (the librarians' link report) and the
problems visitors reported."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from resources.models import LinkCheckRun, ProblemReport, ReportStatus
from resources.submissions.problem_reports import reopen_reports, resolve_reports


@admin.register(LinkCheckRun)
class LinkCheckRunAdmin(admin.ModelAdmin):
    """Each run of check_links, with what broke in it: the librarian's link report."""

    list_display = ["__str__", "checked", "newly_broken_count", "failing_count", "finished_at"]
    fields = [
        "started_at",
        "finished_at",
        "checked",
        "what_broke",
        "failing_not_yet_confirmed",
        "moved_permanently",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def broken_checks(self, run):
        return run.checks.newly_broken().select_related("resource")

    def failing_checks(self, run):
        return run.checks.not_yet_confirmed().select_related("resource")

    @admin.display(description="Newly broken")
    def newly_broken_count(self, run):
        return self.broken_checks(run).count()

    @admin.display(description="Failing, not confirmed yet")
    def failing_count(self, run):
        return self.failing_checks(run).count()

    @admin.display(description="What broke in this run")
    def what_broke(self, run):
        return self.check_list(self.broken_checks(run), lambda check: check.failure)

    @admin.display(description="Failing in this run, not confirmed yet")
    def failing_not_yet_confirmed(self, run):
        return self.check_list(self.failing_checks(run), lambda check: check.failure)

    @admin.display(description="Moved permanently: update the address")
    def moved_permanently(self, run):
        checks = run.checks.filter(is_permanent_redirect=True).select_related("resource")
        return self.check_list(checks, lambda check: f"now at {check.final_url}")

    @staticmethod
    def check_list(checks, detail):
        items = format_html_join(
            "",
            '<li><a href="{}">{}</a>: {}</li>',
            (
                (
                    reverse("admin:resources_resource_change", args=[check.resource_id]),
                    check.resource.title,
                    detail(check),
                )
                for check in checks
            ),
        )
        return format_html("<ul>{}</ul>", items) if items else "Nothing."


@admin.register(ProblemReport)
class ProblemReportAdmin(admin.ModelAdmin):
    """What visitors reported, open items first. The reporter's words are never edited."""

    list_display = ["kind", "resource", "short_message", "status", "created_at", "resolved_by"]
    list_filter = ["status", "kind"]
    list_select_related = ["resource", "resolved_by"]
    search_fields = ["message", "email", "resource__title"]
    ordering = ["status", "-created_at"]  # "open" sorts before "resolved"
    list_per_page = 50
    fields = [
        "resource_link",
        "kind",
        "message",
        "email",
        "status",
        "created_at",
        "resolved_at",
        "resolved_by",
    ]
    readonly_fields = [field for field in fields if field != "status"]
    actions = ["mark_resolved", "reopen"]

    def has_add_permission(self, request):
        return False

    @admin.display(description="Message")
    def short_message(self, report):
        return Truncator(report.message).chars(80)

    @admin.display(description="Resource")
    def resource_link(self, report):
        return format_html(
            '<a href="{}">{}</a> (<a href="{}">public page</a>)',
            reverse("admin:resources_resource_change", args=[report.resource_id]),
            report.resource.title,
            report.resource.get_absolute_url(),
        )

    def save_model(self, request, obj, form, change):
        # Only the status can change here; the actions stamp who and when.
        reports = ProblemReport.objects.filter(pk=obj.pk)
        if obj.status == ReportStatus.RESOLVED:
            resolve_reports(reports, by=request.user)
        else:
            reopen_reports(reports, by=request.user)
        obj.refresh_from_db()

    @admin.action(description="Mark selected reports as resolved", permissions=["change"])
    def mark_resolved(self, request, queryset):
        count = resolve_reports(queryset, by=request.user)
        noun = "report" if count == 1 else "reports"
        self.message_user(request, f"{count} {noun} marked as resolved.", messages.SUCCESS)

    @admin.action(description="Reopen selected reports", permissions=["change"])
    def reopen(self, request, queryset):
        count = reopen_reports(queryset, by=request.user)
        noun = "report" if count == 1 else "reports"
        self.message_user(request, f"{count} {noun} reopened.", messages.SUCCESS)
