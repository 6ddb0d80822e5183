"""Resources in the admin: the librarians' workbench."""

from django.contrib import admin
from django.db import models
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from resources.admin.coverage import CoverageView
from resources.admin.filters import (
    OpenProblemReportsFilter,
    PublisherFilter,
    ReviewDueFilter,
    SuggestionFilter,
    vocabulary_filter,
)
from resources.admin.paging import CappedCountPaginator
from resources.admin.searching import admin_search
from resources.admin.spreadsheets import SpreadsheetAdmin
from resources.admin.workflow import WorkflowActions
from resources.models import BROKEN_OR_UNREACHABLE, LinkStatus, Resource
from taxonomy.admin_conflicts import RefuseSavingOverNewer
from taxonomy.admin_history import HistoryAdmin
from taxonomy.models import vocabularies_with_terms


def short_date(day):
    """A date in a narrow column: "1 Dec 2026"."""
    return f"{day.day} {day:%b %Y}" if day else None


@admin.register(Resource)
class ResourceAdmin(
    RefuseSavingOverNewer, CoverageView, WorkflowActions, SpreadsheetAdmin, HistoryAdmin
):
    # Short columns with short headings, so that at a desk's width (1280 px) the whole row shows
    # and a title wraps to three lines at most; the year and the full dates are on the change page.
    list_display = [
        "title",
        "type",
        "publisher_name",
        "status",
        "link_state",
        "review_due",
        "updated",
    ]
    list_filter = [
        "status",
        SuggestionFilter,
        OpenProblemReportsFilter,
        ReviewDueFilter,
        "kind",
        "access",
        "link_status",
        ("publisher", PublisherFilter),
        # Choices that need no query; a date hierarchy read every row's date to offer its years.
        ("created_at", admin.DateFieldListFilter),
    ]
    list_select_related = ["publisher"]
    list_per_page = 50
    # Nothing counts the whole catalogue (resources/admin/paging.py), and the default order is
    # the index on (sort_title, id): a page of 50 is read from the index and the rest not at all.
    paginator = CappedCountPaginator
    show_full_result_count = False
    ordering = ["sort_title", "pk"]
    # Named for the admin's search box to show; get_search_results searches the index instead.
    search_fields = ["title"]
    search_help_text = (
        "Words of the title, keywords, publisher or terms, as the public search finds them; "
        "or a resource's slug or web address."
    )
    autocomplete_fields = ["publisher", "partners", "terms"]

    def get_search_results(self, request, queryset, search_term):
        """What the public search finds (so "BAME" finds what the public finds), drafts too, and
        a resource by its slug or web address: see resources/admin/searching.py."""
        if not search_term.strip():
            return queryset, False
        return admin_search(queryset, search_term), False

    prepopulated_fields = {"slug": ("title",)}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
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
        "link_failing_days",
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
                    "cited_urls",
                    "url_missing_reason",
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
            {
                "fields": [
                    "authors",
                    "publisher",
                    "partners",
                    "year_published",
                    "last_updated_on",
                ]
            },
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
                    "evidence",
                ]
            },
        ),
        (
            "Link",
            {
                "fields": [
                    "normalised_url",
                    "link_status",
                    "link_failing_days",
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

    @admin.display(description="Type", ordering="kind")
    def type(self, resource):
        return resource.get_kind_display()

    @admin.display(description="Publisher", ordering="publisher__name")
    def publisher_name(self, resource):
        """The publisher's acronym, its name on hover, or the name where it has no acronym."""
        publisher = resource.publisher
        if publisher is None:
            return None
        if publisher.acronym:
            return format_html('<abbr title="{}">{}</abbr>', publisher.name, publisher.acronym)
        return publisher.name

    @admin.display(description="Review due", ordering="review_due_on")
    def review_due(self, resource):
        return short_date(resource.review_due_on)

    @admin.display(description="Updated", ordering="updated_at")
    def updated(self, resource):
        return short_date(timezone.localdate(resource.updated_at))

    @admin.display(description="Link", ordering="link_status")
    def link_state(self, resource):
        """The link status, with the days a failing link has failed: "Failing (2 days)"."""
        days = resource.link_failing_days
        if resource.link_status == LinkStatus.FAILING:
            return f"Failing ({days} day{pluralize(days)})"
        if resource.link_status in BROKEN_OR_UNREACHABLE and days:
            return f"{resource.get_link_status_display()} ({days} day{pluralize(days)})"
        return resource.get_link_status_display()

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

    def get_list_filter(self, request):
        if not hasattr(request, "_vocabulary_filters"):
            vocabularies = vocabularies_with_terms()
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
