from datetime import timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, Exists, OuterRef
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from import_export.admin import ExportActionMixin, ImportMixin
from import_export.forms import ExportForm
from import_export.results import RowResult
from simple_history.admin import SimpleHistoryAdmin

from resources.actions import (
    TransitionRefused,
    mark_reviewed,
    reopen_reports,
    resolve_reports,
    transition,
)
from resources.coverage import coverage
from resources.forms import ResourceAdminForm
from resources.models import (
    LinkCheckRun,
    LinkStatus,
    Organisation,
    ProblemReport,
    ReportStatus,
    Resource,
    ResourceStatus,
    SavedView,
    Team,
)
from resources.spreadsheets import FORMATS, ResourceSpreadsheet, SpreadsheetImportForm
from taxonomy.admin_mixins import RefuseDeletingInUse
from taxonomy.models import Vocabulary


@admin.register(Organisation)
class OrganisationAdmin(RefuseDeletingInUse, SimpleHistoryAdmin):
    list_display = ["name", "acronym", "kind", "succeeded_by", "resource_count"]
    list_filter = ["kind"]
    list_select_related = ["succeeded_by"]
    search_fields = ["name", "acronym", "description"]
    autocomplete_fields = ["succeeded_by"]
    prepopulated_fields = {"slug": ("name",)}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (
            None,
            {"fields": ["name", "slug", "acronym", "kind", "website", "description"]},
        ),
        ("Lineage", {"fields": ["succeeded_by", "succeeded_on"]}),
        ("Provenance", {"fields": ["created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.annotate(resource_count=Count("resources")).order_by("name")

    @admin.display(description="Resources", ordering="resource_count")
    def resource_count(self, organisation):
        return organisation.resource_count

    def in_use(self, organisation):
        for resource in organisation.partner_resources.all():
            yield f"{resource} (partner: {organisation})"


class ReviewDueFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("overdue", "Due now or overdue"),
            ("next-30-days", "Due in the next 30 days"),
            ("never", "Never reviewed"),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "overdue":
            return queryset.filter(review_due_on__lte=today)
        if self.value() == "next-30-days":
            return queryset.filter(
                review_due_on__gt=today, review_due_on__lte=today + timedelta(days=30)
            )
        if self.value() == "never":
            return queryset.filter(last_reviewed_at=None)
        return queryset


class SuggestionFilter(admin.SimpleListFilter):
    title = "suggestions from the public"
    parameter_name = "suggested"

    def lookups(self, request, model_admin):
        return [("yes", "Suggested by the public"), ("no", "Added by librarians")]

    def queryset(self, request, queryset):
        if self.value() in {"yes", "no"}:
            return queryset.filter(is_suggestion=self.value() == "yes")
        return queryset


class OpenProblemReportsFilter(admin.SimpleListFilter):
    title = "problem reports"
    parameter_name = "reports"

    def lookups(self, request, model_admin):
        return [("open", "Has open problem reports"), ("none", "No open problem reports")]

    def queryset(self, request, queryset):
        has_open = Exists(ProblemReport.objects.open().filter(resource=OuterRef("pk")))
        if self.value() == "open":
            return queryset.filter(has_open)
        if self.value() == "none":
            return queryset.exclude(has_open)
        return queryset


def vocabulary_filter(vocabulary, terms):
    """A changelist filter for one vocabulary, so a new vocabulary gets a filter of its own."""

    class VocabularyTermFilter(admin.SimpleListFilter):
        title = vocabulary.name.lower()
        parameter_name = f"vocabulary_{vocabulary.slug}"

        def lookups(self, request, model_admin):
            return [(term.slug, term.name) for term in terms]

        def queryset(self, request, queryset):
            if self.value():
                return queryset.filter(terms__vocabulary=vocabulary, terms__slug=self.value())
            return queryset

    return VocabularyTermFilter


class SpreadsheetAdmin(ImportMixin, ExportActionMixin):
    """Import with a preview, export of the filtered changelist or of the selected rows
    (django-import-export), in one set of columns: resources/spreadsheets.py."""

    resource_classes = [ResourceSpreadsheet]
    import_formats = FORMATS
    export_formats = FORMATS
    import_form_class = SpreadsheetImportForm
    export_form_class = ExportForm  # always every column, so an export imports back unchanged
    import_template_name = "admin/resources/resource/import.html"
    import_export_change_list_template = "admin/resources/resource/change_list.html"
    show_change_form_export = False

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def get_valid_export_item_pks(self, request):
        # Selected rows may only be ones this person can see (the library's default is all).
        return self.get_queryset(request).values_list("pk", flat=True)

    def get_import_data_kwargs(self, **kwargs):
        # Any refused row rolls back the whole import, not just that row.
        return {**super().get_import_data_kwargs(**kwargs), "rollback_on_validation_errors": True}

    def get_export_filename(self, request, queryset, file_format):
        return f"resources-{timezone.localdate():%Y-%m-%d}.{file_format.get_extension()}"

    def add_data_read_fail_error_to_form(self, form, e):
        form.add_error(
            "import_file",
            "This file could not be read as the format chosen. Save it from your spreadsheet "
            "as “CSV UTF-8” or as an Excel workbook (.xlsx), then try again.",
        )

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            # The catalogue changed between preview and confirm: nothing was written.
            context = {
                **self.admin_site.each_context(request),
                "title": "Import",
                "opts": self.model._meta,
                "result": result,
                "nothing_written": True,
                "form": self.get_import_form_class(request)(
                    self.get_import_formats(), self.get_import_resource_classes(request)
                ),
            }
            return TemplateResponse(request, [self.import_template_name], context)
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        totals = result.totals
        self.message_user(
            request,
            f"Import finished: {totals[RowResult.IMPORT_TYPE_NEW]} new, "
            f"{totals[RowResult.IMPORT_TYPE_UPDATE]} updated, "
            f"{totals[RowResult.IMPORT_TYPE_SKIP]} unchanged. New resources are drafts unless "
            "the spreadsheet said otherwise.",
            messages.SUCCESS,
        )


@admin.register(Resource)
class ResourceAdmin(SpreadsheetAdmin, SimpleHistoryAdmin):
    form = ResourceAdminForm
    list_display = [
        "title",
        "kind",
        "publisher",
        "year_published",
        "status",
        "link_status",
        "review_due_on",
        "updated_at",
    ]
    list_filter = [
        "status",
        SuggestionFilter,
        OpenProblemReportsFilter,
        ReviewDueFilter,
        "kind",
        "access",
        "link_status",
        ("publisher", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["publisher"]
    list_per_page = 50
    search_fields = [
        "title",
        "url",
        "publisher__name",
        "publisher__acronym",
        "keywords__name",
    ]
    autocomplete_fields = ["publisher", "partners", "terms"]
    prepopulated_fields = {"slug": ("title",)}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    date_hierarchy = "created_at"
    readonly_fields = [
        "status",
        "normalised_url",
        "published_at",
        "created_at",
        "created_by",
        "updated_at",
        "updated_by",
        "last_reviewed_at",
        "last_reviewed_by",
        "link_status",
        "link_checked_at",
        "link_final_url",
        "link_history",
        "is_suggestion",
        "suggested_publisher",
        "suggested_by_email",
        "open_problem_reports",
    ]
    fieldsets = [
        (
            "What it is",
            {
                "fields": [
                    "title",
                    "alternative_titles",
                    "slug",
                    "url",
                    "kind",
                    "format",
                    "access",
                    "summary",
                    "loaded_version",
                ]
            },
        ),
        (
            "Who and when",
            {"fields": ["publisher", "partners", "year_published", "last_updated_on"]},
        ),
        ("Classification", {"fields": ["terms", "keywords"]}),
        (
            "Status and review",
            {
                "fields": [
                    "status",
                    "published_at",
                    "review_due_on",
                    "last_reviewed_at",
                    "last_reviewed_by",
                    "curator_notes",
                ]
            },
        ),
        (
            "Link",
            {
                "fields": [
                    "normalised_url",
                    "link_status",
                    "link_checked_at",
                    "link_final_url",
                    "link_history",
                ],
                "classes": ["collapse"],
            },
        ),
        (
            "Provenance",
            {
                "fields": ["created_at", "created_by", "updated_at", "updated_by"],
                "classes": ["collapse"],
            },
        ),
    ]
    actions = ["send_to_review", "publish", "archive", "return_to_draft", "mark_reviewed"]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.fieldsets
        public = ["open_problem_reports"]
        if obj.is_suggestion:
            public = ["is_suggestion", "suggested_publisher", "suggested_by_email", *public]
        return [*self.fieldsets[:1], ("From the public", {"fields": public}), *self.fieldsets[1:]]

    @admin.display(description="Open problem reports")
    def open_problem_reports(self, resource):
        reports = list(resource.problem_reports.open()[:10])
        everything = (
            reverse("admin:resources_problemreport_changelist")
            + f"?resource__id__exact={resource.pk}"
        )
        if not reports:
            return format_html('None. <a href="{}">Every report about it</a>', everything)
        items = format_html_join(
            "",
            '<li><a href="{}">{}</a>, {}: {}</li>',
            (
                (
                    reverse("admin:resources_problemreport_change", args=[report.pk]),
                    report.get_kind_display(),
                    f"{timezone.localtime(report.created_at):%d %b %Y}",
                    Truncator(report.message).chars(120),
                )
                for report in reports
            ),
        )
        return format_html('<ul>{}</ul><a href="{}">Every report about it</a>', items, everything)

    @admin.display(description="Link check history")
    def link_history(self, resource):
        checks = resource.link_checks.all()[:20]
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    f"{timezone.localtime(check.checked_at):%d %b %Y %H:%M}",
                    check.get_outcome_display(),
                    check.status_code or "",
                    check.error or check.final_url,
                )
                for check in checks
            ),
        )
        if not rows:
            return "Not checked yet."
        return format_html(
            "<table><thead><tr><th>Checked</th><th>Outcome</th><th>HTTP</th><th>Detail</th></tr>"
            "</thead><tbody>{}</tbody></table>",
            rows,
        )

    def get_urls(self):
        coverage_url = path(
            "coverage/",
            self.admin_site.admin_view(self.coverage_view),
            name="resources_resource_coverage",
        )
        return [coverage_url, *super().get_urls()]

    def coverage_view(self, request):
        """For each vocabulary, its terms by type of resource: where the catalogue has gaps."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": "Coverage of the published catalogue",
            "opts": self.model._meta,
            "coverage": coverage(),
        }
        return TemplateResponse(request, "admin/resources/resource/coverage.html", context)

    def get_list_filter(self, request):
        if not hasattr(request, "_vocabulary_filters"):
            vocabularies = Vocabulary.objects.prefetch_related("terms")
            request._vocabulary_filters = [
                vocabulary_filter(vocabulary, list(vocabulary.terms.all()))
                for vocabulary in vocabularies
            ]
        return [*self.list_filter, *request._vocabulary_filters]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def move_selected(self, request, queryset, to):
        moved, refused = 0, []
        for resource in queryset:
            try:
                transition(resource, to, by=request.user)
                moved += 1
            except TransitionRefused as refusal:
                refused.append(str(refusal))
        if moved:
            noun = "resource" if moved == 1 else "resources"
            self.message_user(
                request,
                f"{moved} {noun} moved to {to.label.lower()}.",
                messages.SUCCESS,
            )
        for reason in refused:
            self.message_user(request, reason, messages.WARNING)

    @admin.action(description="Send selected resources for review", permissions=["change"])
    def send_to_review(self, request, queryset):
        self.move_selected(request, queryset, ResourceStatus.IN_REVIEW)

    @admin.action(description="Publish selected resources", permissions=["publish"])
    def publish(self, request, queryset):
        self.move_selected(request, queryset, ResourceStatus.PUBLISHED)

    @admin.action(description="Archive selected resources", permissions=["publish"])
    def archive(self, request, queryset):
        self.move_selected(request, queryset, ResourceStatus.ARCHIVED)

    @admin.action(description="Return selected resources to draft", permissions=["change"])
    def return_to_draft(self, request, queryset):
        self.move_selected(request, queryset, ResourceStatus.DRAFT)

    @admin.action(description="Mark selected resources as reviewed today", permissions=["change"])
    def mark_reviewed(self, request, queryset):
        count = 0
        for resource in queryset:
            mark_reviewed(resource, by=request.user)
            count += 1
        noun = "resource" if count == 1 else "resources"
        self.message_user(
            request,
            f"{count} {noun} marked as reviewed; next review in 12 months.",
            messages.SUCCESS,
        )

    def has_publish_permission(self, request):
        return request.user.has_perm("resources.publish_resource")


@admin.register(LinkCheckRun)
class LinkCheckRunAdmin(admin.ModelAdmin):
    """Each run of check_links, with what broke in it: the librarian's link report."""

    list_display = ["__str__", "checked", "newly_broken_count", "finished_at"]
    fields = ["started_at", "finished_at", "checked", "what_broke", "moved_permanently"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def broken_checks(self, run):
        failing = [LinkStatus.BROKEN, LinkStatus.UNREACHABLE]
        return (
            run.checks.filter(status_after__in=failing)
            .exclude(status_before__in=failing)
            .select_related("resource")
        )

    @admin.display(description="Newly broken")
    def newly_broken_count(self, run):
        return self.broken_checks(run).count()

    @admin.display(description="What broke in this run")
    def what_broke(self, run):
        return self.check_list(
            self.broken_checks(run), lambda check: check.error or f"HTTP {check.status_code}"
        )

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


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    """Teams share saved views. Add people here; a person may be in several teams."""

    list_display = ["name", "member_count", "created_at"]
    search_fields = ["name", "description", "members__username", "members__last_name"]
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ["members"]
    readonly_fields = ["created_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("members"))

    @admin.display(description="Members", ordering="member_count")
    def member_count(self, team):
        return team.member_count


@admin.register(SavedView)
class SavedViewAdmin(admin.ModelAdmin):
    """For support: people manage their own views on the site; staff can see and tidy them."""

    list_display = ["name", "team", "owner", "updated_at"]
    list_filter = [("team", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["team", "owner"]
    search_fields = ["name", "description", "owner__username"]
    autocomplete_fields = ["team"]
    raw_id_fields = ["owner"]
    readonly_fields = ["created_at", "updated_at"]
