from datetime import timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from import_export.admin import ExportActionMixin, ImportMixin
from import_export.forms import ExportForm
from import_export.results import RowResult
from simple_history.admin import SimpleHistoryAdmin

from resources.actions import TransitionRefused, mark_reviewed, transition
from resources.coverage import coverage
from resources.forms import ResourceAdminForm
from resources.models import (
    LinkCheckRun,
    LinkStatus,
    Organisation,
    Resource,
    ResourceStatus,
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
